"""A portal's own Q&A / feedback form, filled in Chromium from the request; a person submits.

pobi opens the form, fills the fields it recognises (name, e-mail, phone, address, title,
content — by label, name, id, placeholder, in Vietnamese or English, with or without diacritics)
and leaves everything else, the CAPTCHA above all, to the person, who checks the form and
presses the portal's own submit button. The evidence is the filled form (HTML and a full-page
screenshot, taken before submitting) and the confirmation page the portal answers with (HTML and
screenshot).

Nothing is ever submitted by pobi itself: ``person`` is the human step (in the CLI, someone at a
visible browser window; in tests, a script standing in for them).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pobi.errors import ExternalServiceError, InputError

# role -> hints, most specific first; matched against label/name/id/placeholder (folded)
HINTS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "thu dien tu", "mail"),
    "phone": ("so dien thoai", "dien thoai", "phone", "mobile", "sdt", "tel"),
    "address": ("dia chi", "address", "diachi", "noi cu tru"),
    "title": ("tieu de", "title", "subject", "chu de", "tieude"),
    "content": ("noi dung", "cau hoi", "content", "question", "message", "noidung", "y kien"),
    "name": ("ho va ten", "ho ten", "hoten", "fullname", "full name", "name", "ten"),
}
SKIP = ("captcha", "ma xac nhan", "ma bao ve", "security code", "verification")

_DESCRIBE = """
() => {
  const out = [];
  const els = document.querySelectorAll('input, textarea');
  els.forEach((el, i) => {
    const type = (el.getAttribute('type') || 'text').toLowerCase();
    if (['hidden', 'submit', 'button', 'checkbox', 'radio', 'file', 'image', 'reset'].includes(type)) return;
    if (el.offsetParent === null && el.tagName !== 'TEXTAREA') return;
    let label = '';
    if (el.id) {
      const l = document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
      if (l) label = l.innerText;
    }
    if (!label && el.closest('label')) label = el.closest('label').innerText;
    if (!label) {
      const prev = el.previousElementSibling;
      if (prev && ['LABEL', 'SPAN', 'B', 'STRONG'].includes(prev.tagName)) label = prev.innerText;
    }
    el.setAttribute('data-fill-index', String(i));
    out.push({index: i, tag: el.tagName.toLowerCase(), type: type, name: el.name || '',
              id: el.id || '', placeholder: el.placeholder || '', label: label || ''});
  });
  return out;
}
"""


def fold(text: str) -> str:
    """Lower case, no diacritics (đ -> d): 'Họ và tên' -> 'ho va ten'."""
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def role_of(field_info: dict[str, Any]) -> str | None:
    """Which request value a form field takes (None: leave it to the person)."""
    described = fold(
        " ".join(str(field_info.get(k, "")) for k in ("label", "name", "id", "placeholder"))
    )
    if any(s in described for s in SKIP):
        return None
    if field_info.get("type") == "email":
        return "email"
    if field_info.get("type") == "tel":
        return "phone"
    for role, hints in HINTS.items():
        if any(h in described for h in hints):
            return role
    if field_info.get("tag") == "textarea":
        return "content"
    return None


@dataclass
class FormEvidence:
    url: str
    filled: dict[str, str] = field(default_factory=dict)  # role -> field name/id used
    left: list[str] = field(default_factory=list)  # fields left to the person
    filled_html: bytes = b""
    filled_png: bytes = b""
    confirmation_url: str = ""
    confirmation_html: bytes = b""
    confirmation_png: bytes = b""


def fill_form(
    url: str,
    values: dict[str, str],
    *,
    browser_path: str | None,
    headless: bool,
    person: Callable[[Any], None] | None = None,
    timeout_s: float = 900.0,
    loopback_only: bool = False,
) -> FormEvidence:
    """Open ``url``, fill it from ``values`` (roles of :data:`HINTS`), photograph it, then wait
    (up to ``timeout_s``) for the person to submit it, and photograph the answer."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from crawler.browser import LAUNCH_ARGS, LOOPBACK_ONLY_ARGS

    if not browser_path:
        raise ExternalServiceError(
            "No Chromium to open the form in.",
            hint="Install Debian's chromium, or set [crawl] browser_path.",
        )
    args = [a for a in LAUNCH_ARGS if a != "--headless" or headless]
    if loopback_only:
        args += LOOPBACK_ONLY_ARGS
    ev = FormEvidence(url)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=browser_path, headless=headless, args=args)
            try:
                page = browser.new_page()
                page.goto(url, wait_until="load", timeout=60_000)
                fields = page.evaluate(_DESCRIBE)
                used: set[str] = set()
                for f in fields:
                    role = role_of(f)
                    label = f["name"] or f["id"] or f"#{f['index']}"
                    if role is None or role in used or not values.get(role):
                        ev.left.append(label)
                        continue
                    page.fill(f"[data-fill-index='{f['index']}']", values[role])
                    used.add(role)
                    ev.filled[role] = label
                if "content" not in ev.filled:
                    raise InputError(
                        f"{url}: no field for the request's text was found (a textarea or a "
                        "field labelled 'Nội dung' / 'Câu hỏi'); nothing was filled in.",
                    )
                page.evaluate(
                    "() => document.querySelectorAll('[data-fill-index]')"
                    ".forEach(e => e.removeAttribute('data-fill-index'))"
                )
                ev.filled_html = page.content().encode("utf-8")
                ev.filled_png = page.screenshot(full_page=True)
                with page.expect_navigation(timeout=timeout_s * 1000, wait_until="load"):
                    if person is not None:
                        person(page)
                ev.confirmation_url = page.url
                ev.confirmation_html = page.content().encode("utf-8")
                ev.confirmation_png = page.screenshot(full_page=True)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise ExternalServiceError(
            f"The form at {url} could not be filled or was not submitted in time: "
            f"{str(exc).splitlines()[0]}"
        ) from exc
    return ev
