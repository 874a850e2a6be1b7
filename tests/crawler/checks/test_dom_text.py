"""Doc.text reads a page the way a browser's innerText shows it.

The expected strings below are what Chromium's ``document.body.innerText`` gives for the same
markup (checked by hand with chromium-headless-shell, 2026-12-03), with two deliberate
differences: runs of spaces and empty lines are collapsed, and <select>/<option> text is kept
one option per line (a link directory's entries), where a browser shows only the selected one.
"""

import pytest

from crawler.checks.dom import parse
from tests.crawler.checks.helpers import view

CASES = [
    # inline elements adjacent in the source stay joined: that is what a reader sees
    ("<div><a href='/q/1'>Hỏi 1</a><span>2 ngày trước</span></div>", "Hỏi 12 ngày trước"),
    ("<p>vanphong<b>@</b>tinh.gov.vn</p>", "vanphong@tinh.gov.vn"),
    ("<p>Hỏi 1<img src='/i.png'>2 ngày trước</p>", "Hỏi 12 ngày trước"),
    # block-level boundaries become line breaks
    ("<div>Hỏi 1<br>2 ngày trước</div>", "Hỏi 1\n2 ngày trước"),
    ("<div>Hỏi 1<hr>2 ngày trước</div>", "Hỏi 1\n2 ngày trước"),
    ("<ul><li>Hỏi 1</li><li>2 ngày trước</li></ul>", "Hỏi 1\n2 ngày trước"),
    ("<center>Hỏi 1</center>2 ngày trước", "Hỏi 1\n2 ngày trước"),
    ("<figure>Hỏi 1<figcaption>2 ngày trước</figcaption></figure>", "Hỏi 1\n2 ngày trước"),
    ("<details open><summary>Hỏi 1</summary>2 ngày trước</details>", "Hỏi 1\n2 ngày trước"),
    ("<dl><dt>Hỏi 1</dt><dd>2 ngày trước</dd></dl>", "Hỏi 1\n2 ngày trước"),
    ("<div>Hỏi 1<span style='color:red;display:block'>2 ngày trước</span></div>",
     "Hỏi 1\n2 ngày trước"),
    # a table row is one line, its cells separated by a tab
    ("<table><tr><td>Điện thoại:</td><td>0243.825.3536</td></tr>"
     "<tr><th>Email:</th><td>vp@tinh.gov.vn</td></tr></table>",
     "Điện thoại:\t0243.825.3536\nEmail:\tvp@tinh.gov.vn"),
    # <label> is inline; a line break in the source is a space; <pre> keeps its lines
    ("<p><label>Ngày gửi:</label> 03/04/2025</p>", "Ngày gửi: 03/04/2025"),
    ("<p>Ngày gửi:\n     03/04/2025</p>", "Ngày gửi: 03/04/2025"),
    ("<pre>Điện thoại:\n0243 825 3536</pre>", "Điện thoại:\n0243 825 3536"),
    # what is never shown
    ("<p>a<script>var x = '0912345678';</script>b<iframe src='/x'>Không hỗ trợ</iframe></p>", "ab"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_text_as_a_browser_shows_it(body: str, expected: str) -> None:
    assert parse(view(body)).text == expected
