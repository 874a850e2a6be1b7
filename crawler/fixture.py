"""``pobi crawl fixture``: a crawled site's archived pages become test fixtures.

A researcher who sees the tool miss (or invent) a channel on a real portal turns the pages of
that crawl into fixtures for ``tests/crawler/checks/pages/``: each page's bytes exactly as
archived (the WARC response body, or Chromium's DOM for a rendered page; never edited), and a
JSON sidecar holding the page's provenance (URL, round, fetch time, WARC hash, render reason)
and a ground-truth *stub*: what pobi finds on the page today, to be corrected by hand. The test
refuses a sidecar that still carries ``"stub"``, so a fixture counts only once a person has
checked it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import or_, select

from crawler.archive import read_warc
from pobi.errors import InputError, NotFoundError
from pobi.evidence import EvidenceStore
from pobi.models import Channel, FetchStatus, SiteKind
from pobi.store import Store
from pobi.store.tables import CrawlSite, Page

STUB_NOTE = (
    "Ground truth to fill in: 'expected' lists what pobi found on this page when the fixture "
    "was made. Correct it (add what a person sees, remove what is wrong), write the page's "
    "'quirk', check the licence, then delete this 'stub' key."
)


@dataclass(frozen=True)
class Written:
    html: Path
    sidecar: Path
    url: str
    found: int


def fixture_name(url: str, taken: set[str]) -> str:
    """'https://stc.tinh.gov.vn/Pages/hoi-dap.aspx?ID=3' -> 'stc_tinh_gov_vn_pages_hoi_dap_aspx_id_3'."""
    parts = urlsplit(url)
    raw = f"{parts.hostname or 'page'} {parts.path} {parts.query}".lower()
    name = re.sub(r"[^a-z0-9]+", "_", raw).strip("_")[:80] or "page"
    base, n = name, 2
    while name in taken:
        name = f"{base}_{n}"
        n += 1
    taken.add(name)
    return name


def _decode(body: bytes, content_type: str) -> tuple[str, str]:
    from w3lib.encoding import html_to_unicode

    encoding, text = html_to_unicode(content_type, body)
    return encoding, text


def export(
    store: Store,
    evidence: EvidenceStore,
    round_id: str,
    site_url: str,
    out: Path,
    limit: int = 50,
) -> list[Written]:
    """Write fixtures for the stored pages of one crawled site; returns what was written."""
    from crawler.checks import run_checks_with_errors
    from crawler.page import PageView

    want = site_url.rstrip("/")
    with store.session() as s:
        sites = list(
            s.scalars(
                select(CrawlSite).where(
                    CrawlSite.round_id == round_id,
                    or_(
                        CrawlSite.url.in_([site_url, want, want + "/"]),
                        CrawlSite.final_url.in_([site_url, want, want + "/"]),
                    ),
                )
            )
        )
        if not sites:
            known = sorted(
                s.scalars(select(CrawlSite.url).where(CrawlSite.round_id == round_id)).all()
            )
            raise NotFoundError(
                f"No crawled site {site_url!r} in round {round_id!r}.",
                hint="Sites of this round: " + (", ".join(known[:10]) or "none (crawl first)"),
            )
        site = sites[0]
        pages = list(
            s.scalars(
                select(Page)
                .where(
                    Page.round_id == round_id,
                    Page.site_id == site.id,
                    Page.status == FetchStatus.OK.value,
                    Page.warc_sha256 != "",
                )
                .order_by(Page.depth, Page.url)
                .limit(limit)
            )
        )
        site_kind, province = site.site_kind, site.province_code
        rows = [
            (p.url, p.final_url or p.url, p.rendered, p.render_reason, p.warc_sha256,
             p.content_type, p.fetched_at, p.depth)
            for p in pages
        ]  # fmt: skip
    if not rows:
        raise NotFoundError(
            f"Site {site_url!r} of round {round_id!r} has no archived page.",
            hint="Only pages fetched with status ok are archived; see pobi crawl's summary.",
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"Cannot create {out}: {exc}") from exc
    taken = {p.stem for p in out.glob("*.html")}
    written: list[Written] = []
    for url, final, rendered, reason, warc_sha, ctype, fetched_at, depth in rows:
        try:
            archived = read_warc(evidence.read(warc_sha))
        except (OSError, ValueError):
            continue  # evidence missing or unreadable: `pobi evidence verify` reports it
        if rendered and archived.rendered_html is not None:
            body, encoding, text = (
                archived.rendered_html.encode("utf-8"),
                "utf-8",
                archived.rendered_html,
            )
        else:
            encoding, text = _decode(archived.body, ctype)
            body = archived.body
        view = PageView(
            url=final,
            site_url=site_url,
            site_kind=SiteKind(site_kind),
            province_code=province,
            html=text,
            encoding=encoding,
            content_type=ctype,
            rendered=bool(rendered),
            depth=depth,
        )
        drafts, _errors = run_checks_with_errors(view)
        expected: dict[str, list[str]] = {}
        for d in drafts:
            expected.setdefault(d.channel.value, [])
            if d.value not in expected[d.channel.value]:
                expected[d.channel.value].append(d.value)
        name = fixture_name(final, taken)
        html_path, json_path = out / f"{name}.html", out / f"{name}.json"
        html_path.write_bytes(body)
        sidecar = {
            "url": final,
            "site_kind": site_kind,
            "encoding": encoding,
            "province_code": province,
            "rendered": bool(rendered),
            "quirk": "TODO: what on this page fooled the tool (name the file after it)",
            "stub": STUB_NOTE,
            "provenance": {
                "captured": True,
                "source_url": url,
                "final_url": final,
                "round": round_id,
                "fetched_at": fetched_at.isoformat() if fetched_at else "",
                "warc_sha256": warc_sha,
                "render_reason": reason,
                "body": "Chromium's DOM after scripts ran" if rendered else "HTTP response body",
                "licence": "TODO: the site's terms of use; public-sector pages, keep this note",
            },
            "expected": {c.value: expected[c.value] for c in Channel if c.value in expected},
        }
        json_path.write_text(
            json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(Written(html_path, json_path, final, len(drafts)))
    return written
