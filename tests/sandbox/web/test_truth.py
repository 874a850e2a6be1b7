from pathlib import Path

import pytest

from pobi.errors import CsvRowError
from pobi.sandbox.truth import TruthRow, compare, read_truth, write_truth

SITE = "http://127.0.0.9:5000/"


def row(channel: str, value: str, **kw: object) -> TruthRow:
    return TruthRow("01", "portal", SITE, channel, value, **kw)  # type: ignore[arg-type]


def found(channel: str, value: str, site_url: str = SITE) -> dict[str, str]:
    return {"province_code": "01", "site_kind": "portal", "site_url": site_url, "channel": channel,
            "value": value, "found_on": SITE}  # fmt: skip


TRUTH = [
    row("email", "a@x.sandbox.test"),
    row("email", "b@x.sandbox.test", rendered_only=True),
    row("email", "hidden@x.sandbox.test", robots_blocked=True),
    row("qa_section", SITE + "hoi-dap"),
]


def test_perfect_and_case_insensitive_values() -> None:
    rows = [
        found("email", "A@X.sandbox.test"),
        found("email", "b@x.sandbox.test"),
        found("qa_section", "HTTP://127.0.0.9:5000/hoi-dap#top"),
        found("qa_section", SITE + "hoi-dap"),  # duplicates count once
    ]
    c = compare(rows, TRUTH)
    assert c.ok(1.0), c.report()
    assert c.channels["email"].required == 2  # robots-blocked is not required when obeying


def test_misses_and_false_positives_are_listed() -> None:
    rows = [found("email", "a@x.sandbox.test"), found("email", "wrong@x.sandbox.test"),
            found("phone", "0241234567")]  # fmt: skip
    c = compare(rows, TRUTH)
    assert c.channels["email"].precision == 0.5
    assert c.channels["email"].recall == 0.5
    assert c.channels["phone"].precision == 0.0
    assert c.channels["qa_section"].recall == 0.0
    report = c.report()
    assert "b@x.sandbox.test [rendered only]" in report
    assert "+ 01 portal" in report and "wrong@x.sandbox.test" in report
    assert not c.ok()


def test_rendered_only_is_optional_without_rendering() -> None:
    c = compare(
        [found("email", "a@x.sandbox.test"), found("qa_section", SITE + "hoi-dap")],
        TRUTH,
        rendered=False,
    )
    assert c.ok(1.0)
    c = compare(
        [found("email", "a@x.sandbox.test"), found("email", "b@x.sandbox.test")],
        TRUTH,
        rendered=False,
    )
    assert c.channels["email"].precision == 1.0


def test_robots_blocked_found_is_a_false_positive_unless_robots_ignored() -> None:
    rows = [found("email", "a@x.sandbox.test"), found("email", "b@x.sandbox.test"),
            found("email", "hidden@x.sandbox.test"), found("qa_section", SITE + "hoi-dap")]  # fmt: skip
    assert compare(rows, TRUTH).channels["email"].false_positives == 1
    assert compare(rows, TRUTH, obey_robots=False).ok(1.0)


def test_site_url_must_match_the_sites_file() -> None:
    c = compare([found("email", "a@x.sandbox.test", site_url="http://127.0.0.10:5000/")], TRUTH)
    assert c.channels["email"].false_positives == 1


def test_truth_file_round_trip_and_bad_file(tmp_path: Path) -> None:
    path = write_truth(TRUTH, tmp_path / "t.csv")
    assert read_truth(path) == TRUTH
    path.write_text(path.read_text().replace(",qa_section,", ",qa,"))
    with pytest.raises(CsvRowError, match=r"t.csv:\d: unknown channel 'qa'"):
        read_truth(path)
