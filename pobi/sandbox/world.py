"""A simulated country: provincial portals and Department of Finance sites, as plain data.

:func:`build_country` makes one portal and one finance site for every province of an era, with the
variety real portals show (CMS styles and URL schemes, labels with or without diacritics, NFD text,
windows-1258 pages, Cloudflare-protected and script-built e-mails, an e-mail only as an image,
JavaScript-only menus, deep Q&A sections, iframes, dead sites, a portal whose domain moved after
the 2025 merger, decoy news items, share buttons, hotlines, forms, social accounts). It is
calibrated like POBI 2019: nearly every portal has a Q&A folder and a contact e-mail, finance sites
are more uneven. :func:`build_test_farm` is a smaller, hand-picked world where every case the
crawler must handle appears at least once (plus slow sites, dead sites, robots.txt).

A world is data only: :mod:`pobi.sandbox.web` serves it on loopback. Hosts do not know their
address until they are served, so URLs inside pages and in the expected findings are written with
placeholders ``{{KEY}}`` (a host key) that :func:`resolve` turns into ``http://127.0.0.X:PORT``.

Every e-mail domain ends in ``.sandbox.test`` (RFC 2606 reserved): no real address ever appears.
Everything is deterministic for a seed.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pobi.models import Channel, Era, SiteKind
from pobi.registry import Province, ascii_name, provinces

MAIL_SUFFIX = "sandbox.test"
PLACEHOLDER = re.compile(r"\{\{([A-Za-z0-9_-]+)\}\}")

# A 1x1 transparent PNG (served for every image the sandbox references).
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PDF_STUB = b"%PDF-1.4\n% pobi sandbox document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Page:
    """One resource of a host, served at ``path`` (path plus query string, e.g. ``/?page_id=12``)."""

    path: str
    body: str | bytes = ""  # text may hold {{KEY}} placeholders
    encoding: str = "utf-8"  # how text bodies are encoded on the wire (utf-8 | windows-1258)
    content_type: str = "text/html"
    status: int = 200
    location: str = ""  # redirect target (may hold placeholders)


@dataclass
class Host:
    """One web server on its own loopback address."""

    key: str  # placeholder key, e.g. 'p01', 'f01'
    pages: dict[str, Page] = field(default_factory=dict)
    robots: str = ""  # robots.txt body; '' -> 404
    latency_ms: int = 0  # added before every response
    dead: str = ""  # '' | 'refused' (nothing listens) | 'http500' (every path answers 500)
    redirect_all_to: str = ""  # host key: every path answers 301 to the same path there
    calendar_prefix: str = ""  # a generated, endless calendar under this path (a crawler trap)

    def add(self, page: Page) -> None:
        self.pages[page.path] = page


@dataclass(frozen=True)
class Expected:
    """A finding a correct crawler must report for a site."""

    channel: Channel
    value: str  # may hold placeholders
    rendered_only: bool = False  # only visible after scripts run (JS menu, script-built e-mail)
    robots_blocked: bool = False  # only reachable through a path robots.txt disallows
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # e.g. what the Q&A page shows


@dataclass(frozen=True)
class PublishedAddress:
    address: str
    province_code: str
    site_kind: SiteKind
    presentation: str  # mailto | text | obfuscated | cloudflare | script | image
    readable: bool  # False when shown only as an image
    reachable: bool  # False when the site is dead


@dataclass
class Site:
    """One row of the sites file: a start URL on a host, and what a crawler should find there."""

    province_code: str
    site_kind: SiteKind
    host: str  # key of the host the start URL is on
    start_path: str = "/"
    expected: list[Expected] = field(default_factory=list)
    addresses: list[PublishedAddress] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    name: str = ""
    listed: bool = True  # False: in no sites file; only a portal's link directory names it

    @property
    def start_url(self) -> str:
        return "{{" + self.host + "}}" + self.start_path


@dataclass
class World:
    name: str
    era: Era
    seed: int
    hosts: dict[str, Host] = field(default_factory=dict)
    sites: list[Site] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)  # budget documents (pobi.sandbox.budget)

    def published_addresses(self) -> dict[str, tuple[str, SiteKind]]:
        """Every e-mail address a live site publishes in readable form -> (province, site kind).

        Addresses shown only as an image, and those of dead sites, are left out (a crawler cannot
        find them, so no request can be sent to them). Stable: the mail sandbox builds its
        agencies from this.
        """
        out: dict[str, tuple[str, SiteKind]] = {}
        for site in self.sites:
            for a in site.addresses:
                if a.readable and a.reachable:
                    out.setdefault(a.address, (a.province_code, a.site_kind))
        return out

    def all_addresses(self) -> list[PublishedAddress]:
        return [a for site in self.sites for a in site.addresses]

    def site(self, province_code: str, kind: SiteKind | str) -> Site:
        for s in self.sites:
            if s.province_code == province_code and s.site_kind == SiteKind(kind):
                return s
        raise KeyError(f"no {kind} site for province {province_code}")


def resolve(text: str, bases: Mapping[str, str]) -> str:
    """Replace ``{{KEY}}`` placeholders by the hosts' base URLs (unknown keys are left alone)."""
    return PLACEHOLDER.sub(lambda m: bases.get(m.group(1), m.group(0)), text)


# --------------------------------------------------------------------------- text helpers


def fold(text: str) -> str:
    """Drop Vietnamese diacritics (đ -> d), keeping case."""
    return ascii_name(text)


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def encode_1258(text: str) -> bytes:
    """Encode text in windows-1258 as Vietnamese sites do: base letters plus combining tone marks.

    Python's cp1258 codec only maps single code points, so a precomposed letter such as 'ậ' is
    split into its letter with the vowel mark ('â', which cp1258 has) followed by the tone mark
    (U+0323, which cp1258 has as a combining character).
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts[1:] if c in TONE_MARKS)
        others = "".join(c for c in parts[1:] if c not in TONE_MARKS)
        base = unicodedata.normalize("NFC", parts[0] + others)
        try:
            out += base.encode("cp1258") + tones.encode("cp1258")
        except UnicodeEncodeError:
            out += ch.encode("cp1258", errors="xmlcharrefreplace")
    return bytes(out)


def slug(province: Province) -> str:
    """'Thành phố Hồ Chí Minh' -> 'hochiminh'."""
    return re.sub(r"[^a-z0-9]", "", ascii_name(province.short).lower())


def js_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/")


def cf_encode(address: str, key: int) -> str:
    """Cloudflare's e-mail obfuscation: hex of the key byte, then every byte XOR the key."""
    return f"{key:02x}" + "".join(f"{b ^ key:02x}" for b in address.encode())


# --------------------------------------------------------------------------- recipes

CMS_STYLES = ("liferay", "vnpt", "wordpress", "aspnet")
EMAIL_MODES = ("mailto", "text", "obfuscated", "cloudflare", "script", "image")


