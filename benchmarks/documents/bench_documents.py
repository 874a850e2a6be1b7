"""Budget documents: how many documents pobi reads (and classifies) per second, and whether a
300-page PDF is read in bounded memory.

1. A mix like the simulated country's (text PDFs, scanned PDFs, DOCX, XLSX, ZIP), generated once
   with the sandbox's writers, then read (:func:`crawler.doctext.read`) and classified
   (:func:`crawler.doctype.classify`) ``--rounds`` times: documents per second and MB per second.
2. A 300-page text PDF (each page a full form of figures): read with the crawler's limits
   (400 pages, 200,000 characters kept), and once more reading every page's text. Peak Python allocations (tracemalloc) and the process's
   resident-set growth are reported beside the file's size; the target is a peak below
   ``--max-peak-mb`` (default 64 MB) — a few times the file, not proportional to its text.

Run: ``.venv/bin/python benchmarks/documents/bench_documents.py`` (prints a JSON report; exits 1
when the memory target is missed).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from crawler.doctext import read
from crawler.doctype import classify
from pobi.sandbox import docfiles

LINES = [
    "ỦY BAN NHÂN DÂN TỈNH",
    "ngày 20 tháng 12 năm 2025",
    "QUYẾT ĐỊNH Về việc công bố công khai dự toán ngân sách năm 2026",
    "Biểu số 46/CK-NSNN CÂN ĐỐI NGÂN SÁCH ĐỊA PHƯƠNG NĂM 2026",
]


def corpus() -> list[tuple[str, bytes]]:
    pages = [LINES] + [[f"Biểu số {n}/CK-NSNN", "Tổng thu 12.345.678"] for n in (47, 48)]
    sheet = {"Bieu 46": [["Biểu số 46/CK-NSNN"], *[["Thu", i, i * 3] for i in range(200)]]}
    items = []
    for i in range(10):
        items.append((f"qd-{i}.pdf", docfiles.pdf_text(pages, unicode=i % 3 == 0)))
    for i in range(3):
        items.append((f"scan-{i}.pdf", docfiles.pdf_scanned(pages[:2])))
    for i in range(4):
        items.append((f"bc-{i}.docx", docfiles.docx_file([ln for p in pages for ln in p])))
    for i in range(6):
        items.append((f"bieu-{i}.xlsx", docfiles.xlsx_file(sheet)))
    items.append(("bundle.zip", docfiles.zip_file({"a.pdf": items[0][1], "b.xlsx": items[-1][1]})))
    return items


def big_pdf(pages: int) -> bytes:
    rows = [
        f"{i:>3}. Chi sự nghiệp giáo dục, đào tạo và dạy nghề  {i * 1234567:>15,}"
        for i in range(40)
    ]
    return docfiles.pdf_text(
        [[f"Biểu số 48/CK-NSNN — trang {p + 1}", *rows] for p in range(pages)], unicode=False
    )


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--max-peak-mb", type=float, default=64.0)
    args = ap.parse_args()

    items = corpus()
    size = sum(len(b) for _, b in items)
    started = time.perf_counter()
    kinds: dict[str, int] = {}
    for _ in range(args.rounds):
        for name, data in items:
            got = read(data)
            classify("Tải về", name, got.text)
            kinds[got.format.value] = kinds.get(got.format.value, 0) + 1
    elapsed = time.perf_counter() - started
    n = len(items) * args.rounds

    pdf = big_pdf(args.pages)
    rss_before = rss_mb()
    t0 = time.perf_counter()
    got = read(pdf)
    big_elapsed = time.perf_counter() - t0
    full = read(pdf, max_chars=10**9)  # every page's text, for the pages/second figure
    full_elapsed = time.perf_counter() - t0 - big_elapsed
    tracemalloc.start()  # a second read, traced (tracing slows it: not timed)
    read(pdf, max_chars=10**9)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report = {
        "mix": {
            "documents": n,
            "seconds": round(elapsed, 2),
            "documents_per_second": round(n / elapsed, 1),
            "mb_per_second": round(size * args.rounds / elapsed / 1e6, 2),
            "formats": kinds,
        },
        "big_pdf": {
            "pages": got.pages,
            "pages_read_with_crawl_limits": got.pages_read,
            "file_mb": round(len(pdf) / 1e6, 2),
            "seconds": round(big_elapsed, 2),
            "text_chars_kept": len(got.text),
            "all_pages_seconds": round(full_elapsed, 2),
            "all_pages_per_second": round(full.pages_read / full_elapsed, 1),
            "peak_python_mb_all_pages": round(peak / 1e6, 1),
            "max_rss_growth_mb": round(rss_mb() - rss_before, 1),
            "format": got.format.value,
        },
    }
    print(json.dumps(report, indent=2))
    ok = peak / 1e6 <= args.max_peak_mb and got.pages == args.pages
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
