"""info_access: the "Tiếp cận thông tin" section (Law 104/2016, Decree 13/2018 Art. 11).

Value: the section's URL (a link's target inside the site, or the page itself). "Công khai ngân
sách" (budget publication) is a different thing: it is only a crawl hint (see crawler.links).
A headline such as "Hội nghị triển khai Luật Tiếp cận thông tin" is not the section.
"""

from __future__ import annotations

import re

from crawler.checks.dom import parse
from crawler.checks.section import SectionSpec, page_is_section, section_links
from crawler.page import FindingDraft, PageView
from pobi.models import Channel

INFO = SectionSpec(
    labels=(
        "Tiếp cận thông tin",
        "Cung cấp thông tin theo yêu cầu",
        "Yêu cầu cung cấp thông tin",
    ),
    slug=re.compile(r"(tiep-can-thong-tin|tiepcanthongtin|cung-cap-thong-tin)(-[a-z0-9]+){0,3}"),
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
            Channel.INFO_ACCESS, value, {"how": how, "rendered": page.rendered}
        )
    for link, value, how in section_links(page, doc, INFO):
        if value not in drafts:
            drafts[value] = FindingDraft(
                Channel.INFO_ACCESS,
                value,
                {"how": f"link_{how}", "label": link.text, "rendered": page.rendered},
            )
    return list(drafts.values())
