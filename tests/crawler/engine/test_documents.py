"""Budget documents end to end through `pobi crawl` (real loopback servers, real files): found on
the budget section and on a document system on another host, downloaded within the size limit,
archived (file + WARC), read and classified; broken files flagged; nothing fetched twice across
--resume."""

from __future__ import annotations

from pathlib import Path

from pobi.evidence import EvidenceStore
from pobi.sandbox import docfiles
from tests.crawler.engine.helpers import STUB_CHECKS, crawl, one_site_round, query
from tests.crawler.engine.websites import Site, html

PDF = "application/pdf"
HEAD = ["ỦY BAN NHÂN DÂN TỈNH", "ngày 24 tháng 12 năm 2024", "QUYẾT ĐỊNH"]


def test_documents_found_archived_read_and_never_fetched_twice(tmp_path: Path) -> None:
    estimate = docfiles.pdf_text(
        [[*HEAD, "Về việc công bố công khai dự toán ngân sách năm 2025", "Biểu số 46/CK-NSNN"]]
    )
    scanned = docfiles.pdf_scanned([["Quyết toán ngân sách địa phương năm 2023"]])
    big = b"%PDF-1.4\n" + b"0" * 300_000
    docsys = Site(
        {
            "/cong-khai": html(
                "<h1>Văn bản công khai</h1><ul><li>Báo cáo tình hình thực hiện dự toán ngân sách "
                "quý I năm 2025 (15/04/2025) <a href='/files/bc-quy-1.docx'>Tải về</a></li></ul>"
            ),
            "/files/bc-quy-1.docx": (
                200,
                {"Content-Type": "application/octet-stream"},
                docfiles.docx_file(
                    ["Báo cáo tình hình thực hiện dự toán ngân sách quý I năm 2025"]
                ),
            ),
        }
    ).start()
    portal = Site(
        {
            "/": html("<p>Trang chủ</p><a href='/cong-khai-ngan-sach'>Công khai ngân sách</a>"),
            "/cong-khai-ngan-sach": html(
                "<h1>Công khai ngân sách</h1><table>"
                "<tr><td>Quyết định công bố công khai dự toán ngân sách năm 2025</td>"
                "<td>26/12/2024</td><td><a href='/up/qd-du-toan-2025.pdf'>Tải về</a></td></tr>"
                "<tr><td><a href='/up/quyet-toan-2023.pdf'>Quyết định công bố công khai quyết toán "
                "ngân sách năm 2023</a></td></tr>"
                "<tr><td><a href='/up/ke-hoach-tai-chinh-2025-2027.pdf'>Kế hoạch tài chính - ngân "
                "sách nhà nước 03 năm 2025-2027</a></td></tr>"
                "<tr><td><a href='/up/ngan-sach-cong-dan-2025.pdf'>Ngân sách công dân năm 2025</a>"
                "</td></tr></table>"
                f"<a href='{docsys.base}/cong-khai'>Hệ thống văn bản</a>"
            ),
            "/up/qd-du-toan-2025.pdf": (200, {"Content-Type": PDF}, estimate),
            "/up/quyet-toan-2023.pdf": (200, {"Content-Type": PDF}, scanned),
            "/up/ke-hoach-tai-chinh-2025-2027.pdf": (
                200,
                {"Content-Type": PDF},
                docfiles.pdf_encrypted([["Kế hoạch"]]),
            ),
            "/up/ngan-sach-cong-dan-2025.pdf": (200, {"Content-Type": PDF}, big),
        }
    ).start()
    try:
        home, sites_file = one_site_round(tmp_path, f"{portal.base}/")
        env = {"POBI_CRAWL_CHECKS": STUB_CHECKS, "POBI_DOCUMENTS_MAX_DOCUMENT_BYTES": "200000"}
        first = crawl(home, sites_file, "--render", "never", **env)
        assert first.returncode == 0, first.stdout + first.stderr
        rows = {
            r["url"].rsplit("/", 1)[-1]: r
            for r in query(home, "SELECT * FROM documents WHERE round_id = 't'")
        }
        assert set(rows) == {
            "qd-du-toan-2025.pdf",
            "quyet-toan-2023.pdf",
            "ke-hoach-tai-chinh-2025-2027.pdf",
            "ngan-sach-cong-dan-2025.pdf",
            "bc-quy-1.docx",
        }
        est = rows["qd-du-toan-2025.pdf"]
        assert (est["doc_type"], est["fiscal_year"], est["format"]) == (
            "estimate_approved",
            2025,
            "text",
        )
        assert (est["published_on"], est["date_source"]) == ("2024-12-26", "listing")
        assert est["document_date"] == "2024-12-24"
        assert est["forms"] == [46] or est["forms"] == "[46]"
        evidence = EvidenceStore(home / "evidence")
        assert evidence.read(est["sha256"]) == estimate and evidence.exists(est["warc_sha256"])
        assert est["found_on"] == f"{portal.base}/cong-khai-ngan-sach"
        qt = rows["quyet-toan-2023.pdf"]
        assert (qt["doc_type"], qt["format"]) == ("final_accounts_approved", "scanned")
        enc = rows["ke-hoach-tai-chinh-2025-2027.pdf"]
        assert (enc["doc_type"], enc["format"]) == ("medium_term_plan", "unreadable")
        assert "encrypted" in enc["detail"]
        too_big = rows["ngan-sach-cong-dan-2025.pdf"]
        assert (too_big["status"], too_big["format"], too_big["sha256"]) == (
            "too_large",
            "too_large",
            "",
        )
        assert too_big["doc_type"] == "citizen_budget"  # from its title, not downloaded
        q1 = rows["bc-quy-1.docx"]
        assert (q1["doc_type"], q1["period"], q1["format"]) == ("execution_quarterly", "q1", "text")
        assert q1["listing_date"] == "2025-04-15"
        assert q1["found_on"] == f"{docsys.base}/cong-khai"

        before = (len(portal.hits), len(docsys.hits))
        again = crawl(home, sites_file, "--render", "never", "--resume", **env)
        assert again.returncode == 0, again.stdout + again.stderr
        fetched_again = [
            h for h in portal.hits[before[0] :] + docsys.hits[before[1] :] if h != "/robots.txt"
        ]
        assert fetched_again == []  # pages replayed from their WARCs, documents known
        assert query(home, "SELECT count(*) AS n FROM documents")[0]["n"] == 5
    finally:
        portal.stop()
        docsys.stop()
