"""finance_site: the Department of Finance's site, found in a portal's own link directory.

On portal pages only. Links, image links and ``<option>`` entries of "Liên kết website"
dropdowns whose label is "Sở Tài chính" (with or without diacritics, optionally followed by the
province's name) or whose host starts with ``stc.`` / ``sotaichinh.`` / ``tc.``. The target must be
another host and not a news article. Value: the site's root URL ``scheme://host[:port]/``.
The engine compares it with the registry; this check only finds it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.checks.dom import is_article_url, netloc_of, parse, root_url
from crawler.page import FindingDraft, PageView
from crawler.text import label_key
from pobi.models import Channel, SiteKind

LABEL = re.compile(
    r"^(website |cong thong tin dien tu |trang thong tin dien tu )?so tai chinh( [a-z0-9 ]{0,40})?$"
)
HOST = re.compile(r"^(stc|sotaichinh|sotc|tc)\.")
HEADLINE_WORDS = re.compile(
    r"\b(to chuc|hop|hoi nghi|thong bao|cong bo|ve viec|huong dan|ket qua)\b"
)


def check(page: PageView) -> list[FindingDraft]:
    if page.site_kind != SiteKind.PORTAL:
        return []
    doc = parse(page)
    own = {netloc_of(page.url), netloc_of(page.site_url)}
    found: dict[str, FindingDraft] = {}
    for link in doc.links:
        if link.tag not in ("a", "area", "option") or not link.url:
            continue
        if netloc_of(link.url) in own:
            continue
        key = label_key(link.text)
        by_label = (
            bool(LABEL.match(key)) and not HEADLINE_WORDS.search(key) and len(key.split()) <= 10
        )
        host = (urlsplit(link.url).hostname or "").lower()
        path = urlsplit(link.url).path
        by_host = bool(HOST.match(host)) and len([s for s in path.split("/") if s]) <= 1
        if (by_label or by_host) and not is_article_url(link.url):
            value = root_url(link.url)
            found.setdefault(
                value,
                FindingDraft(
                    Channel.FINANCE_SITE,
                    value,
                    {"label": link.text, "how": "label" if by_label else "host", "tag": link.tag},
                ),
            )
    return list(found.values())
