"""info_access: the "Tiếp cận thông tin" section (Law 104/2016, Decree 13/2018 Art. 11).

Value: the section's URL (a link's target inside the site, or the page itself). "Công khai ngân
sách" (budget publication) is a different thing: it is only a crawl hint (see crawler.links).
A headline such as "Hội nghị triển khai Luật Tiếp cận thông tin" is not the section.

Portals label it many ways: "Tiếp cận thông tin", "Công khai thông tin", "Cung cấp thông tin",
"Yêu cầu cung cấp thông tin", "Danh mục thông tin phải công khai". When the page itself is the
section, its content is judged with evidence (``list_state``: listed | says_empty | error |
script_loaded | none_seen; ``items_listed``; ``newest_date`` for staleness; ``evidence``):
scoring calls it empty, broken or stale only on that evidence.
"""

from __future__ import annotations

import re

from crawler.checks.dom import Doc, parse, same_site
from crawler.checks.section import SectionSpec, page_is_section, section_links
from crawler.page import FindingDraft, PageView
from crawler.text import fold_lower
from pobi.models import Channel

DOCUMENT = re.compile(r"\.(pdf|docx?|xlsx?|zip|rar)(\?|$)", re.I)

INFO = SectionSpec(
    labels=(
        "Tiếp cận thông tin",
        "Cung cấp thông tin theo yêu cầu",
        "Yêu cầu cung cấp thông tin",
        "Công khai thông tin",
        "Cung cấp thông tin",
        "Danh mục thông tin phải công khai",
        "Thông tin phải được công khai",
        "Tiếp cận thông tin công dân",
    ),
    slug=re.compile(
        r"(tiep-can-thong-tin|tiepcanthongtin|cung-cap-thong-tin|cong-khai-thong-tin"
        r"|congkhaithongtin|danh-muc-thong-tin-phai-cong-khai)(-[a-z0-9]+){0,3}"
    ),
    extra_words=3,
    prefixes=("Chuyên mục", "Chuyên trang", "Trang", "Cổng", "Danh mục"),
)


def check(page: PageView) -> list[FindingDraft]:
    doc = parse(page)
    drafts: dict[str, FindingDraft] = {}
    itself = page_is_section(page, doc, INFO)
    if itself:
        value, how = itself
        drafts[value] = FindingDraft(
            Channel.INFO_ACCESS, value, {"how": how, **content(page, doc, value)}
        )
    for link, value, how in section_links(page, doc, INFO):
        if value not in drafts:
            drafts[value] = FindingDraft(
                Channel.INFO_ACCESS,
                value,
                {"how": f"link_{how}", "label": link.text, "rendered": page.rendered},
            )
    return list(drafts.values())


def content(page: PageView, doc: Doc, value: str) -> dict[str, object]:
    """What the section page shows: items (documents, entries) and their newest date."""
    from crawler.checks.qa_section import ERROR_PAGE, SAYS_EMPTY, unlabelled_dates
    from crawler.render import JS_SHELL, PLACEHOLDER, SCRIPT_LIST, render_reason

    folded = fold_lower(doc.text)
    items = {
        link.url
        for link in doc.links
        if link.tag in ("a", "script_nav")
        and link.url
        and link.url != value
        and link.zone == "main"
        and (len(link.text) >= 12 or DOCUMENT.search(link.url))
        and (same_site(link.url, page.url) or DOCUMENT.search(link.url))
    }
    dates = unlabelled_dates(doc.text)
    error = ERROR_PAGE.search(folded)
    says_empty = SAYS_EMPTY.search(folded)
    if error:
        state, shown = "error", f"the page shows an error: '{error.group(0)}'"
    elif items:
        state, shown = "listed", f"{len(items)} item(s) listed"
    elif says_empty:
        state, shown = "says_empty", f"the page says '{says_empty.group(0)}'"
    else:
        why = None if page.rendered else render_reason(page.html, page.url)
        if why and why.code in (SCRIPT_LIST, PLACEHOLDER, JS_SHELL):
            state, shown = "script_loaded", f"the list is loaded by script ({why.text})"
        else:
            state, shown = "none_seen", "no document or entry listed on the section page"
    evidence = [shown]
    if dates:
        evidence.append(f"newest date {max(dates).isoformat()} of {len(dates)}")
    return {
        "items_listed": len(items),
        "newest_date": max(dates).isoformat() if dates else None,
        "list_state": state,
        "evidence": evidence,
        "rendered": page.rendered,
    }
