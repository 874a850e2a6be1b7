"""youtube: an official YouTube channel linked from the page.

Value: ``https://www.youtube.com/@handle`` | ``/channel/<id>`` | ``/c/<name>`` | ``/user/<name>``
(sub-pages such as ``/videos`` or ``/featured`` dropped). Videos (``watch?v=``, ``youtu.be``,
``/shorts/``, ``/embed/``), playlists and searches are not channels.
"""

from __future__ import annotations

import re
import unicodedata

from crawler.checks.dom import parse
from crawler.checks.social import accounts, segments
from crawler.page import FindingDraft, PageView
from pobi.models import Channel

HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube.com.vn"}
NAME = re.compile(r"[\w.\-·]{2,100}")  # handles may be Vietnamese: /@TruyềnHìnhHàGiang


def normalise(host: str, path: str, query: str) -> str:
    if host not in HOSTS:
        return ""
    segs = segments(path)
    if not segs:
        return ""
    first = segs[0]
    if first.startswith("@") and NAME.fullmatch(first[1:]):
        return f"https://www.youtube.com/{unicodedata.normalize('NFC', first)}"
    if first in ("channel", "c", "user") and len(segs) >= 2 and NAME.fullmatch(segs[1]):
        return f"https://www.youtube.com/{first}/{segs[1]}"
    return ""


def check(page: PageView) -> list[FindingDraft]:
    found = accounts(page, parse(page), normalise)
    return [FindingDraft(Channel.YOUTUBE, v, details) for v, details in found.items()]