@dataclass(frozen=True)
class Recipe:
    """What one site looks like. Every field is a feature a crawler must cope with."""

    cms: str = "vnpt"
    labels: str = "nfc"  # nfc | ascii | nfd | upper
    encoding: str = "utf-8"  # utf-8 | windows-1258
    qa: bool = True
    qa_label: str = "Hỏi đáp"
    qa_depth: int = 1  # 1: linked from the menu; 3: Công dân > Dịch vụ > Hỏi đáp
    qa_form: bool = True
    qa_questions: int = 5
    emails: tuple[str, ...] = ("mailto",)  # presentation of each published address, in order
    contact_page: bool = True
    contact_email: bool = False  # an extra address only on the contact page
    phone: bool = True
    hotline_1022: bool = False
    feedback_form: bool = True
    feedback_label: str = "Góp ý"
    info_access: bool = False
    budget_page: bool = True  # 'Công khai ngân sách' (not info_access)
    facebook: str = ""  # account URL as linked ('' = none)
    zalo: str = ""
    youtube: str = ""
    share_buttons: bool = True
    decoys: bool = True
    link_directory: bool = True  # portals: a 'Liên kết website' list naming the finance site
    directory_form: str = "select"  # select | list
    js_menu: bool = False  # menu links only exist after scripts run
    spa: bool = False  # the whole site is a script-built shell
    iframe_form: bool = False  # the feedback form lives in an iframe
    robots_hidden: bool = False  # an extra address only under a path robots.txt disallows
    calendar: bool = False  # an endless calendar (crawler trap)
    latency_ms: int = 0
    dead: str = ""  # '' | refused | http500
    moved: bool = False  # start URL on an old host that redirects to the new one


@dataclass(frozen=True)
class Paths:
    home: str
    start_redirect: bool
    qa: str
    contact: str
    info: str
    budget: str
    intro: str
    news: str
    feedback: str
    article: Callable[[int, str], str]


def paths_for(cms: str) -> Paths:
    if cms == "liferay":
        return Paths(
            home="/web/guest/trang-chu",
            start_redirect=True,
            qa="/web/guest/hoi-ap",
            contact="/web/guest/lien-he",
            info="/web/guest/tiep-can-thong-tin",
            budget="/web/guest/cong-khai-ngan-sach",
            intro="/web/guest/gioi-thieu",
            news="/web/guest/tin-tuc",
            feedback="/web/guest/phan-anh-kien-nghi",
            article=lambda n, s: f"/web/guest/tin-tuc/-/asset_publisher/Xk2p/content/{s}",
        )
    if cms == "wordpress":
        return Paths(
            home="/",
            start_redirect=False,
            qa="/?page_id=12",
            contact="/?page_id=7",
            info="/?page_id=21",
            budget="/?page_id=30",
            intro="/?page_id=2",
            news="/?cat=3",
            feedback="/?page_id=44",
            article=lambda n, s: f"/?p={n}",
        )
    if cms == "aspnet":
        return Paths(
            home="/Pages/default.aspx",
            start_redirect=True,
            qa="/Pages/Hoi-dap-phap-luat.aspx",
            contact="/Pages/lien-he.aspx",
            info="/Pages/tiep-can-thong-tin.aspx",
            budget="/Pages/cong-khai-ngan-sach.aspx",
            intro="/Pages/gioi-thieu.aspx",
            news="/Pages/tin-tuc.aspx",
            feedback="/Pages/phan-anh-kien-nghi.aspx",
            article=lambda n, s: f"/Pages/tin-tuc/{s}.aspx?ItemID={n}",
        )
    return Paths(
        home="/",
        start_redirect=False,
        qa="/hoi-dap",
        contact="/lien-he",
        info="/tiep-can-thong-tin",
        budget="/cong-khai-ngan-sach",
        intro="/gioi-thieu",
        news="/tin-tuc",
        feedback="/phan-anh-kien-nghi",
        article=lambda n, s: f"/tin-tuc/{s}-{n}.html",
    )


DECOY_TITLES = (
    "Hỏi đáp với cử tri về dự toán ngân sách năm 2025",
    "Đối thoại, hỏi đáp trực tuyến về cải cách hành chính với doanh nghiệp",
    "Hội nghị triển khai Luật Tiếp cận thông tin năm 2025",
    "Sở Tài chính tổ chức hội nghị công khai quyết toán ngân sách",
    "Gửi câu hỏi về thủ tục đất đai: lãnh đạo tỉnh trả lời",
)
NEWS_TITLES = (
    "Kỳ họp thứ 9 Hội đồng nhân dân tỉnh thông qua nghị quyết ngân sách",
    "Công bố quy hoạch tỉnh thời kỳ 2021-2030",
    "Tăng cường chuyển đổi số trong cơ quan nhà nước",
)


# --------------------------------------------------------------------------- building a site


