"""facebook: an official Facebook page or profile linked from the page.

Value: ``https://www.facebook.com/<slug>`` (lower case),
``https://www.facebook.com/profile.php?id=<n>`` or ``https://www.facebook.com/p/<name-id>``;
``/pages/<name>/<id>`` and ``/people/<name>/<id>`` give ``https://www.facebook.com/<id>``.
Found as links, page-plugin widgets and QR codes (crawler.checks.social). Share buttons (``sharer``, ``share.php``,
``dialog``), embeds (``plugins``), posts, photos, videos, events and groups are not accounts.
"""

from __future__ import annotations

import re

from crawler.checks.dom import parse
from crawler.checks.social import accounts, query_param, segments
from crawler.page import FindingDraft, PageView
from pobi.models import Channel

HOSTS = {
    "facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com", "mobile.facebook.com",
    "vi-vn.facebook.com", "business.facebook.com", "fb.com", "www.fb.com", "fb.me",
}  # fmt: skip
NOT_ACCOUNTS = {
    "sharer", "sharer.php", "share.php", "share", "dialog", "plugins", "login", "login.php",
    "tr", "events", "watch", "photo.php", "photo", "photos", "story.php", "permalink.php",
    "hashtag", "help", "policies", "privacy", "groups", "l.php", "home.php", "ads", "business",
    "gaming", "marketplace", "reel", "reels", "stories", "search", "notes", "media", "video.php",
    "videos", "pg", "recover", "signup", "r.php", "profile.php", "people", "public", "messages",
    "legal", "terms", "settings", "bookmarks", "fundraisers", "live", "about",
}  # fmt: skip
SLUG = re.compile(r"[a-z0-9.\-_]{2,80}", re.I)


def normalise(host: str, path: str, query: str) -> str:
    if host not in HOSTS:
        return ""
    segs = segments(path)
    if not segs:
        return ""
    first = segs[0].lower()
    if first == "profile.php":
        n = query_param(query, "id")
        return f"https://www.facebook.com/profile.php?id={n}" if n.isdigit() else ""
    if first == "pages" and len(segs) >= 3 and segs[-1].isdigit():
        return f"https://www.facebook.com/{segs[-1]}"
    if first == "people" and len(segs) >= 3 and segs[2].isdigit():  # /people/Name/1000...
        return f"https://www.facebook.com/{segs[2]}"
    if first == "p" and len(segs) >= 2 and SLUG.fullmatch(segs[1]):  # /p/Name-1000...
        return f"https://www.facebook.com/p/{segs[1].lower()}"
    if first in NOT_ACCOUNTS or (
        len(segs) > 1 and segs[1].lower() not in ("", "about", "timeline")
    ):
        return ""
    if not SLUG.fullmatch(first) or first.endswith(".php"):
        return ""
    return f"https://www.facebook.com/{first}"


def check(page: PageView) -> list[FindingDraft]:
    found = accounts(page, parse(page), normalise)
    return [FindingDraft(Channel.FACEBOOK, v, details) for v, details in found.items()]
