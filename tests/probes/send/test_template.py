"""Request templates: the law's fields, the ask file, refusal while the requester is incomplete."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pobi.config import RequesterSettings
from pobi.errors import ConfigError, InputError
from probes.template import (
    available_templates,
    latest_quarter,
    load_ask,
    load_template,
    missing_requester_fields,
    render,
    require_requester,
)
from tests.support.mailservers import REQUESTER

WHEN = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def letter(kind: str = "finance", ask=None):  # type: ignore[no-untyped-def]
    return render(
        load_template("lai-2026-v1"),
        ask or load_ask(),
        requester=RequesterSettings(**REQUESTER),
        province_name="Thành phố Hà Nội",
        recipient_kind=kind,
        tag="[POBI-r1-7]",
        reply_to="khaosat+r1-7-0123abcd@pobi.sandbox.test",
        when=WHEN,
    )


def test_letter_has_every_field_the_law_requires() -> None:
    out = letter()
    for value in REQUESTER.values():
        assert value in out.body
    assert "[POBI-r1-7]" in out.subject and "[POBI-r1-7]" in out.body
    assert "Kính gửi: Sở Tài chính thành phố Hà Nội" in out.body
    assert "Luật Tiếp cận thông tin số 104/2016/QH13" in out.body
    # the default ask: approved estimate of the year, latest quarterly execution, how to ask
    assert "Dự toán ngân sách địa phương năm 2026" in out.body
    assert "Hội đồng nhân dân thành phố phê chuẩn" in out.body
    assert "quý 4 năm 2025" in out.body  # March 2026: the last completed quarter
    assert "gửi câu hỏi" in out.body
    assert "Mục đích" in out.body and "POBI" in out.body
    assert "thư điện tử khaosat+r1-7-0123abcd@pobi.sandbox.test" in out.body  # form of delivery
    assert "Department of Finance, thành phố Hà Nội" in out.body_en
    assert out.subject.startswith("[POBI-r1-7] Yêu cầu cung cấp thông tin")


def test_portal_addressee() -> None:
    assert "Ủy ban nhân dân thành phố Hà Nội" in letter("portal").body


@pytest.mark.parametrize(
    ("month", "expected"), [(1, (4, 2025)), (4, (1, 2026)), (9, (2, 2026)), (12, (3, 2026))]
)
def test_latest_quarter(month: int, expected: tuple[int, int]) -> None:
    assert latest_quarter(datetime(2026, month, 15, tzinfo=UTC)) == expected


def test_missing_requester_is_refused_with_every_missing_field() -> None:
    partial = RequesterSettings(full_name="A", email="a@b.sandbox.test")
    assert missing_requester_fields(partial) == ["address", "id_number", "phone"]
    with pytest.raises(ConfigError) as err:
        require_requester(partial)
    for name in ("address", "id_number", "phone"):
        assert f"requester.{name}" in err.value.message
    assert "full_name" not in err.value.message
    with pytest.raises(ConfigError):
        render(
            load_template("lai-2026-v1"),
            load_ask(),
            requester=partial,
            province_name="Tỉnh X",
            recipient_kind="finance",
            tag="[POBI-r-1]",
            reply_to="x@y.sandbox.test",
            when=WHEN,
        )


def test_custom_ask_file(tmp_path: Path) -> None:
    path = tmp_path / "ask.toml"
    path.write_text(
        'purpose_vi = "Nghiên cứu"\npurpose_en = "Research"\n'
        '[[item]]\nvi = "Báo cáo quyết toán ngân sách năm {year}"\nen = "Final accounts {year}"\n',
        encoding="utf-8",
    )
    out = letter(ask=load_ask(path))
    assert "6.1. Báo cáo quyết toán ngân sách năm 2026" in out.body
    assert "6.2." not in out.body


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('purpose_vi = "x"\npurpose_en = "y"\n', "at least one [[item]]"),
        ('purpose_en = "y"\n[[item]]\nvi = "a"\nen = "b"\n', "'purpose_vi'"),
        ('purpose_vi = "x"\npurpose_en = "y"\n[[item]]\nen = "b"\n', "item 1: 'vi'"),
        ("purpose_vi = [", "not valid TOML"),
        (
            'purpose_vi = "x"\npurpose_en = "y"\nitems = 1\n[[item]]\nvi="a"\nen="b"\n',
            "unknown keys",
        ),
    ],
)
def test_bad_ask_file_names_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_ask(path)
    assert str(path) in err.value.message and problem in err.value.message


def test_unknown_template() -> None:
    assert "lai-2026-v1" in available_templates()
    with pytest.raises(ConfigError) as err:
        load_template("nope")
    assert "lai-2026-v1" in (err.value.hint or "")
