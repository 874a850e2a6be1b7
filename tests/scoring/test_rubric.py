"""The rubric file: the bundled one loads and covers the issue's indicators; broken ones fail
with a message naming the file and the indicator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pobi.config import data_dir
from pobi.errors import InputError, NotFoundError
from pobi.models import Answer
from scoring.rubric import load_rubric
from tests.conftest import run_pobi

BUNDLED = data_dir() / "rubrics" / "participation-v1.toml"


def test_bundled_rubric_covers_the_required_indicators() -> None:
    r = load_rubric("participation-v1")
    assert (r.id, r.version) == ("participation-v1", "1.0.0")
    ids = [i.id for i in r.indicators]
    assert ids == [
        "qa_portal",
        "qa_finance",
        "contact_email",
        "info_access",
        "social_accounts",
        "delivery",
        "reply",
        "reply_time",
    ]
    for ind in r.indicators:
        assert set(ind.options) == set(Answer)
        assert ind.question_vi and ind.question_en and ind.evidence
        assert len(ind.evidence_vi) == len(ind.evidence)  # the methodology page in Vietnamese
        for opt in ind.options.values():
            assert opt.vi and opt.en
    assert r.indicator("qa_finance").params == {"site_kind": "finance", "recent_months": 12}
    assert r.weights == {"channels": 1.0, "response": 1.0}
    assert load_rubric(BUNDLED).sha256 == r.sha256


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'rule = "reply_time"',
            'rule = "reply_speed"',
            r"indicator 'reply_time': unknown rule 'reply_speed'",
        ),
        (
            'pillar = "response"\nquestion_en = "Did',
            'pillar = "answers"\nquestion_en = "Did',
            r"indicator 'reply': pillar 'answers' is not defined",
        ),
        ('id = "qa_finance"', 'id = "qa_portal"', r"indicator 'qa_portal': duplicate id"),
        (
            "params = { min_for_a = 2 }",
            "params = { min_for_a = 2, max = 3 }",
            r"indicator 'social_accounts': rule 'social_accounts' has no parameter max",
        ),
        (
            "params = { a_within = 3, b_within = 15, c_within = 30 }",
            "params = { a_within = 30, b_within = 15, c_within = 3 }",
            r"indicator 'reply_time': parameters must satisfy",
        ),
        (
            'params = { site_kind = "finance", recent_months = 12 }',
            'params = { site_kind = "bank", recent_months = 12 }',
            r"indicator 'qa_finance': parameter 'site_kind' must be one of",
        ),
        (
            '[indicators.options.d]\nen = "None."\nvi = "Không có."\n\n[[indicators]]\nid = "social_accounts"',
            '[[indicators]]\nid = "social_accounts"',
            r"indicator 'info_access': option 'd' is missing",
        ),
        ("weight = 1.0", "weight = -1", r"pillar 'channels': weight must be a number >= 0"),
        ('id = "delivery"', 'id = "Delivery!"', r"indicator 'Delivery!': 'id' must be lower-case"),
        (
            'question_vi = "Tỉnh có trả lời',
            'question_vn = "Tỉnh có trả lời',
            r"indicator 'reply': unknown keys question_vn",
        ),
        (
            'evidence_vi = ["thời điểm gửi yêu cầu", ',
            "evidence_vi = [",
            r"indicator 'reply_time': 'evidence_vi' must translate 'evidence' item by item",
        ),
        (
            '[rubric]\nid = "participation-v1"',
            '[rubric]\nid = "participation-v1"\nversion = [',
            r"not valid TOML",
        ),
    ],
)
def test_broken_rubric_names_file_and_indicator(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(InputError) as info:
        load_rubric(path)
    assert str(path) in str(info.value)
    assert re.search(message, str(info.value)), str(info.value)


def test_unknown_bundled_rubric() -> None:
    with pytest.raises(NotFoundError, match="bundled: participation-v1"):
        load_rubric("participation-v9")


def test_rubric_show_cli_is_bilingual(home: Path) -> None:
    result = run_pobi("rubric", "show")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "participation-v1" in out and "1.0.0" in out
    assert "Does the Department of Finance site have a working Q&A section?" in out
    assert "Trang thông tin điện tử của Sở Tài chính có mục Hỏi đáp" in out
    assert "qa_portal" in out and "reply_time" in out


def test_rubric_show_cli_reports_broken_file(home: Path, tmp_path: Path) -> None:
    path = _broken(tmp_path, 'rule = "delivery"', 'rule = "postman"')
    result = run_pobi("rubric", "show", "--rubric", str(path))
    assert result.returncode == 2
    assert "indicator 'delivery': unknown rule 'postman'" in result.stderr
    assert str(path) in result.stderr.replace("\n", "")


def test_option_e_is_optional_with_a_default_text(tmp_path: Path) -> None:
    from scoring.rubric import NOT_APPLICABLE

    text = BUNDLED.read_text(encoding="utf-8")
    block = (
        '[indicators.options.e]\nen = "Not applicable: no requests were sent in this round."\n'
        'vi = "Không áp dụng: đợt này không gửi yêu cầu."\n'
    )
    assert text.count(block) == 3
    path = tmp_path / "no-e.toml"
    path.write_text(text.replace(block, ""), encoding="utf-8")
    r = load_rubric(path)
    assert r.indicator("reply").options[Answer.E].en == NOT_APPLICABLE["en"]
    assert r.sha256 != load_rubric(BUNDLED).sha256
