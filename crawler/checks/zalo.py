"""zalo: an official Zalo account (Official Account or phone/slug page) linked from the page.

Value: ``https://zalo.me/<id-or-slug>`` or ``https://oa.zalo.me/<id>``. Share buttons
(``sp.zalo.me``, ``button-share.zalo.me``, ``zalo.me/share``), groups (``zalo.me/g/...``) and
download/app pages are not accounts.
"""

from __future__ import annotations

import re

from crawler.checks.dom import parse
from crawler.checks.social import accounts, segments
from crawler.page import FindingDraft, PageView
from pobi.models import Channel

NOT_ACCOUNTS = {
    "share",
    "s",
    "g",
    "pc",
    "download",
    "zalo-web",
    "app",
    "web",
    "oauth",
    "login",
    "home",
}
ID = re.compile(r"[a-z0-9._\-]{2,80}", re.I)


def normalise(host: str, path: str, query: str) -> str:
    segs = segments(path)
    if not segs:
        return ""
    first = segs[0]
    if first.lower() in NOT_ACCOUNTS or not ID.fullmatch(first) or len(segs) > 1:
        return ""
    if host in ("zalo.me", "www.zalo.me"):
        return f"https://zalo.me/{first.lower()}"
    if host == "oa.zalo.me":
        return f"https://oa.zalo.me/{first.lower()}"
    return ""


def check(page: PageView) -> list[FindingDraft]:
    found = accounts(page, parse(page), normalise)
    return [FindingDraft(Channel.ZALO, v, details) for v, details in found.items()]
