"""Requests outside e-mail: the postal letter (PDF with the registered-mail field, carrying the
request's reply token) and phone calls; both count in the response measures by channel."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from pobi.store import Store
from pobi.store.tables import ContactLog, Message, ProbeRequest
from pobi.timing import request_timings
from probes.token import reply_address
from scoring.statistics import compute_statistics
from tests.probes.send.conftest import seed_round
from tests.probes.send.helpers import pobi
from tests.support.mailservers import TOKEN_SECRET


def test_postal_letter_and_phone_calls_count(
    env: dict[str, str],
    store: Store,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POBI_NOW", "2026-03-02T09:00:00+07:00")
    seed_round(store)
    pdf = home / "letters" / "01.pdf"
    address = "Sở Tài chính Hà Nội, 38 Tố Hữu, Hà Đông, Hà Nội"
    code, out, err = pobi(
        capsys,
        "probe",
        "letter",
        "--round",
        "r1",
        "--province",
        "01",
        "--address",
        address,
        "--out",
        str(pdf),
    )
    assert code == 0, err
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Registered-mail no." in text and "Số hiệu bưu gửi bảo đảm" in text
    assert "PHIẾU YÊU CẦU CUNG CẤP THÔNG TIN" in text and "104/2016/QH13" in text
    with store.session() as s:
        req = s.scalar(select(ProbeRequest).where(ProbeRequest.channel == "postal"))
        assert req is not None and req.state == "draft" and req.law == "lai-104-2016"
        n = req.n
    # the letter carries the request's own reply address (an e-mailed answer matches it)
    assert reply_address("khaosat", "pobi.sandbox.test", "r1", n, TOKEN_SECRET) in text.replace(
        "\n", ""
    )
    # a postal draft is never e-mailed
    code, out, err = pobi(capsys, "probe", "send", "--round", "r1")
    assert code == 0 and "No request of round r1 is waiting to be sent" in out, out + err
    # posting needs the registered-mail number
    args = ("probe", "log-request", "--round", "r1", "--province", "01", "--channel", "postal")
    code, out, err = pobi(capsys, *args, "--to", address)
    assert code == 2 and "registered-mail number" in err
    code, out, err = pobi(capsys, *args, "--to", address, "--ref", "RR123456789VN")
    assert code == 0, err
    # a phone call nobody answered, then one a person answered with a referral
    call = (
        "probe",
        "log-request",
        "--round",
        "r1",
        "--province",
        "79",
        "--channel",
        "phone",
        "--to",
        "028 3829 1234",
    )
    assert pobi(capsys, *call, "--outcome", "no_answer", "--at", "2026-03-02T10:00:00")[0] == 0
    code, out, err = pobi(capsys, *call, "--outcome", "maybe")
    assert code == 2 and "--outcome must be one of" in err
    code, out, err = pobi(
        capsys,
        *call,
        "--outcome",
        "referred",
        "--answered-by",
        "Văn phòng UBND",
        "--note",
        "asked us to write to the Department of Finance",
        "--at",
        "2026-03-03T09:30:00",
    )
    assert code == 0, err
    with store.session() as s:
        reqs = {r.channel: r for r in s.scalars(select(ProbeRequest))}
        assert reqs["postal"].state == "sent" and reqs["postal"].channel_ref == "RR123456789VN"
        assert reqs["phone"].recipient == "tel:02838291234"
        logs = list(s.scalars(select(ContactLog).where(ContactLog.channel == "phone")))
        assert [x.outcome for x in logs] == ["no_answer", "referred"]
        human = s.scalars(select(Message).where(Message.request_id == reqs["phone"].id)).all()
        assert len(human) == 1 and human[0].kind == "human"
        timings = {t.channel: t for t in request_timings(s, "r1")}
    # the Department of Finance answers the letter on paper (công văn), scanned
    scan = home / "cong-van.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned reply")
    code, out, err = pobi(
        capsys,
        "probe",
        "log-reply",
        reqs["postal"].id,
        "--file",
        str(scan),
        "--at",
        "2026-03-10T10:00:00",
        "--from",
        "Sở Tài chính",
        "--note",
        "gửi kèm dự toán",
    )
    assert code == 0, err
    code, out, err = pobi(capsys, "probe", "log-reply", reqs["postal"].id, "--file", str(scan))
    assert code == 2 and "already stored" in err
    with store.session() as s:
        timings = {t.channel: t for t in request_timings(s, "r1")}
    assert timings["phone"].first_human_reply_at is not None
    assert timings["phone"].days_to_human_reply == 1
    assert timings["postal"].first_human_reply_at is not None  # on paper, logged
    stats, _ = compute_statistics("r1", "current", list(timings.values()))
    got = {r["measure"]: (r["k"], r["n"]) for r in stats if r["group"] == "all"}
    assert got["human_reply_rate_phone"] == (1, 1) and got["human_reply_rate_postal"] == (1, 1)
    assert got["human_reply_rate"] == (2, 2)  # every channel counts in the overall measure
