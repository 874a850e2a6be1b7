"""feedback_form: a form (with a text area) to send feedback. Value: the URL of the form's page.

The form must have a ``<textarea>`` and be labelled as feedback: "Góp ý", "Phản ánh kiến nghị",
"Phản ánh, kiến nghị", "Gửi ý kiến", "Ý kiến", "Liên hệ" (contact form), in the form itself, the
heading just before it, the page's title or first heading, the label of the link that led here,
or the page's URL slug. The site's menu and footer are ignored (a "Liên hệ" menu link on a Q&A
page does not make the question form a feedback form). A menu link labelled so is only a crawl
hint (crawler.links), never a finding.
"""

from __future__ import annotations

import re

from crawler.checks.dom import is_article_url, parse, strip_fragment
from crawler.checks.section import last_segment
from crawler.page import FindingDraft, PageView
from crawler.text import label_key
from pobi.models import Channel

KEYS = re.compile(
    r"(?<![a-z])(gop y|phan anh|kien nghi|gui y kien|y kien|lien he|contact|feedback|phan hoi)(?![a-z])"
)
COMMENTS = re.compile(
    r"(?<![a-z])(binh luan|y kien ban doc|comment|viet binh luan|tra loi binh luan)(?![a-z])"
)
STRONG = re.compile(r"(?<![a-z])(gop y|phan anh|kien nghi|lien he)(?![a-z])")
SLUGS = re.compile(r"(gop-?y|phan-?anh|kien-?nghi|y-?kien|lien-?he|contact|feedback|phan-?hoi)")


def check(page: PageView) -> list[FindingDraft]:
    from crawler.checks.external_system import systems

    return _own(page) + systems(page, Channel.FEEDBACK_FORM)  # + complaint systems elsewhere


def _own(page: PageView) -> list[FindingDraft]:
    doc = parse(page)
    forms = [f for f in doc.forms if f.has_textarea]
    if not forms:
        return []
    page_context = " ".join([doc.title, *doc.headings[:1], page.link_text])
    slug = last_segment(page.url)
    article = is_article_url(page.url)
    for form in forms:
        context = label_key(" ".join([form.text, form.heading]))
        if COMMENTS.search(context):
            continue  # readers' comments under an article are not a channel to the agency
        if article:  # a form on a news article counts only when it says so itself
            m = STRONG.search(context)
        else:
            m = KEYS.search(context) or KEYS.search(label_key(page_context))
        if m or (SLUGS.search(slug) and not article):
            label = m.group(1) if m else slug
            return [
                FindingDraft(
                    Channel.FEEDBACK_FORM,
                    strip_fragment(page.url),
                    {"label": label, "rendered": page.rendered},
                )
            ]
    return []
