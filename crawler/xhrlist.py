"""A Q&A list loaded by XHR, read without a browser: the JSON endpoint the page's script names.

When a Q&A section's list is loaded by script and the page was not rendered (``--render never``,
or Chromium failed), the section is recorded ``list_state: script_loaded``: not read. The page's
own inline script usually names its endpoint as a string (``fetch('/api/hoi-dap?page=1')``,
``$.getJSON('/HoiDap/DanhSach')``, ``$.ajax({url: '/api/...'})``, ``xhr.open('GET', '...')``).
The crawler fetches that one URL — GET only, same host as the page, one hop, archived like a
page — and judges the list on the questions and dates the JSON carries
(:func:`crawler.checks.qa_section.json_items`). Nothing is guessed: no endpoint named, another
host, a POST, or a JSON without questions leaves the section as it was.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

from crawler.checks.dom import parse, strip_fragment
from crawler.checks.qa_section import json_items
from crawler.page import FindingDraft, PageView
from pobi.models import Channel

_CALLS = [
    re.compile(r"""\bfetch\s*\(\s*(['"`])(?P<u>[^'"`\s]{1,300})\1"""),
    re.compile(r"""\$\.(?:getJSON|get)\s*\(\s*(['"])(?P<u>[^'"\s]{1,300})\1"""),
    re.compile(r"""\baxios(?:\.get)?\s*\(\s*(['"])(?P<u>[^'"\s]{1,300})\1"""),
    re.compile(r"""\.open\s*\(\s*['"]GET['"]\s*,\s*(['"])(?P<u>[^'"\s]{1,300})\1""", re.I),
    re.compile(r"""\$\.ajax\s*\(\s*\{[^}]{0,300}?\burl\s*:\s*(['"])(?P<u>[^'"\s]{1,300})\1"""),
]
_POST = re.compile(r"""(type|method)\s*:\s*['"]post['"]|\$\.post\s*\(""", re.I)
_NOT_DATA = re.compile(r"\.(js|css|png|jpe?g|gif|svg|ico|woff2?|html?)$", re.I)
KIND = "xhr_list"  # the request's pobi_kind, and the finding's details.how for the list


def list_endpoint(page: PageView) -> str:
    """The same-host URL the page's inline script fetches its list from, or ''."""
    page_host = urlsplit(page.url).netloc.lower()
    for body in parse(page).scripts:
        if _POST.search(body):
            continue  # a list fetched by POST is not fetched again by the crawler
        for pattern in _CALLS:
            for m in pattern.finditer(body):
                raw = m.group("u")
                if raw.startswith(("javascript:", "data:", "#")) or "${" in raw:
                    continue
                url = strip_fragment(urljoin(page.url, raw))
                parts = urlsplit(url)
                if parts.scheme not in ("http", "https") or parts.netloc.lower() != page_host:
                    continue  # one hop on the page's own host only
                if _NOT_DATA.search(parts.path):
                    continue
                return url
    return ""


def unread_list(drafts: list[FindingDraft]) -> FindingDraft | None:
    """The Q&A section judged on this page whose list is loaded by script and was not read."""
    for d in drafts:
        if d.channel == Channel.QA_SECTION and d.details.get("list_state") == "script_loaded":
            return d
    return None


def _records(data: object, depth: int = 0) -> int:
    """Entries of the longest list of records (objects with a text field) in the JSON: the list
    (``{"items": [{...}, ...]}``, ``{"d": {"results": [...]}}``, ``[{...}, ...]``)."""
    if depth > 6:
        return 0
    best = 0
    if isinstance(data, list):
        if (
            data
            and all(isinstance(x, dict) for x in data)
            and any(isinstance(v, str) and v.strip() for x in data for v in x.values())
        ):
            best = len(data)
        for x in data[:50]:
            best = max(best, _records(x, depth + 1))
    elif isinstance(data, dict):
        for v in data.values():
            best = max(best, _records(v, depth + 1))
    return best


def judge(section: FindingDraft, body: bytes | str, json_url: str) -> FindingDraft | None:
    """The section judged again on the list's JSON, or None when it names no question."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None  # not JSON (an error page, a login form): the section stays unread
    keyed, asked, answered = json_items([text])
    count = max(keyed, _records(data))
    if not count:
        return None
    details = dict(section.details)
    details.update(
        list_state="listed",
        questions_listed=count,
        newest_question_date=max(asked).isoformat() if asked else None,
        newest_answer_date=max(answered).isoformat() if answered else None,
        dates_labelled=bool(asked or answered),
        list_json=json_url,
        evidence=[
            f"{count} question(s) listed in the JSON the page's script loads ({json_url}), "
            "fetched by the crawler and archived",
            *(e for e in section.details.get("evidence", []) if "loaded by script" not in str(e)),
        ],
    )
    if answered and not details.get("answered_count"):
        details["answered_count"] = len(answered)
    return FindingDraft(Channel.QA_SECTION, section.value, details)
