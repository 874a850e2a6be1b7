"""The simulated country publishes its budget documents (the transparency pillar's ground truth).

Each Department of Finance site gets a "Công khai ngân sách" page listing the documents its
province publishes for the survey year (2026): real PDF (text, or image-only "scanned"), DOCX,
XLSX and ZIP files, titled the way provinces title them (several real conventions, with and
without diacritics), each row with its listing date. Some provinces publish late, some leave out
prescribed forms, some publish scans, some publish nothing of a kind; some keep their files only
on a separate document system ("Hệ thống văn bản", another host) that the budget page links to.
A few files are broken (encrypted). The placeholder links every site's budget page carried before
are removed, so what a crawler can find is exactly :attr:`World.documents`.

The truth is a :class:`PublishedDoc` per document: the key a correct crawler reports in
``documents.csv`` (province, type, fiscal year, period), and how it is published.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pobi.models import DocFormat, DocType, SiteKind
from pobi.registry import ascii_name
from pobi.sandbox import docfiles

BUDGET_PATH = "/cong-khai-tai-chinh-ngan-sach"
DOCSYS_PATH = "/van-ban/cong-khai-ngan-sach"
STUB_ITEMS = (
    '<li><a href="/files/du-toan-2025.pdf">Dự toán ngân sách 2025</a></li>'
    '<li><a href="/files/quyet-toan-2023.xlsx">Quyết toán 2023</a></li>'
)
SURVEY_YEAR = 2026


@dataclass(frozen=True)
class PublishedDoc:
    province_code: str
    doc_type: str
    fiscal_year: int
    period: str
    title: str
    file_name: str
    format: str  # DocFormat the crawler should report
    listed_on: date
    on_docsystem: bool
    forms: tuple[int, ...]
    readable: bool  # False: encrypted (linked, found, unreadable)


# (doc_type, fiscal year, period, probability a province publishes it, forms prescribed)
PLAN = (
    (DocType.ESTIMATE_APPROVED, 2026, "year", 0.85, (46, 47, 48)),
    (DocType.ESTIMATE_PROPOSED, 2026, "year", 0.45, (15, 16, 17)),
    (DocType.EXECUTION_QUARTERLY, 2026, "q1", 0.7, (59, 60, 61)),
    (DocType.EXECUTION_SIX_MONTH, 2025, "h1", 0.65, (59, 60, 61)),
    (DocType.EXECUTION_NINE_MONTH, 2025, "9m", 0.5, (59, 60, 61)),
    (DocType.EXECUTION_ANNUAL, 2025, "year", 0.4, (59, 60, 61)),
    (DocType.FINAL_ACCOUNTS_APPROVED, 2024, "year", 0.7, (62, 63, 64)),
    (DocType.CITIZEN_BUDGET, 2026, "year", 0.25, ()),
    (DocType.MEDIUM_TERM_PLAN, 2026, "multi", 0.2, ()),
    (DocType.AUDIT_REPORT, 2024, "year", 0.15, ()),
)
QUARTER_NAME = {"q1": "quý I", "q2": "quý II", "q3": "quý III", "q4": "quý IV"}
TITLES: dict[DocType, tuple[str, ...]] = {
    DocType.ESTIMATE_APPROVED: (
        "Quyết định về việc công bố công khai dự toán ngân sách năm {y}",
        "Công khai dự toán ngân sách địa phương năm {y} đã được Hội đồng nhân dân tỉnh quyết định",
        "QĐ công bố công khai số liệu dự toán ngân sách nhà nước năm {y}",
    ),
    DocType.ESTIMATE_PROPOSED: (
        "Báo cáo dự toán ngân sách địa phương năm {y} trình Hội đồng nhân dân tỉnh",
        "Tờ trình về dự toán thu ngân sách nhà nước trên địa bàn và chi ngân sách địa phương năm {y}",
    ),
    DocType.EXECUTION_QUARTERLY: (
        "Công khai tình hình thực hiện dự toán ngân sách {q} năm {y}",
        "Báo cáo thực hiện dự toán thu, chi ngân sách {q} năm {y}",
    ),
    DocType.EXECUTION_SIX_MONTH: (
        "Công khai tình hình thực hiện dự toán ngân sách 6 tháng đầu năm {y}",
        "Báo cáo tình hình thực hiện ngân sách 6 tháng năm {y}",
    ),
    DocType.EXECUTION_NINE_MONTH: (
        "Công khai tình hình thực hiện dự toán ngân sách 9 tháng năm {y}",
        "Thực hiện dự toán thu, chi ngân sách địa phương 9 tháng năm {y}",
    ),
    DocType.EXECUTION_ANNUAL: (
        "Báo cáo tình hình thực hiện dự toán ngân sách năm {y}",
        "Công khai ước thực hiện thu, chi ngân sách năm {y}",
    ),
    DocType.FINAL_ACCOUNTS_APPROVED: (
        "Quyết định công bố công khai quyết toán ngân sách địa phương năm {y}",
        "Công khai số liệu quyết toán ngân sách nhà nước năm {y} đã được HĐND tỉnh phê chuẩn",
    ),
    DocType.CITIZEN_BUDGET: ("Ngân sách công dân năm {y}", "Tài liệu ngân sách công dân năm {y}"),
    DocType.MEDIUM_TERM_PLAN: (
        "Kế hoạch tài chính - ngân sách nhà nước 03 năm {y}-{y2}",
        "Kế hoạch tài chính - ngân sách 03 năm giai đoạn {y}-{y2}",
    ),
    DocType.AUDIT_REPORT: (
        "Công khai kết quả kiểm toán ngân sách địa phương năm {y}",
        "Báo cáo kết quả kiểm toán của Kiểm toán nhà nước đối với ngân sách năm {y}",
    ),
}
FORM_TITLES = {
    15: "Cân đối ngân sách địa phương (dự toán trình HĐND)",
    16: "Dự toán thu ngân sách nhà nước",
    17: "Dự toán chi ngân sách địa phương",
    46: "Cân đối ngân sách địa phương",
    47: "Dự toán thu ngân sách nhà nước trên địa bàn",
    48: "Dự toán chi ngân sách địa phương theo lĩnh vực",
    59: "Cân đối ngân sách địa phương (thực hiện)",
    60: "Thực hiện thu ngân sách nhà nước",
    61: "Thực hiện chi ngân sách địa phương",
    62: "Quyết toán cân đối ngân sách địa phương",
    63: "Quyết toán thu ngân sách nhà nước",
    64: "Quyết toán chi ngân sách địa phương",
}


def _deadline(kind: DocType, year: int, period: str) -> date:
    """When the document is due (the same rules pobi.publication applies, nominal anchors)."""
    ends = {"q1": date(year, 3, 31), "h1": date(year, 6, 30), "9m": date(year, 9, 30)}
    if kind == DocType.EXECUTION_QUARTERLY:
        return ends[period] + timedelta(days=15)
    if kind == DocType.EXECUTION_SIX_MONTH:
        return ends["h1"] + timedelta(days=15)
    if kind == DocType.EXECUTION_NINE_MONTH:
        return ends["9m"] + timedelta(days=15)
    if kind == DocType.EXECUTION_ANNUAL:  # when submitted with next year's estimate papers
        return date(year, 11, 25)
    if kind == DocType.ESTIMATE_PROPOSED:
        return date(year - 1, 12, 2)
    if kind in (DocType.FINAL_ACCOUNTS_APPROVED, DocType.AUDIT_REPORT):
        return date(year + 1, 12, 10) + timedelta(days=30)
    return date(year - 1, 12, 10) + timedelta(days=30)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_name(text).lower()).strip("-")[:80]


def _content(title: str, issued: date, province: str, forms: tuple[int, ...]) -> list[list[str]]:
    head = [
        f"ỦY BAN NHÂN DÂN {province.upper()}",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        f"{province}, ngày {issued.day} tháng {issued.month} năm {issued.year}",
        title.upper(),
    ]
    pages = [[*head, "Căn cứ Luật Ngân sách nhà nước; căn cứ Thông tư 343/2016/TT-BTC."]]
    for n in forms:
        pages.append([f"Biểu số {n}/CK-NSNN", FORM_TITLES.get(n, "Biểu mẫu"), "Đơn vị: triệu đồng"])
    return pages


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _kind_of(fmt: str, readable: bool, rng: random.Random) -> tuple[str, str]:
    """(extension, media type) of a document of that format."""
    docx = rng.random() < 0.3
    if not readable or fmt == DocFormat.SCANNED.value:
        return "pdf", "application/pdf"
    if fmt == DocFormat.TABLE.value:
        return "xlsx", XLSX
    if fmt == DocFormat.ARCHIVE.value:
        return "zip", "application/zip"
    return ("docx", DOCX) if docx else ("pdf", "application/pdf")


def _file(fmt: str, title: str, issued: date, province: str, forms: tuple[int, ...], readable: bool,
          rng: random.Random, ext: str) -> bytes:  # fmt: skip
    """The bytes of one document."""
    pages = _content(title, issued, province, forms)
    if not readable:
        return docfiles.pdf_encrypted(pages, unicode=False)
    if fmt == DocFormat.TABLE.value:
        sheets: dict[str, list[list[Any]]] = {"Quyet dinh": [[line] for line in pages[0]]}
        for n in forms:
            sheets[f"Bieu {n}"] = [
                [f"Biểu số {n}/CK-NSNN"],
                [FORM_TITLES.get(n, "")],
                ["STT", "Nội dung", "Dự toán", "Thực hiện"],
                [1, "Tổng thu", rng.randrange(10**6, 10**7), rng.randrange(10**6, 10**7)],
            ]
        return docfiles.xlsx_file(sheets)
    if fmt == DocFormat.SCANNED.value:
        return docfiles.pdf_scanned(pages[:2])
    if fmt == DocFormat.ARCHIVE.value:
        members = {
            f"Bieu-{n}.pdf": docfiles.pdf_text([p], unicode=False)
            for n, p in zip(forms, pages[1:], strict=False)
        }
        members["Quyet-dinh.pdf"] = docfiles.pdf_text(pages[:1], unicode=False)
        return docfiles.zip_file(members)
    if ext == "docx":
        return docfiles.docx_file([line for p in pages for line in p])
    # one text PDF in ten embeds a Unicode font (slow to write); the rest read without diacritics
    return docfiles.pdf_text(pages, unicode=rng.random() < 0.1)


def _drop_stubs(host: Any) -> None:
    from pobi.sandbox.world import Page, js_string

    host.pages.pop("/files/du-toan-2025.pdf", None)
    escaped = js_string(STUB_ITEMS)[1:-1]
    for path, page in list(host.pages.items()):
        if isinstance(page.body, str) and ("du-toan-2025.pdf" in page.body):
            body = page.body
            for form in (
                STUB_ITEMS,
                unicodedata.normalize("NFD", STUB_ITEMS),
                ascii_name(STUB_ITEMS),
                escaped,
            ):
                body = body.replace(form, "")
            body = re.sub(
                r'<li><a href="/files/(du-toan-2025\.pdf|quyet-toan-2023\.xlsx)">[^<]*</a></li>',
                "",
                body,
            )
            host.pages[path] = Page(
                path, body, page.encoding, page.content_type, page.status, page.location
            )


def _main_replace(html: str, inner: str) -> str | None:
    m = re.search(r'(<main class="content">)(.*?)(</main>)', html, flags=re.S)
    if not m:
        return None
    return html[: m.start(2)] + inner + html[m.end(2) :]


def publish(world: Any, seed: int, *, files: bool = True) -> None:
    """Add the budget documents to ``world`` (its finance sites and document systems).

    ``files=False`` lists the same documents (same truth, same pages) without writing their
    bytes (served empty): writing ~160 real files takes seconds, which only a served world needs.
    """
    from pobi.sandbox.world import Host, Page

    world.documents = []
    for host in list(world.hosts.values()):
        _drop_stubs(host)
    for site in world.sites:
        if site.site_kind != SiteKind.FINANCE:
            continue
        host = world.hosts[site.host]
        if host.dead or host.redirect_all_to:
            continue
        pages = {p: pg for p, pg in host.pages.items() if isinstance(pg.body, str)}
        home = pages.get(site.start_path)
        if home is not None and home.location and not home.location.startswith("{{"):
            home = pages.get(home.location)
        if (
            home is None
            or "window.__PAGE__" in str(home.body)
            or '<main class="content">' not in str(home.body)
        ):
            continue  # a single-page site: its budget section is not simulated
        rng = random.Random(f"budget:{seed}:{site.province_code}")
        province = site.name or f"Tỉnh {site.province_code}"
        province = re.sub(r"^(Sở Tài chính|So Tai chinh)\s*", "", province) or province
        docsystem = rng.random() < 0.2
        ascii_titles = rng.random() < 0.15
        diligent = rng.random()  # how often this province publishes on time and complete
        rows: list[str] = []
        drows: list[str] = []
        dkey = f"d{site.province_code}"
        for kind, year, period, p_publish, forms in PLAN:
            if rng.random() > p_publish:
                continue
            due = _deadline(kind, year, period)
            if due > date(2026, 10, 20):  # not due by the survey: not published yet
                continue
            late = rng.random() > diligent
            listed = (
                due - timedelta(days=rng.randrange(1, 12))
                if not late
                else due + timedelta(days=rng.choice((5, 20, 45, 90)))
            )
            issued = listed - timedelta(days=rng.randrange(1, 6))
            present = tuple(forms)
            if forms and rng.random() > diligent + 0.2:
                present = tuple(forms[: rng.randrange(1, len(forms))])
            r = rng.random()
            fmt = (
                DocFormat.TABLE.value if r < 0.25
                else DocFormat.SCANNED.value if r < 0.4
                else DocFormat.ARCHIVE.value if r < 0.45 and present
                else DocFormat.TEXT.value
            )  # fmt: skip
            readable = rng.random() > 0.04
            template = rng.choice(TITLES[kind])
            title = template.format(y=year, y2=year + 2, q=QUARTER_NAME.get(period, ""))
            if ascii_titles:
                title = ascii_name(title)
            frng = random.Random(f"file:{seed}:{site.province_code}:{kind.value}")
            ext, media = _kind_of(fmt, readable, frng)
            data = (
                _file(fmt, title, issued, province, present, readable, frng, ext) if files else b""
            )
            name = f"{_slug(title)}.{ext}"
            on_docsys = docsystem and rng.random() < 0.8
            path = f"/Uploads/{listed.year}/{listed.month:02d}/{name}"
            target = world.hosts.setdefault(dkey, Host(key=dkey)) if on_docsys else host
            target.add(Page(path, data, content_type=media))
            link = ("{{" + dkey + "}}" if on_docsys else "") + path
            row = (f"<tr><td>{title}</td><td>{listed.strftime('%d/%m/%Y')}</td>"
                   f'<td><a href="{link}">Tải về</a></td></tr>')  # fmt: skip
            (drows if on_docsys else rows).append(row)
            world.documents.append(
                PublishedDoc(
                    site.province_code,
                    kind.value,
                    year,
                    period,
                    title,
                    name,
                    fmt if readable else DocFormat.UNREADABLE.value,
                    listed,
                    on_docsys,
                    present,
                    readable,
                )
            )
        table = (
            "<table class='van-ban'><tr><th>Trích yếu</th><th>Ngày ban hành</th><th>Tệp</th></tr>"
            + "".join(rows) + "</table>"
        ) if rows else "<p>Chưa có dữ liệu.</p>"  # fmt: skip
        if drows:
            world.hosts[dkey].add(
                Page(
                    DOCSYS_PATH,
                    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Hệ thống quản lý văn "
                    "bản</title></head><body><h1>Công khai ngân sách</h1><table>"
                    + "".join(drows)
                    + "</table></body></html>",
                )
            )
            table += '<p><a href="{{' + dkey + "}}" + DOCSYS_PATH + '">Hệ thống văn bản</a></p>'
        body = _main_replace(str(home.body), f"<h1>Công khai tài chính - ngân sách</h1>{table}")
        if body is None:
            continue
        host.add(Page(BUDGET_PATH, body, home.encoding))
        link = f'<p class="cong-khai"><a href="{BUDGET_PATH}">Công khai ngân sách</a></p>'
        for p, pg in pages.items():
            if pg.status == 200 and '<main class="content">' in str(pg.body):
                host.pages[p] = Page(p, str(pg.body).replace('<main class="content">', '<main class="content">' + link, 1),
                                     pg.encoding, pg.content_type, pg.status, pg.location)  # fmt: skip
