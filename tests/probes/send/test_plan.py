"""probe plan: finance first, portal fallback, image/rejected skipped, overrides, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pobi.errors import CsvRowError, InputError
from pobi.store import Store
from pobi.store.tables import ProbeRequest, RequestEvent
from probes.plan import plan_round, read_targets
from tests.conftest import run_pobi
from tests.probes.send.conftest import seed_round


def planned(store: Store) -> dict[str, tuple[str, str]]:
    with store.session() as s:
        return {
            r.recipient: (r.province_code, r.recipient_kind)
            for r in s.scalars(select(ProbeRequest).where(ProbeRequest.round_id == "r1"))
        }


def test_finance_first_portal_fallback_and_skips(store: Store) -> None:
    seed_round(store)
    with store.session() as s:
        result = plan_round(s, "r1", template="lai-2026-v1")
    assert planned(store) == {
        "stc@hanoi.sandbox.test": ("01", "finance"),  # not the portal's ubnd@hanoi
        "ubnd@hcm.sandbox.test": ("79", "portal"),  # image: address skipped
        "sotaichinh@haiphong.sandbox.test": ("31", "finance"),  # rejected spam@ skipped
        "stc@danang.sandbox.test": ("48", "finance"),
    }
    assert len(result.unreached) == 34 - 4
    assert ("46", "Thành phố Huế") in result.unreached
    with store.session() as s:
        r = s.scalars(select(ProbeRequest).where(ProbeRequest.province_code == "79")).one()
        assert r.state == "draft" and "portal contact address" in r.reason
        assert "lien-he" in r.reason and r.finding_id is not None
        events = list(s.scalars(select(RequestEvent).where(RequestEvent.request_id == r.id)))
        assert [(e.from_state, e.to_state) for e in events] == [("", "draft")]


def test_plan_is_idempotent(store: Store) -> None:
    seed_round(store)
    for _ in range(2):
        with store.session() as s:
            plan_round(s, "r1", template="lai-2026-v1")
    with store.session() as s:
        rows = list(s.scalars(select(ProbeRequest).order_by(ProbeRequest.n)))
        assert [r.n for r in rows] == [1, 2, 3, 4]
        assert s.query(RequestEvent).count() == 4


def test_targets_override_and_keep_non_drafts(store: Store, tmp_path: Path) -> None:
    seed_round(store)
    with store.session() as s:
        plan_round(s, "r1", template="lai-2026-v1")
        hcm = s.scalars(select(ProbeRequest).where(ProbeRequest.province_code == "79")).one()
        hcm.state = "sent"  # already sent: a re-plan must never touch it
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "province_code,recipient,reason\n"
        "01,Override@Hue.sandbox.test,called the department\n"
        "46,stc@hue.sandbox.test,\n"
        "79,other@hcm.sandbox.test,second address\n",
        encoding="utf-8",
    )
    with store.session() as s:
        result = plan_round(s, "r1", targets_file=targets, template="lai-2026-v1")
    got = planned(store)
    assert "stc@hanoi.sandbox.test" not in got  # draft replaced by the override
    assert got["override@hue.sandbox.test"] == ("01", "override")
    assert got["ubnd@hcm.sandbox.test"] == ("79", "portal")  # sent one kept
    assert got["other@hcm.sandbox.test"] == ("79", "override")
    assert result.removed == 1 and result.kept == 1
    with store.session() as s:
        r = s.scalars(select(ProbeRequest).where(ProbeRequest.province_code == "01")).one()
        assert r.reason == "called the department"


def test_bad_target_rows_are_named_by_line(store: Store, tmp_path: Path) -> None:
    seed_round(store)
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "province_code,recipient\n"
        "01,ok@hanoi.sandbox.test\n"
        "99,x@y.sandbox.test\n"
        "01,not-an-address\n"
        "01,ok@hanoi.sandbox.test\n"
        "01,a@b.sandbox.test,extra\n",
        encoding="utf-8",
    )
    with store.session() as s, pytest.raises(CsvRowError) as err:
        plan_round(s, "r1", targets_file=targets, template="lai-2026-v1")
    lines = [line for line, _ in err.value.problems]
    assert lines == [3, 4, 5, 6]
    assert "unknown province code '99'" in err.value.message
    assert planned(store) == {}  # nothing planned while any row is bad


def test_plan_cli_table_and_missing_provinces(home: Path, store: Store) -> None:
    seed_round(store)
    res = run_pobi("probe", "plan", "--round", "r1", env={"POBI_HOME": str(home)})
    assert res.returncode == 0, res.stderr
    assert "stc@hanoi.sandbox.test" in res.stdout and "finance" in res.stdout
    assert "30 provinces have no recipient" in res.stdout
    bad = home / "t.csv"
    bad.write_text("code,email\n", encoding="utf-8")
    res = run_pobi(
        "probe", "plan", "--round", "r1", "--targets", str(bad), env={"POBI_HOME": str(home)}
    )
    assert res.returncode == 2 and "t.csv:1: header must be" in res.stderr


KNOWN = {"01", "79", "31"}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300))
def test_targets_file_never_crashes(text: str) -> None:
    """Any text: either valid targets, or an InputError naming the file (no other exception)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_text("province_code,recipient,reason\n" + text, encoding="utf-8")
        try:
            targets = read_targets(path, KNOWN)
        except InputError as exc:
            assert str(path) in exc.message
        else:
            assert all(t.province_code in KNOWN and "@" in t.recipient for t in targets)
