"""phone: hotlines and contact numbers. Value: digits only, '+84' written as '0'.

A number counts when it follows a label on the same line: "Đường dây nóng", "Hotline",
"Điện thoại", "ĐT", "Tel", "Tổng đài", "SĐT", or when it is a ``tel:`` link. Numbers after "Fax"
are skipped, and so are dates and ids (they are not phone-shaped). Short hotlines (1022, 111,
113...) are accepted only after a hotline label ("Đường dây nóng", "Hotline", "Tổng đài").
"""

from __future__ import annotations

import re

from crawler.checks.dom import parse
from crawler.page import FindingDraft, PageView
from crawler.text import fold
from pobi.models import Channel

LABEL = re.compile(
    r"(?<![a-z0-9])(duong day nong|hotline|tong dai(?: dien thoai)?|so dien thoai|dien thoai(?: lien he| co dinh| di dong)?"
    r"|sdt|s\.d\.t|d\.t|dt|tel|phone|fax|di dong)(?![a-z0-9])\s*[:.\-]?",
    re.I,
)
HOTLINE_LABELS = ("duong day nong", "hotline", "tong dai")
PHONE_SHAPE = re.compile(
    r"(?<![\d/.])(?:\+\s?84|\(\s?\+?84\s?\)|\(?0\d{1,3}\)?|1[89]00|1\d{2,3})(?:[\s.\-]?\(?\d{1,4}\)?){0,5}(?![\d/])"
)


def normalise(raw: str) -> str:
    digits = re.sub(r"\D", "", raw)
    if raw.strip().startswith(("+84", "(+84", "( +84", "(84")) or (
        digits.startswith("84") and len(digits) in (11, 12) and not raw.strip().startswith("0")
    ):
        digits = "0" + digits[2:]
    return digits


def plausible(digits: str, hotline_label: bool) -> bool:
    if digits.startswith("0") and 10 <= len(digits) <= 11:
        return digits[1] != "0"
    if re.fullmatch(r"1[89]00\d{4,6}", digits):
        return True
    return hotline_label and bool(re.fullmatch(r"1\d{2,3}", digits))


def numbers_after(line: str, start: int, stop: int, hotline_label: bool) -> list[tuple[str, str]]:
    out = []
    for cell in line[start:stop].split("\t"):  # a number never runs across table cells
        out += _numbers_in(cell, hotline_label)
    return out


def _numbers_in(window: str, hotline_label: bool) -> list[tuple[str, str]]:
    out = []
    for m in PHONE_SHAPE.finditer(window):
        raw = m.group(0).strip(" .-")
        digits = normalise(raw)
        if plausible(digits, hotline_label):
            out.append((digits, raw))
        elif len(digits) > 11:
            # two numbers run together by the regex ("024 1234 5678 - 0912 345 678")
            for part in re.split(r"\s[-/,;]\s|\s{2,}", raw):
                d = normalise(part)
                if plausible(d, hotline_label):
                    out.append((d, part))
    return out


def next_line(lines: list[str], n: int) -> str:
    """The next line when it starts with a number (the next table cell), else ''."""
    following = lines[n + 1] if n + 1 < len(lines) else ""
    return following if re.match(r"\s*[:\-]?\s*[\d(+]", following) else ""


def check(page: PageView) -> list[FindingDraft]:
    doc = parse(page)
    found: dict[str, dict[str, object]] = {}
    for link in doc.links:
        if link.scheme in ("tel", "callto"):
            digits = normalise(link.href.split(":", 1)[1])
            if plausible(digits, True):
                found.setdefault(digits, {"label": link.text or "tel", "presentation": "tel"})
    lines = doc.text.split("\n")
    for n, line in enumerate(lines):
        folded = fold(line).lower()
        labels = list(LABEL.finditer(folded))
        for i, m in enumerate(labels):
            name = m.group(1)
            if name == "fax" and not (i and m.start() - labels[i - 1].end() <= 3):
                continue  # 'Fax: ...' (but 'ĐT/Fax: ...' is a phone too)
            stop = labels[i + 1].start() if i + 1 < len(labels) else min(len(line), m.end() + 80)
            hot = name.startswith(HOTLINE_LABELS)
            label = line[m.start() : m.end()].strip(" :.-\t")
            numbers = numbers_after(line, m.end(), stop, hot)
            if not numbers and i + 1 == len(labels) and not line[m.end() :].strip(" :.-/\t"):
                # a table: the label in one cell, the number in the next
                numbers = numbers_after(next_line(lines, n), 0, 40, hot)
            for digits, _raw in numbers:
                found.setdefault(digits, {"label": label, "presentation": "text"})
    return [
        FindingDraft(Channel.PHONE, digits, {**details, "rendered": page.rendered})
        for digits, details in found.items()
    ]
