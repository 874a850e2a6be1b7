"""Tiny page checks for engine tests that must not depend on the real checks' accuracy."""

from __future__ import annotations

import re

from crawler.page import FindingDraft, LinkHint, PageView
from pobi.models import Channel

MAILTO = re.compile(r"mailto:([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)", re.IGNORECASE)
PLAIN = re.compile(r"\b([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\b")


def emails(page: PageView) -> list[FindingDraft]:
    found = {m.lower() for m in MAILTO.findall(page.html)} | {
        m.lower() for m in PLAIN.findall(page.html)
    }
    return [FindingDraft(Channel.EMAIL, value) for value in sorted(found)]


def no_hints(page: PageView) -> list[LinkHint]:
    return []
