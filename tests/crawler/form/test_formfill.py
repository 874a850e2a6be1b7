"""The portal form channel in a real Chromium against a real loopback portal: pobi fills what it
recognises (Vietnamese labels), leaves the CAPTCHA, never submits; the person (a script standing
in for them here, the one part that cannot run in a test) solves the CAPTCHA and submits; the
filled form and the confirmation page are the evidence, and the request counts as portal_form."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from pobi.config import find_chromium
from pobi.store import Store
from pobi.store.tables import ContactLog, ProbeRequest

pytestmark = pytest.mark.browser

FORM = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Hỏi đáp</title></head>
<body><h1>Gửi câu hỏi</h1>
<form method="post" action="/hoi-dap/gui">
 <div><label for="hoten">Họ và tên (*)</label><input id="hoten" name="txtHoTen"></div>
 <div><label for="em">Thư điện tử</label><input id="em" name="txtEmail"></div>
 <div><label for="dt">Số điện thoại</label><input id="dt" name="txtDienThoai"></div>
 <div><label for="dc">Địa chỉ</label><input id="dc" name="txtDiaChi"></div>
 <div><label for="td">Tiêu đề câu hỏi</label><input id="td" name="txtTieuDe"></div>
 <div><label for="nd">Nội dung câu hỏi</label><textarea id="nd" name="txtNoiDung"></textarea></div>
 <div><img src="/captcha.png" alt=""><label for="cap">Mã xác nhận</label>
      <input id="cap" name="txtCaptcha"></div>
 <button type="submit">Gửi câu hỏi</button>
</form></body></html>"""


class Portal(BaseHTTPRequestHandler):
    posted: ClassVar[list[dict[str, list[str]]]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, code: int, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/hoi-dap":
            self._send(200, FORM)
        else:
            self._send(404, "<p>không tìm thấy</p>")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        fields = parse_qs(self.rfile.read(length).decode("utf-8"))
        Portal.posted.append(fields)
        if fields.get("txtCaptcha") != ["7K3P"]:
            self._send(200, "<p>Mã xác nhận không đúng</p>")
            return
        self._send(200, "<h1>Gửi câu hỏi thành công</h1><p>Mã câu hỏi: HD-2026-0042</p>")


@pytest.fixture
def portal() -> Iterator[str]:
    Portal.posted = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hoi-dap"
    server.shutdown()


def person(page: Any) -> None:
    """The human step: read the CAPTCHA, type it, press the portal's button."""
    assert page.input_value("#cap") == ""  # pobi left the CAPTCHA alone
    page.fill("#cap", "7K3P")
    page.click("button[type=submit]")


def test_role_of_fields() -> None:
    from crawler.formfill import role_of

    assert role_of({"label": "Họ và tên", "name": "x"}) == "name"
    assert role_of({"label": "HO TEN", "name": "x"}) == "name"
    assert role_of({"label": "Mã xác nhận", "name": "captcha"}) is None
    assert role_of({"label": "", "name": "txtNoiDung", "tag": "textarea"}) == "content"
    assert role_of({"label": "", "name": "q", "type": "email"}) == "email"


def test_form_filled_person_submits_evidence_kept(
    portal: str,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if find_chromium() is None:
        pytest.skip("no Chromium on this machine: not installed")
    import crawler.formfill
    from pobi.config import load_config
    from pobi.rounds import create_round
    from tests.probes.send.helpers import pobi

    (home / "pobi.toml").write_text(
        '[requester]\nfull_name = "Nguyễn Văn An"\naddress = "12 Phố Huế, Hà Nội"\n'
        'id_number = "001088000123"\nphone = "0912345678"\nemail = "an@example.org"\n'
        '[probes]\nreply_local = "khaosat"\nreply_domain = "example.org"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("POBI_TOKEN_SECRET", "s3cret")
    monkeypatch.setenv("POBI_NOW", "2026-03-02T09:00:00+07:00")
    store = Store.open(load_config(home))
    with store.session() as s:
        create_round(s, "r1", "current")
    real = crawler.formfill.fill_form
    monkeypatch.setattr(crawler.formfill, "fill_form", functools.partial(real, person=person))
    code, out, err = pobi(
        capsys,
        "probe",
        "form",
        "--round",
        "r1",
        "--province",
        "01",
        "--url",
        portal,
        "--headless",
        "--timeout",
        "60",
    )
    assert code == 0, err + out
    assert "Submitted; evidence stored" in out
    (posted,) = Portal.posted
    assert posted["txtHoTen"] == ["Nguyễn Văn An"] and posted["txtEmail"] == ["an@example.org"]
    assert posted["txtDienThoai"] == ["0912345678"]
    assert posted["txtTieuDe"][0].startswith("[POBI-r1-1] Yêu cầu cung cấp thông tin")
    assert "PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN" in posted["txtNoiDung"][0]
    with store.session() as s:
        req = s.scalar(select(ProbeRequest).where(ProbeRequest.channel == "portal_form"))
        assert req is not None and req.state == "sent" and req.recipient == portal
        log = s.scalar(select(ContactLog).where(ContactLog.request_id == req.id))
        assert log is not None and len(log.evidence) == 4
        assert "txtCaptcha" in log.note  # left to the person
        confirmation = (home / "evidence").rglob(log.evidence[2])
        page = next(confirmation).read_bytes().decode("utf-8")
        assert "Gửi câu hỏi thành công" in page and "HD-2026-0042" in page
        filled_png = next((home / "evidence").rglob(log.evidence[1])).read_bytes()
        assert filled_png.startswith(b"\x89PNG")
    store.close()


def test_form_without_a_text_field_is_refused(portal: str) -> None:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium on this machine: not installed")
    from crawler.formfill import fill_form
    from pobi.errors import InputError

    with pytest.raises(InputError, match="no field for the request's text"):
        fill_form(
            portal.replace("/hoi-dap", "/khong-co"),
            {"content": "x"},
            browser_path=chromium,
            headless=True,
            timeout_s=5,
        )
    assert Portal.posted == []