class SiteBuilder:
    """Builds one site's host pages and its expected findings from a recipe."""

    def __init__(
        self,
        world: World,
        province: Province,
        kind: SiteKind,
        recipe: Recipe,
        rng: random.Random,
        host_key: str,
        finance_host: str = "",
    ) -> None:
        self.world = world
        self.p = province
        self.kind = kind
        self.r = recipe
        self.rng = rng
        self.key = host_key
        self.finance_host = finance_host
        self.paths = paths_for(recipe.cms)
        self.host = Host(key=host_key, latency_ms=recipe.latency_ms, dead=recipe.dead)
        self.site = Site(
            province_code=province.code,
            site_kind=kind,
            host=host_key,
            name=self.agency_name,
            features=self.features(),
        )
        base = slug(province)
        self.domain = (
            f"{base}.{MAIL_SUFFIX}" if kind == SiteKind.PORTAL else f"stc.{base}.{MAIL_SUFFIX}"
        )
        self.visible = recipe.dead == ""
        self._footer = ""

    # ---- naming

    @property
    def agency_name(self) -> str:
        if self.kind == SiteKind.PORTAL:
            return f"Cổng thông tin điện tử {self.p.name}"
        return f"Sở Tài chính {self.p.name}"

    def features(self) -> list[str]:
        r, default = self.r, Recipe()
        out = [f"cms:{r.cms}"]
        for name in Recipe.__dataclass_fields__:
            if name == "cms":
                continue
            value = getattr(r, name)
            if value != getattr(default, name) and value not in ("", False, 0):
                out.append(f"{name}:{value}" if not isinstance(value, bool) else name)
        return out

    def u(self, path: str) -> str:
        """Absolute URL (placeholder form) of a path on this site's serving host."""
        return "{{" + self.key + "}}" + path

    def label(self, text: str) -> str:
        if self.r.labels == "upper":
            return text.upper()
        return text

    # ---- expectations

    def expect(
        self,
        channel: Channel,
        value: str,
        *,
        rendered_only: bool = False,
        robots_blocked: bool = False,
        note: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        if not self.visible:
            return
        for i, e in enumerate(self.site.expected):
            if e.channel == channel and e.value == value:
                # keep the easiest way to find it
                if (e.rendered_only and not rendered_only) or (
                    e.robots_blocked and not robots_blocked
                ):
                    self.site.expected[i] = replace(
                        e,
                        rendered_only=e.rendered_only and rendered_only,
                        robots_blocked=e.robots_blocked and robots_blocked,
                    )
                return
        self.site.expected.append(
            Expected(channel, value, rendered_only, robots_blocked, note, details or {})
        )

    def publish(self, address: str, presentation: str) -> None:
        self.site.addresses.append(
            PublishedAddress(
                address=address,
                province_code=self.p.code,
                site_kind=self.kind,
                presentation=presentation,
                readable=presentation != "image",
                reachable=self.visible,
            )
        )

    # ---- fragments

    def email_html(self, address: str, mode: str, *, in_js: bool) -> str:
        """An e-mail address in the given presentation; records what a crawler should find."""
        self.publish(address, mode)
        local, domain = address.split("@")
        rendered = in_js
        if mode == "mailto":
            html = f'<a href="mailto:{address}?subject=G%C3%B3p%20%C3%BD">{address}</a>'
        elif mode == "text":
            html = f"<span>{address}</span>"
        elif mode == "obfuscated":
            variants = [
                f"{local}(at){domain.replace('.', '(dot)')}",
                f"{local} [at] {domain.replace('.', '[.]')}",
                f"{local}(a){domain}",
                f"{local} at {domain.replace('.', ' dot ')}",
            ]
            html = f"<span>{variants[self.rng.randrange(len(variants))]}</span>"
        elif mode == "cloudflare":
            key = self.rng.randrange(1, 255)
            hexed = cf_encode(address, key)
            if self.rng.random() < 0.5:
                html = (
                    f'<a href="/cdn-cgi/l/email-protection" class="__cf_email__" '
                    f'data-cfemail="{hexed}">[email&#160;protected]</a>'
                )
            else:
                html = f'<a href="/cdn-cgi/l/email-protection#{hexed}">Gửi thư</a>'
        elif mode == "script":
            ident = f"em{self.rng.randrange(10**6)}"
            html = (
                f'<span id="{ident}">[đang tải]</span><script>(function(){{'
                f"var u={js_string(local)},d={js_string(domain)};"
                f"var a=document.createElement('a');a.href='mai'+'lto:'+u+'@'+d;"
                f"a.textContent=u+'@'+d;var s=document.getElementById('{ident}');"
                f"s.textContent='';s.appendChild(a);}})();</script>"
            )
            rendered = True
        elif mode == "image":
            img = f"/images/email-{local}.png"
            self.host.add(Page(img, PNG_1X1, content_type="image/png"))
            self.expect(Channel.EMAIL, "image:" + self.u(img), rendered_only=in_js)
            return f'<img src="{img}" alt="email" style="height:14px">'
        else:  # pragma: no cover - recipes are checked by tests
            raise ValueError(mode)
        self.expect(Channel.EMAIL, address, rendered_only=rendered)
        return html

    def phones_html(self, in_js: bool, table: bool = False) -> str:
        """The phone line (or table rows): a labelled number, a fax number, HCMC's 1022."""
        if not self.r.phone:
            return ""
        area = self.rng.choice(["024", "028", "0236", "0225", "0263", "0292", "0203", "0210"])
        rest = "".join(str(self.rng.randrange(10)) for _ in range(11 - len(area)))
        fax = "".join(str(self.rng.randrange(10)) for _ in range(11 - len(area)))
        shown = self.rng.choice(
            [
                f"{area}.{rest[:4]}.{rest[4:]}",
                f"({area}) {rest[:4]} {rest[4:]}",
                f"+84 {area[1:]} {rest[:4]} {rest[4:]}",
                f"{area} {rest}",
            ]
        )
        self.expect(Channel.PHONE, area + rest, rendered_only=in_js)
        label = self.rng.choice(["Điện thoại", "ĐT", "Tel", "Điện thoại liên hệ", "ĐT/Fax"])
        hotline = ""
        if self.r.hotline_1022:
            hotline = '<a href="https://1022.tphcm.gov.vn/">Tổng đài 1022</a>'
            self.expect(Channel.PHONE, "1022", rendered_only=in_js)
        if table:
            rows = f"<tr><td>{label}:</td><td>{shown}</td></tr>"
            if label != "ĐT/Fax":
                rows += f"<tr><td>Fax:</td><td>{area}.{fax}</td></tr>"
            if hotline:
                rows += f"<tr><td>Đường dây nóng</td><td>{hotline}</td></tr>"
            return rows
        out = f"{label}: {shown}" + ("" if label == "ĐT/Fax" else f" - Fax: {area}.{fax}")
        return out + (f" - {hotline}" if hotline else "")

    def social_html(self, in_js: bool) -> str:
        parts = []
        for channel, url, icon in (
            (Channel.FACEBOOK, self.r.facebook, "fb"),
            (Channel.ZALO, self.r.zalo, "zalo"),
            (Channel.YOUTUBE, self.r.youtube, "yt"),
        ):
            if url:
                shown, normal = url.split("|") if "|" in url else (url, url)
                parts.append(
                    f'<a href="{shown}" target="_blank"><img src="/images/{icon}.png" alt="{icon}"></a>'
                )
                self.expect(channel, normal, rendered_only=in_js)
        return " ".join(parts)

    def article_prose(self) -> str:
        """A long paragraph that links a newspaper's pages (not the agency's accounts) and
        carries numbers that are not phones: false positives for the checks to avoid."""
        base = slug(self.p)
        return (
            f'<p>Theo <a href="https://www.facebook.com/bao{base}">Báo {self.p.short}</a> và kênh '
            f'<a href="https://www.youtube.com/@truyenhinh{base}">Truyền hình {self.p.short}</a>, '
            "hội nghị đã thảo luận nhiều nội dung quan trọng về dự toán ngân sách, đầu tư công, "
            "cải cách hành chính và chuyển đổi số trong các cơ quan nhà nước; mã số thuế của đơn vị "
            "chủ trì 0101234567, quyết định số 1234/QĐ-UBND ngày 12/03/2025, tổng kinh phí "
            "1.250.000.000 đồng. Bạn đọc có thể xem lại tại "
            '<a href="https://chinhphu.vn/hoi-dap">mục hỏi đáp của Chính phủ</a>.</p>'
        )

    def share_html(self, article_url: str) -> str:
        if not self.r.share_buttons:
            return ""
        from urllib.parse import quote

        q = quote(article_url, safe="")
        return (
            '<div class="share">Chia sẻ: '
            f'<a href="https://www.facebook.com/sharer/sharer.php?u={q}">Facebook</a> '
            f'<a href="https://sp.zalo.me/share_inline?url={q}">Zalo</a> '
            f'<a href="https://twitter.com/intent/tweet?url={q}">X</a> '
            f'<a href="https://www.facebook.com/dialog/share?app_id=1&href={q}">Share</a>'
            "</div>"
        )

    # ---- layout

    def menu_items(self) -> list[tuple[str, str]]:
        r, p = self.r, self.paths
        items = [("Trang chủ", p.home), ("Giới thiệu", p.intro), ("Tin tức", p.news)]
        if r.qa and r.qa_depth == 1:
            items.append((r.qa_label, p.qa))
        if r.qa and r.qa_depth > 1:
            items.append(("Công dân", "/cong-dan"))
        if r.info_access:
            items.append(("Tiếp cận thông tin", p.info))
        if r.budget_page:
            items.append(("Công khai ngân sách", p.budget))
        if r.feedback_form and not r.contact_page:
            items.append((r.feedback_label, p.feedback))
        if r.contact_page:
            items.append(("Liên hệ", p.contact))
        if r.robots_hidden:
            items.append(("Đường dây nội bộ", "/noi-bo/lien-he-truc-tiep"))
        if r.calendar:
            items.append(("Lịch công tác", "/lich-cong-tac?ngay=2025-03-03"))
        return [(self.label(t), h) for t, h in items]

    def menu_html(self) -> str:
        items = self.menu_items()
        if self.r.js_menu:
            data = js_string(json.dumps(items, ensure_ascii=False))
            return (
                '<nav id="menu" class="menu"><noscript>Vui lòng bật JavaScript</noscript></nav>'
                f"<script>(function(){{var m=JSON.parse({data});var n=document.getElementById('menu');"
                "m.forEach(function(x){var a=document.createElement('a');a.href=x[1];"
                "a.textContent=x[0];n.appendChild(a);n.appendChild(document.createTextNode(' '));});})();</script>"
            )
        links = " ".join(f'<a href="{h}">{t}</a>' for t, h in items)
        cls = {
            "liferay": "nav navbar-site",
            "vnpt": "menu-top",
            "wordpress": "menu",
            "aspnet": "ms-nav",
        }
        return f'<nav class="{cls[self.r.cms]}">{links}</nav>'

    def directory_html(self, in_js: bool = False) -> str:
        if self.kind != SiteKind.PORTAL or not self.r.link_directory:
            return ""
        base = slug(self.p)
        others = [
            ("Sở Kế hoạch và Đầu tư", f"http://skhdt.{base}.{MAIL_SUFFIX}/"),
            ("Sở Nội vụ", f"http://snv.{base}.{MAIL_SUFFIX}/"),
        ]
        if self.finance_host:
            label = self.rng.choice(
                ["Sở Tài chính", "Sở Tài Chính", f"Sở Tài chính {self.p.short}"]
            )
            others.insert(self.rng.randrange(3), (label, "{{" + self.finance_host + "}}/"))
            self.expect(Channel.FINANCE_SITE, "{{" + self.finance_host + "}}/", rendered_only=in_js)
        others.append(("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"))
        if self.r.directory_form == "select":
            opts = "".join(f'<option value="{h}">{t}</option>' for t, h in others)
            return (
                '<div class="lien-ket"><label>Liên kết website</label>'
                '<select onchange="if(this.value)window.open(this.value)">'
                f'<option value="">-- Chọn website --</option>{opts}</select></div>'
            )
        lis = "".join(f'<li><a href="{h}" target="_blank">{t}</a></li>' for t, h in others)
        return f'<div class="lien-ket"><h3>Liên kết website</h3><ul>{lis}</ul></div>'

    def footer_html(self, in_js: bool = False) -> str:
        emails = [
            self.email_html(addr, mode, in_js=in_js)
            for addr, mode in zip(self.main_addresses(), self.r.emails, strict=True)
        ]
        owner = (
            "Ủy ban nhân dân " + self.p.name
            if self.kind == SiteKind.PORTAL
            else "Sở Tài chính " + self.p.name
        )
        address = f"số {self.rng.randrange(1, 200)} đường Trần Phú, {self.p.short}"
        tag = self.rng.choice(["Email", "E-mail", "Thư điện tử"])
        if self.r.cms == "aspnet":  # SharePoint-style sites lay the contact block out as a table
            email_row = f"<tr><td>{tag}:</td><td>{' ; '.join(emails)}</td></tr>" if emails else ""
            contact = (
                f'<table class="contact"><tr><td>Cơ quan chủ quản:</td><td>{owner}</td></tr>'
                f"<tr><td>Địa chỉ:</td><td>{address}</td></tr>"
                f"{self.phones_html(in_js, table=True)}{email_row}</table>"
            )
        else:
            email_part = f"<p>{tag}: " + " ; ".join(emails) + "</p>" if emails else ""
            contact = (
                f"<p>Cơ quan chủ quản: {owner}</p><p>Địa chỉ: {address}</p>"
                f"<p>{self.phones_html(in_js)}</p>{email_part}"
            )
        return (
            '<footer class="footer">'
            f"<p><b>{self.agency_name}</b></p>{contact}"
            f'<p class="social">{self.social_html(in_js)}</p>'
            f"{self.directory_html(in_js)}"
            '<p><a href="https://chinhphu.vn/hoi-dap">Hỏi đáp Chính phủ</a> · '
            '<a href="https://dichvucong.gov.vn/p/home/dvc-hoi-dap.html">Hỏi đáp DVC</a></p>'
            "<p>Giấy phép số 12/GP-TTĐT. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>"
            "</footer>"
        )

    def main_addresses(self) -> list[str]:
        names = (
            ["banbientap", "ubnd", "vanphong", "ttcb"]
            if self.kind == SiteKind.PORTAL
            else ["sotaichinh", "vanphong", "stc", "ketoan"]
        )
        return [f"{names[i % len(names)]}@{self.domain}" for i in range(len(self.r.emails))]

    def page(self, path: str, title: str, body: str) -> None:
        """Add an HTML page with the site's layout. Channels in the footer are recorded once."""
        r = self.r
        charset = "windows-1258" if r.encoding == "windows-1258" else "utf-8"
        meta = (
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            if r.cms in ("aspnet", "liferay")
            else f'<meta charset="{charset}">'
        )
        footer = self._footer  # built once per site (its channels are recorded once)
        html = (
            f'<!DOCTYPE html><html lang="vi"><head>{meta}<title>{title} - {self.agency_name}</title>'
            '<link rel="stylesheet" href="/static/site.css"></head><body>'
            f'<header><a href="{self.paths.home}"><img src="/images/logo@2x.png" alt="logo"></a>'
            f"<h2>{self.agency_name}</h2></header>{self.menu_html()}"
            f'<main class="content">{body}</main>{footer}</body></html>'
        )
        if r.cms == "aspnet":  # WebForms: one <form> around the whole page
            html = html.replace(
                "<body>",
                f'<body><form method="post" action=".{path}" id="aspnetForm">'
                '<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk">',
                1,
            ).replace("</body>", "</form></body>", 1)
        if r.spa:
            html = self.spa_shell(title, html)
        self.host.add(Page(path, self.text(html), encoding=charset))

    def spa_shell(self, title: str, html: str) -> str:
        inner = html.split("<body>", 1)[1].rsplit("</body>", 1)[0]
        return (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            f"<title>{self.agency_name}</title></head><body>"
            '<div id="app">Đang tải...</div>'
            f"<script>window.__PAGE__={js_string(inner)};</script>"
            '<script src="/static/app.js"></script></body></html>'
        )

    def text(self, html: str) -> str:
        if self.r.labels == "ascii":
            return fold(html)
        if self.r.labels == "nfd":
            return unicodedata.normalize("NFD", html)
        return html

    # ---- the site

    def build(self) -> tuple[Host, Site]:
        r, p = self.r, self.paths
        menu_js = r.js_menu or r.spa  # pages reached through the menu need rendering
        self._footer = self.footer_html(in_js=r.spa)
        home_body = [f"<h1>{self.label('Trang chủ')}</h1>"]

        # news list with decoys (always linked statically)
        news_items = []
        for i, title in enumerate((DECOY_TITLES if r.decoys else ()) + NEWS_TITLES):
            n = 12000 + 37 * i + self.rng.randrange(30)
            s = re.sub(r"[^a-z0-9]+", "-", fold(title).lower()).strip("-")
            url = p.article(n, s)
            news_items.append((title, url))
        lis = "".join(
            f'<li><a href="{u}">{t}</a> <span class="date">{10 + i:02d}/03/2025</span></li>'
            for i, (t, u) in enumerate(news_items)
        )
        home_body.append(f'<section class="tin-moi"><h3>Tin mới</h3><ul>{lis}</ul></section>')
        if r.facebook:
            page_url = r.facebook.split("|")[-1]
            home_body.append(
                '<iframe src="https://www.facebook.com/plugins/page.php?href='
                + page_url.replace(":", "%3A").replace("/", "%2F")
                + '&tabs=timeline" width="340" height="300" title="Facebook"></iframe>'
            )
        if r.youtube or self.rng.random() < 0.5:
            home_body.append(
                '<p class="video"><a href="https://www.youtube.com/watch?v=Xy12Ab34Cd5">Video: '
                'Kỳ họp HĐND</a> <a href="https://youtu.be/Xy12Ab34Cd5">(xem ngắn)</a></p>'
            )
        if r.calendar:
            home_body.append('<a href="/lich-cong-tac?ngay=2025-03-03">Lịch công tác tuần</a>')
            self.host.calendar_prefix = "/lich-cong-tac"
        self.page(p.home, "Trang chủ", "".join(home_body))
        if p.start_redirect:
            self.host.add(Page("/", status=302, location=p.home))
        self.page(p.news, "Tin tức", f"<h1>Tin tức</h1><ul>{lis}</ul>")
        for i, (title, url) in enumerate(news_items):
            body = (
                f'<article><h1 class="title">{title}</h1><p class="date">Ngày {10 + i:02d}/03/2025</p>'
                "<p>Nội dung bài viết về hoạt động của tỉnh.</p>"
                f"{self.article_prose()}"
                f"{self.form_open('Ý kiến bạn đọc', '/binh-luan')}"
                '<input name="hoten" placeholder="Họ tên"><textarea name="binhluan"></textarea>'
                f"<button>Gửi bình luận</button>{self.form_close()}"
                f"{self.share_html(self.u(url))}</article>"
            )
            self.page(url, title, body)
        self.page(p.intro, "Giới thiệu", f"<h1>Giới thiệu</h1><p>{self.agency_name}.</p>")

        if r.qa:
            self.build_qa(menu_js)
        if r.contact_page:
            self.build_contact(menu_js)
        elif r.feedback_form:
            self.build_feedback_page(p.feedback, menu_js)
        if r.info_access:
            self.expect(Channel.INFO_ACCESS, self.u(p.info), rendered_only=menu_js)
            self.page(
                p.info,
                "Tiếp cận thông tin",
                "<h1>Tiếp cận thông tin</h1><p>Danh mục thông tin phải được công khai theo "
                'Nghị định 13/2018/NĐ-CP.</p><ul><li><a href="/files/danh-muc-thong-tin.pdf">'
                "Danh mục thông tin</a></li></ul>",
            )
            self.host.add(
                Page("/files/danh-muc-thong-tin.pdf", PDF_STUB, content_type="application/pdf")
            )
        if r.budget_page:
            self.page(
                p.budget,
                "Công khai ngân sách",
                "<h1>Công khai ngân sách</h1><ul>"
                '<li><a href="/files/du-toan-2025.pdf">Dự toán ngân sách 2025</a></li>'
                '<li><a href="/files/quyet-toan-2023.xlsx">Quyết toán 2023</a></li></ul>',
            )
            self.host.add(Page("/files/du-toan-2025.pdf", PDF_STUB, content_type="application/pdf"))
        if r.robots_hidden:
            self.host.robots = "User-agent: *\nDisallow: /noi-bo/\n"
            hidden = f"noibo@{self.domain}"
            self.publish(hidden, "mailto")
            self.site.expected.append(
                Expected(
                    Channel.EMAIL, hidden, menu_js, True, "only under a robots-disallowed path"
                )
            )
            self.page(
                "/noi-bo/lien-he-truc-tiep",
                "Đường dây nội bộ",
                f'<h1>Đường dây nội bộ</h1><p>Email: <a href="mailto:{hidden}">{hidden}</a></p>',
            )
        if r.spa:
            self.host.add(
                Page(
                    "/static/app.js",
                    "document.getElementById('app').innerHTML=window.__PAGE__;"
                    "document.title=(document.querySelector('main h1')||{}).textContent||document.title;",
                    content_type="application/javascript",
                )
            )
        self.host.add(
            Page("/static/site.css", "body{font-family:sans-serif}", content_type="text/css")
        )
        for img in ("logo@2x.png", "fb.png", "zalo.png", "yt.png"):
            self.host.add(Page(f"/images/{img}", PNG_1X1, content_type="image/png"))
        if not r.robots_hidden and self.rng.random() < 0.5:
            self.host.robots = "User-agent: *\nDisallow: /admin/\nDisallow: /search\n"
        return self.host, self.site

    def build_qa(self, menu_js: bool) -> None:
        r, p = self.r, self.paths
        qa_path = p.qa
        if r.qa_depth > 1:
            qa_path = "/cong-dan/dich-vu/hoi-dap"
            self.page(
                "/cong-dan",
                "Công dân",
                '<h1>Công dân</h1><ul><li><a href="/cong-dan/dich-vu">Dịch vụ cho công dân</a></li>'
                '<li><a href="/cong-dan/thu-tuc">Thủ tục hành chính</a></li></ul>',
            )
            self.page("/cong-dan/thu-tuc", "Thủ tục hành chính", "<h1>Thủ tục hành chính</h1>")
            self.page(
                "/cong-dan/dich-vu",
                "Dịch vụ cho công dân",
                "<h1>Dịch vụ cho công dân</h1><ul>"
                f'<li><a href="{qa_path}">{self.label(r.qa_label)}</a></li>'
                '<li><a href="/cong-dan/thu-tuc">Tra cứu hồ sơ</a></li></ul>',
            )
        items = []
        year = 2025
        asked_days, answered_days = [], []
        for i in range(r.qa_questions):
            asked_days.append(date(year, (i % 9) + 1, (3 + i * 5) % 28 + 1))
            answered_days.append(date(year, (i % 9) + 2, (5 + i * 5) % 28 + 1))
        self.expect(
            Channel.QA_SECTION,
            self.u(qa_path),
            rendered_only=menu_js,
            details={
                "has_form": r.qa_form,
                "questions_listed": r.qa_questions,
                "newest_question_date": max(asked_days).isoformat() if asked_days else None,
                "newest_answer_date": max(answered_days).isoformat() if answered_days else None,
            },
        )
        style = self.rng.choice(["slash", "slash", "dash", "words"])

        def shown(day: date) -> str:
            if style == "words":
                return f"ngày {day.day} tháng {day.month} năm {day.year}"
            return f"{day:%d/%m/%Y}" if style == "slash" else f"{day:%d-%m-%Y}"

        for i in range(r.qa_questions):
            asked, answered = shown(asked_days[i]), shown(answered_days[i])
            detail = (
                f"{qa_path}&qid={100 + i}"
                if "?" in qa_path
                else f"{qa_path.removesuffix('.aspx')}/cau-hoi-{100 + i}"
            )
            question = f"Câu hỏi về thủ tục số {i + 1}"
            items.append(
                f'<div class="qa-item"><a href="{detail}">{question}</a>'
                f'<span class="ngay-gui">Ngày gửi: {asked}</span>'
                f'<span class="ngay-tra-loi">Ngày trả lời: {answered}</span></div>'
            )
            self.page(
                detail,
                question,
                f'<p class="breadcrumb"><a href="{p.home}">Trang chủ</a> &gt; '
                f'<a href="{qa_path}">{self.label(r.qa_label)}</a></p><h1>{question}</h1>'
                f"<p>Ngày gửi: {asked}</p><p>Trả lời: Sở Tài chính đã có ý kiến ngày {answered}.</p>",
            )
        form = ""
        if r.qa_form:
            form = (
                f"{self.form_open('Gửi câu hỏi', '#gui-cau-hoi')}"
                '<input name="hoten" placeholder="Họ và tên"><input name="email" placeholder="Email">'
                '<textarea name="noidung" placeholder="Nội dung câu hỏi"></textarea>'
                f'<button type="submit">Gửi câu hỏi</button>{self.form_close()}'
            )
        self.page(
            qa_path,
            r.qa_label,
            f'<h1>{self.label(r.qa_label)}</h1><div class="qa-list">{"".join(items)}</div>{form}',
        )

    def build_contact(self, menu_js: bool) -> None:
        r, p = self.r, self.paths
        extra = ""
        if r.contact_email:
            extra_addr = f"hotro@{self.domain}"
            self.publish(extra_addr, "mailto")
            self.expect(Channel.EMAIL, extra_addr, rendered_only=menu_js or r.spa)
            extra = (
                f'<p>Hỗ trợ kỹ thuật: <a href="mailto:{extra_addr.upper()}">{extra_addr}</a></p>'
            )
        form = ""
        if r.feedback_form:
            if r.iframe_form:
                frame = "/widget/gop-y"
                form = f'<iframe src="{frame}" width="600" height="400" title="Góp ý"></iframe>'
                self.build_feedback_page(frame, menu_js, bare=True)
            else:
                form = self.feedback_form_html()
                self.expect(Channel.FEEDBACK_FORM, self.u(p.contact), rendered_only=menu_js)
        self.page(
            p.contact,
            "Liên hệ",
            f"<h1>{self.label('Liên hệ')}</h1><p>{self.agency_name}</p>{extra}{form}",
        )

    def form_open(self, heading: str, action: str) -> str:
        """A form's start: ASP.NET sites have one <form> around the page, so a fieldset."""
        if self.r.cms == "aspnet":
            return f'<fieldset class="ms-form"><legend>{heading}</legend>'
        return f'<form method="post" action="{action}"><h3>{heading}</h3>'

    def form_close(self) -> str:
        return "</fieldset>" if self.r.cms == "aspnet" else "</form>"

    def feedback_form_html(self) -> str:
        return (
            f"{self.form_open(self.r.feedback_label, '/gui-y-kien')}"
            '<input name="hoten" placeholder="Họ tên"><input name="dienthoai" placeholder="Điện thoại">'
            '<textarea name="noidung" rows="6"></textarea><button type="submit">Gửi ý kiến</button>'
            f"{self.form_close()}"
        )

    def build_feedback_page(self, path: str, menu_js: bool, *, bare: bool = False) -> None:
        self.expect(Channel.FEEDBACK_FORM, self.u(path), rendered_only=menu_js)
        if bare:
            charset = "windows-1258" if self.r.encoding == "windows-1258" else "utf-8"
            html = (
                f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{self.r.feedback_label}</title>'
                f"</head><body>{self.feedback_form_html()}</body></html>"
            )
            self.host.add(Page(path, self.text(html), encoding=charset))
            return
        self.page(
            path,
            self.r.feedback_label,
            f"<h1>{self.label(self.r.feedback_label)}</h1>{self.feedback_form_html()}",
        )


def add_site(
    world: World,
    province: Province,
    kind: SiteKind,
    recipe: Recipe,
    host_key: str,
    *,
    finance_host: str = "",
    old_host_key: str = "",
) -> Site:
    rng = random.Random(f"{world.seed}:{world.name}:{host_key}")
    builder = SiteBuilder(world, province, kind, recipe, rng, host_key, finance_host)
    host, site = builder.build()
    world.hosts[host.key] = host
    if old_host_key:
        world.hosts[old_host_key] = Host(key=old_host_key, redirect_all_to=host_key)
        site.host = old_host_key
        if "moved" not in site.features:
            site.features.append("moved")
    world.sites.append(site)
    return site


# --------------------------------------------------------------------------- worlds


def social_for(
    rng: random.Random, province: Province, kind: SiteKind, p_fb: float, p_zl: float, p_yt: float
) -> tuple[str, str, str]:
    base = slug(province)
    prefix = "congthongtin" if kind == SiteKind.PORTAL else "sotaichinh"
    fb = zl = yt = ""
    if rng.random() < p_fb:
        if rng.random() < 0.8:
            fb = f"https://www.facebook.com/{prefix}{base}|https://www.facebook.com/{prefix}{base}"
            if rng.random() < 0.3:
                fb = f"https://facebook.com/{prefix}{base}/?ref=footer|https://www.facebook.com/{prefix}{base}"
        else:
            n = 100000000000000 + rng.randrange(10**9)
            fb = f"https://www.facebook.com/profile.php?id={n}|https://www.facebook.com/profile.php?id={n}"
    if rng.random() < p_zl:
        n = 1000000000000000000 + rng.randrange(10**12)
        zl = rng.choice(
            [
                f"https://zalo.me/{n}|https://zalo.me/{n}",
                f"https://oa.zalo.me/{n}|https://oa.zalo.me/{n}",
                f"http://zalo.me/{prefix}{base}|https://zalo.me/{prefix}{base}",
            ]
        )
    if rng.random() < p_yt:
        yt = rng.choice(
            [
                f"https://www.youtube.com/@{prefix}{base}|https://www.youtube.com/@{prefix}{base}",
                f"https://youtube.com/@{prefix}{base}/videos|https://www.youtube.com/@{prefix}{base}",
                f"https://www.youtube.com/channel/UC{base[:6]}x{rng.randrange(10**6)}|",
                f"https://www.youtube.com/c/{prefix}{base}|https://www.youtube.com/c/{prefix}{base}",
            ]
        )
        if yt.endswith("|"):
            yt = yt[:-1] + "|" + yt[:-1]
    return fb, zl, yt


def build_country(
    era: Era | str = Era.CURRENT, seed: int = 2026, *, document_files: bool = False
) -> World:
    """A portal and a finance site for every province of the era, calibrated like POBI 2019.

    ``document_files``: write the budget documents' bytes (a served world needs them; the truth
    and the pages are the same without)."""
    era = Era(era)
    world = World(name=f"country-{era.value}", era=era, seed=seed)
    rng = random.Random(f"country:{era.value}:{seed}")
    provs = provinces(era)
    n = len(provs)
    idx = list(range(n))

    def pick(k: int) -> set[int]:
        return set(rng.sample(idx, k))

    ascii_labels, nfd_labels, upper_labels = pick(max(2, n // 8)), pick(2), pick(2)
    cp1258_portal, cp1258_fin = pick(2), pick(1)
    cloudflare, script_mail, obfuscated, text_mail = pick(3), pick(2), pick(2), pick(3)
    image_only = pick(1)
    no_qa_portal = pick(max(1, n // 30))
    js_menu, spa_fin, deep_qa, iframe = pick(2), pick(1), pick(3), pick(2)
    dead_refused, dead_500 = pick(1), pick(1)
    slow = pick(2)
    merged = [i for i, p in enumerate(provs) if len(p.related_codes) > 1] or idx
    moved = rng.choice(merged)
    hcmc = next((i for i, p in enumerate(provs) if p.code == "79"), -1)

    for i, prov in enumerate(provs):
        srng = random.Random(f"{seed}:{era.value}:{prov.code}")
        fin_key, portal_key = f"f{prov.code}", f"p{prov.code}"
        labels = (
            "ascii"
            if i in ascii_labels
            else "nfd"
            if i in nfd_labels
            else "upper"
            if i in upper_labels
            else "nfc"
        )
        mode = (
            "cloudflare"
            if i in cloudflare
            else "script"
            if i in script_mail
            else "obfuscated"
            if i in obfuscated
            else "text"
            if i in text_mail
            else "image"
            if i in image_only
            else "mailto"
        )
        emails = (mode,) + (("mailto",) if srng.random() < 0.3 and mode != "image" else ())
        fb, zl, yt = social_for(srng, prov, SiteKind.PORTAL, 0.75, 0.45, 0.55)
        portal = Recipe(
            cms=srng.choice(CMS_STYLES),
            labels=labels,
            encoding="windows-1258" if i in cp1258_portal else "utf-8",
            qa=i not in no_qa_portal,
            qa_label=srng.choice(
                [
                    "Hỏi đáp",
                    "Hỏi - Đáp trực tuyến",
                    "Hỏi | Đáp",
                    "Hỏi đáp pháp luật",
                    "Câu hỏi thường gặp",
                ]
            ),
            qa_depth=3 if i in deep_qa else 1,
            qa_form=srng.random() < 0.8,
            emails=emails,
            contact_email=srng.random() < 0.3,
            hotline_1022=i == hcmc,
            feedback_form=srng.random() < 0.8,
            feedback_label=srng.choice(["Góp ý", "Phản ánh kiến nghị", "Gửi ý kiến"]),
            info_access=srng.random() < 0.6,
            facebook=fb,
            zalo=zl,
            youtube=yt,
            directory_form=srng.choice(["select", "list"]),
            js_menu=i in js_menu,
            iframe_form=i in iframe,
            latency_ms=150 if i in slow else 0,
        )
        if portal.cms == "wordpress" and portal.qa_depth > 1:
            portal = replace(portal, qa_depth=1)
        fb, zl, yt = social_for(srng, prov, SiteKind.FINANCE, 0.3, 0.1, 0.1)
        fin_has_mail = srng.random() < 0.8
        finance = Recipe(
            cms=srng.choice(CMS_STYLES),
            labels="ascii" if srng.random() < 0.1 else "nfc",
            encoding="windows-1258" if i in cp1258_fin else "utf-8",
            qa=srng.random() < 0.45,
            qa_label=srng.choice(["Hỏi đáp", "Hỏi đáp chính sách", "Gửi câu hỏi"]),
            qa_form=srng.random() < 0.6,
            emails=("mailto",) if fin_has_mail else (),
            contact_page=srng.random() < 0.7,
            phone=srng.random() < 0.9,
            feedback_form=srng.random() < 0.4,
            info_access=srng.random() < 0.25,
            facebook=fb,
            zalo=zl,
            youtube=yt,
            link_directory=False,
            spa=i in spa_fin,
            decoys=srng.random() < 0.5,
            dead="refused" if i in dead_refused else "http500" if i in dead_500 else "",
        )
        add_site(world, prov, SiteKind.FINANCE, finance, fin_key)
        add_site(
            world,
            prov,
            SiteKind.PORTAL,
            portal,
            portal_key,
            finance_host=fin_key,
            old_host_key=f"p{prov.code}old" if i == moved else "",
        )
    from pobi.sandbox.budget import publish

    publish(world, seed, files=document_files)  # Departments of Finance publish budget documents
    return world


def build_test_farm(seed: int = 7) -> World:
    """A hand-picked world (28 sites) in which every case a crawler must handle appears."""
    world = World(name="test-farm", era=Era.CURRENT, seed=seed)
    P = {p.code: p for p in provinces(Era.CURRENT)}
    fb = "https://www.facebook.com/congthongtin{s}|https://www.facebook.com/congthongtin{s}"
    cases: list[tuple[str, SiteKind, Recipe]] = [
        # portals
        (
            "01",
            SiteKind.PORTAL,
            Recipe(
                cms="vnpt",
                emails=("mailto", "mailto"),
                info_access=True,
                facebook=fb,
                zalo="https://zalo.me/2345678901234567890|https://zalo.me/2345678901234567890",
                youtube="https://www.youtube.com/@hanoitv|https://www.youtube.com/@hanoitv",
            ),
        ),
        (
            "04",
            SiteKind.PORTAL,
            Recipe(
                cms="liferay",
                qa_label="Hỏi - Đáp trực tuyến",
                emails=("cloudflare",),
                labels="ascii",
            ),
        ),
        (
            "08",
            SiteKind.PORTAL,
            Recipe(
                cms="wordpress",
                emails=("obfuscated", "text"),
                qa_label="Hỏi | Đáp",
                facebook="https://m.facebook.com/profile.php?id=100064123456789|https://www.facebook.com/profile.php?id=100064123456789",
            ),
        ),
        (
            "11",
            SiteKind.PORTAL,
            Recipe(
                cms="aspnet",
                qa_label="Hỏi đáp pháp luật",
                emails=("mailto",),
                encoding="windows-1258",
                info_access=True,
            ),
        ),
        (
            "12",
            SiteKind.PORTAL,
            Recipe(
                cms="vnpt",
                labels="nfd",
                emails=("script",),
                qa_label="Câu hỏi thường gặp",
                qa_questions=2,
            ),
        ),
        (
            "14",
            SiteKind.PORTAL,
            Recipe(cms="vnpt", js_menu=True, emails=("mailto",), info_access=True, qa_questions=2),
        ),
        (
            "15",
            SiteKind.PORTAL,
            Recipe(cms="vnpt", qa_depth=3, emails=("image",), phone=True),
        ),
        (
            "19",
            SiteKind.PORTAL,
            Recipe(
                cms="liferay",
                iframe_form=True,
                emails=("mailto", "cloudflare"),
                contact_email=True,
                youtube="https://youtube.com/channel/UCabc123XYZ_-9/featured|https://www.youtube.com/channel/UCabc123XYZ_-9",
            ),
        ),
        (
            "20",
            SiteKind.PORTAL,
            Recipe(cms="vnpt", robots_hidden=True, emails=("mailto",), latency_ms=300),
        ),
        (
            "22",
            SiteKind.PORTAL,
            Recipe(
                cms="aspnet",
                labels="upper",
                emails=("text",),
                moved=True,
                zalo="https://oa.zalo.me/1122334455667788990|https://oa.zalo.me/1122334455667788990",
            ),
        ),
        (
            "24",
            SiteKind.PORTAL,
            Recipe(
                cms="vnpt",
                emails=("mailto",),
                calendar=True,
                directory_form="list",
                feedback_label="Phản ánh kiến nghị",
                contact_page=False,
            ),
        ),
        (
            "25",
            SiteKind.PORTAL,
            Recipe(
                cms="wordpress",
                encoding="windows-1258",
                labels="nfc",
                emails=("obfuscated",),
                qa_label="Hỏi đáp",
                youtube="https://www.youtube.com/c/PhuThoTV|https://www.youtube.com/c/PhuThoTV",
            ),
        ),
        (
            "79",
            SiteKind.PORTAL,
            Recipe(
                cms="vnpt",
                hotline_1022=True,
                emails=("mailto", "mailto", "text"),
                facebook=fb,
                zalo="https://zalo.me/tongdai1022|https://zalo.me/tongdai1022",
                youtube="https://www.youtube.com/user/hcmcitv|https://www.youtube.com/user/hcmcitv",
                info_access=True,
            ),
        ),
        (
            "31",
            SiteKind.PORTAL,
            Recipe(
                cms="vnpt", spa=True, emails=("mailto",), facebook=fb, qa_questions=2, decoys=False
            ),
        ),
        (
            "33",
            SiteKind.PORTAL,
            Recipe(cms="vnpt", qa=False, emails=("mailto",), decoys=True, info_access=False),
        ),
        (
            "37",
            SiteKind.PORTAL,
            Recipe(
                cms="liferay", qa_depth=3, labels="nfd", encoding="windows-1258", emails=("mailto",)
            ),
        ),
        (
            "38",
            SiteKind.PORTAL,
            Recipe(dead="refused"),
        ),
        # finance sites
        (
            "01",
            SiteKind.FINANCE,
            Recipe(cms="vnpt", emails=("mailto",), qa_label="Hỏi đáp chính sách", info_access=True),
        ),
        (
            "04",
            SiteKind.FINANCE,
            Recipe(cms="aspnet", emails=("cloudflare",), qa=False),
        ),
        (
            "08",
            SiteKind.FINANCE,
            Recipe(cms="vnpt", dead="http500"),
        ),
        (
            "11",
            SiteKind.FINANCE,
            Recipe(cms="wordpress", emails=(), qa=False, feedback_form=False, phone=True),
        ),
        (
            "12",
            SiteKind.FINANCE,
            Recipe(
                cms="vnpt",
                emails=("script",),
                js_menu=True,
                qa_label="Gửi câu hỏi",
                qa_questions=2,
                decoys=False,
            ),
        ),
        (
            "14",
            SiteKind.FINANCE,
            Recipe(cms="liferay", emails=("mailto",), latency_ms=400, qa=False),
        ),
        (
            "15",
            SiteKind.FINANCE,
            Recipe(cms="vnpt", emails=("text", "obfuscated"), labels="ascii", info_access=True),
        ),
        (
            "19",
            SiteKind.FINANCE,
            Recipe(
                cms="vnpt",
                emails=("mailto",),
                iframe_form=True,
                facebook="https://www.facebook.com/sotaichinhthainguyen|https://www.facebook.com/sotaichinhthainguyen",
            ),
        ),
        (
            "20",
            SiteKind.FINANCE,
            Recipe(cms="aspnet", emails=("image",), qa=False),
        ),
        (
            "22",
            SiteKind.FINANCE,
            Recipe(cms="vnpt", emails=("mailto",), encoding="windows-1258", qa_label="Hỏi đáp"),
        ),
        (
            "79",
            SiteKind.FINANCE,
            Recipe(cms="vnpt", spa=True, emails=("mailto",), qa=True, qa_questions=2, decoys=False),
        ),
        (
            "38",
            SiteKind.FINANCE,
            Recipe(cms="vnpt", emails=("mailto",), qa_depth=3),
        ),
    ]
    finance_codes = {code for code, kind, _ in cases if kind == SiteKind.FINANCE}
    for code, kind, recipe in cases:
        prov = P[code]
        if kind == SiteKind.FINANCE:
            recipe = replace(recipe, link_directory=False)
        elif recipe.facebook == fb:
            s = slug(prov)
            recipe = replace(recipe, facebook=fb.format(s=s))
        key = ("p" if kind == SiteKind.PORTAL else "f") + code
        add_site(
            world,
            prov,
            kind,
            recipe,
            key,
            finance_host=f"f{code}" if kind == SiteKind.PORTAL and code in finance_codes else "",
            old_host_key=key + "old" if recipe.moved else "",
        )
    # A Department of Finance site no sites file lists: only the portal's "Liên kết website"
    # names it, so a crawler finds its channels only by crawling what the directory names.
    unlisted = add_site(
        world, P["40"], SiteKind.FINANCE, Recipe(cms="aspnet", link_directory=False), "f40"
    )
    unlisted.listed = False
    unlisted.features.append("unlisted")
    add_site(world, P["40"], SiteKind.PORTAL, Recipe(cms="vnpt"), "p40", finance_host="f40")
    return world
