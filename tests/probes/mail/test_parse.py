from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

from probes.parse import BODY_CAP, LARGE_ATTACHMENT, html_to_text, parse, synthesized_id
from tests.probes.mail.conftest import load_corpus_module

mc = load_corpus_module()
VI = mc.REPLY_VI.strip()


def by_name(corpus: list, prefix: str) -> list:
    found = [s for s in corpus if s.name.startswith(prefix)]
    assert found, prefix
    return found


def test_missing_message_id_is_synthesized_stably_and_flagged() -> None:
    raw = b"From: a@b.vn\nSubject: x\n\nbody\n"
    p1, p2 = parse(raw), parse(raw)
    sha = hashlib.sha256(raw).hexdigest()
    assert p1.message_id == p2.message_id == synthesized_id(sha)
    assert p1.synthesized_message_id and "synthesized_message_id" in p1.flags
    assert parse(raw + b"x").message_id != p1.message_id


def test_received_at_precedence() -> None:
    base = b"From: a@b.vn\nDate: Mon, 23 Nov 2026 10:00:00 +0700\n"
    rec = b"Received: from x by y; Tue, 24 Nov 2026 01:00:00 +0000\nReceived: from z by x; Mon, 23 Nov 2026 03:30:00 +0000\n"
    internal = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
    stamp = datetime(2026, 12, 1, tzinfo=UTC)
    p = parse(rec + base + b"\nx")
    assert p.effective_received_at(internal, stamp) == (
        datetime(2026, 11, 24, 1, 0, tzinfo=UTC),
        "received",
    )
    p = parse(base + b"\nx")
    assert p.effective_received_at(internal, stamp) == (internal, "internaldate")
    assert p.effective_received_at(None, stamp) == (
        datetime(2026, 11, 23, 3, 0, tzinfo=UTC),
        "date",
    )
    p = parse(b"From: a@b.vn\nDate: Thu 23/11/2026\n\nx")
    assert "bad_date" in p.flags and "no_date" in p.flags
    assert p.effective_received_at(None, stamp) == (stamp, "import_time")


def test_html_is_converted_to_text_never_kept_as_markup() -> None:
    html = "<html><head><style>p{}</style><script>alert('x')</script></head><body><p>Kính gửi</p><a href='http://e/x'>dự toán</a><br>Hết</body></html>"
    text = html_to_text(html)
    assert "Kính gửi" in text and "dự toán" in text and "Hết" in text
    assert "<" not in text and "alert" not in text and "p{}" not in text


def test_corpus_html_only_and_alternative(corpus: list) -> None:
    for s in by_name(corpus, "html-only-"):
        p = parse(s.raw)
        assert "html_only" in p.flags
        assert "Kính gửi Ông An" in p.body_text and "document.write" not in p.body_text
    for s in by_name(corpus, "alternative-"):
        p = parse(s.raw)
        assert "html_only" not in p.flags and p.body_text.startswith("Kính gửi Ông Nguyễn Văn An")


def test_vietnamese_legacy_charsets_in_bodies(corpus: list) -> None:
    for s in by_name(corpus, "cp1258-") + by_name(corpus, "viscii-"):
        p = parse(s.raw)
        assert p.body_text.strip() == VI, s.name


def test_encoded_words_and_raw_8bit_headers(corpus: list) -> None:
    s = next(x for x in corpus if x.name == "mislabelled-0")  # raw UTF-8 subject
    p = parse(s.raw)
    assert "Đề nghị cung cấp thông tin" in p.subject and "raw_8bit_header" in p.flags
    s = next(x for x in corpus if x.name == "mislabelled-1")  # cp1258 bytes labelled latin-1
    assert parse(s.raw).subject == "Trả lời đề nghị"
    s = next(x for x in corpus if x.name == "mislabelled-3")
    assert parse(s.raw).subject == "Trả lời đề nghị"
    for name in ("mislabelled-2", "mislabelled-5"):  # unknown charset, broken base64: no crash
        p = parse(next(x for x in corpus if x.name == name).raw)
        assert isinstance(p.subject, str)
    p = parse(
        b"Subject: =?utf-8?B?VHLhuqMgbOG7nWk=?= =?utf-8?Q?_t=E1=BB=B1_=C4=91=E1=BB=99ng?=\n\nx"
    )
    assert p.subject == "Trả lời tự động"


def test_attachments_are_extracted_with_names(corpus: list) -> None:
    for s in by_name(corpus, "attachment-"):
        p = parse(s.raw)
        names = [a.filename for a in p.attachments]
        assert "Dự toán 2026.pdf" in names, (s.name, names)
        pdf = next(a for a in p.attachments if a.filename == "Dự toán 2026.pdf")
        assert pdf.data.startswith(b"%PDF-1.4") and pdf.data.endswith(b"%%EOF\n")
        assert pdf.content_type == "application/pdf"


def test_tnef_uuencode_utf7(corpus: list) -> None:
    tnef = parse(next(s for s in corpus if s.name == "broken-mime-5").raw)
    assert "tnef" in tnef.flags
    assert [a.filename for a in tnef.attachments] == ["winmail.dat"]
    assert tnef.attachments[0].data.startswith(b"\x78\x9f\x3e\x22")
    uu = parse(next(s for s in corpus if s.name == "broken-mime-6").raw)
    assert "uuencode" in uu.flags
    assert uu.attachments[0].filename == "bao-cao.pdf"
    assert uu.attachments[0].data == bytes(range(200)) * 3
    assert "begin 644" not in uu.body_text and "[uuencoded file: bao-cao.pdf]" in uu.body_text
    u7 = parse(next(s for s in corpus if s.name == "broken-mime-4").raw)
    assert "utf7" in u7.flags and u7.body_text.strip() == VI


def test_broken_structures_are_flagged_not_fatal(corpus: list) -> None:
    p = parse(next(s for s in corpus if s.name == "broken-mime-0").raw)  # no boundary parameter
    assert any(f.startswith("defects:") for f in p.flags)
    p = parse(next(s for s in corpus if s.name == "broken-mime-7").raw)  # no From/Date/Message-ID
    assert {"no_from", "no_date", "synthesized_message_id"} <= set(p.flags)
    p = parse(next(s for s in corpus if s.name == "broken-mime-8").raw)  # invalid addresses
    assert "bad_address" in p.flags and p.from_addr == ""


def test_body_cap_and_large_attachments() -> None:
    big_text = ("Nội dung dài. " * 30000).encode()
    p = parse(b"From: a@b.vn\nContent-Type: text/plain; charset=utf-8\n\n" + big_text)
    assert len(p.body_text) == BODY_CAP and "body_truncated" in p.flags
    blob = b"\x00\x01" * (LARGE_ATTACHMENT // 2 + 1000)
    enc = base64.encodebytes(blob)
    raw = (
        b'From: a@b.vn\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nsee file\n'
        b"--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n"
        b"Content-Disposition: attachment; filename=big.bin\n\n" + enc + b"--b--\n"
    )
    p = parse(raw)
    assert "large_attachment" in p.flags and p.attachments[0].data == blob


def test_not_an_email_at_all() -> None:
    for raw in (b"", b"\x00\xff\xfe", b"%PDF-1.4 binary", bytes(range(256))):
        p = parse(raw)
        assert p.synthesized_message_id
        assert "\x00" not in p.body_text
