"""The issue's "Done when": plan -> send -> simulated agencies answer (substantive, late,
acknowledgment, referral, out-of-office, bounce, silence) -> collect -> match -> classify ->
code -> check kinds, states, deadline statuses and working days against the sandbox's ground
truth, via pobi.timing and via `pobi export` (requests.csv, replies.csv)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from pobi.config import load_config
from pobi.sandbox.agencies import Behaviour, answer, plan_agencies, write_coding_file
from pobi.sandbox.mail import MailSandbox
from pobi.store import Store
from pobi.store.tables import Message, ProbeRequest
from pobi.timing import request_timings
from tests.probes.send.conftest import seed_round
from tests.probes.send.helpers import pobi
from tests.support.mailservers import TOKEN_SECRET, configure_home

START = "2026-03-02T09:00:00+07:00"  # a Monday morning


def world() -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    from pobi.registry import provinces

    published: dict[str, tuple[str, str]] = {}
    findings = []
    for i, p in enumerate(provinces("current")):
        portal = f"ubnd@p{p.code}.sandbox.test"
        published[portal] = (p.code, "portal")
        findings.append((p.code, "portal", portal))
        if i % 8 != 3:  # a few provinces publish no finance address
            finance = f"stc@stc.p{p.code}.sandbox.test"
            published[finance] = (p.code, "finance")
            findings.append((p.code, "finance", finance))
    return published, findings


@pytest.mark.slow
def test_plan_send_answer_collect_code_export(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    published, findings = world()
    agencies = plan_agencies(published, seed=11)
    counts = agencies.counts()
    # ~1 in 8 of the 30 finance departments answers substantively (on time or late)
    assert counts["finance"]["substantive"] + counts["finance"]["late"] == 4
    assert all(counts["finance"].get(b.value, 0) >= 1 for b in Behaviour)
    with MailSandbox(agencies.addresses(), bouncing=agencies.bouncing()) as mail:
        for key, value in configure_home(home, mail).items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("POBI_NOW", START)
        store = Store.open(load_config(home))
        seed_round(store, "r1", findings)

        assert pobi(capsys, "probe", "plan", "--round", "r1")[0] == 0
        code, out, err = pobi(capsys, "probe", "send", "--round", "r1", "--send", "--yes")
        assert code == 0, err
        assert "Sent 34" in out

        truth = answer(mail, agencies)
        assert len(truth.requests) == 34
        assert answer(mail, agencies).to_json() == truth.to_json()  # deterministic, idempotent
        behaviours = Counter(r.behaviour for r in truth.requests)
        assert {b.value for b in Behaviour} <= set(behaviours)

        monkeypatch.setenv("POBI_NOW", truth.survey_end)
        code, out, err = pobi(capsys, "probe", "collect", "--round", "r1")
        assert code == 0, err
        coding_file = home / "simulated-codings.csv"
        n_coded = write_coding_file(coding_file, truth)
        code, out, err = pobi(
            capsys, "probe", "code", "--round", "r1", "--import", str(coding_file)
        )
        assert code == 0, err + out

        at = datetime.fromisoformat(truth.survey_end)
        expected_json = truth.to_json()
        json.dumps(expected_json)  # JSON-able
        with store.session() as s:
            messages = {m.message_id.strip("<>"): m for m in s.scalars(select(Message))}
            requests = {r.id: r for r in s.scalars(select(ProbeRequest))}
            timings = {t.request_id: t for t in request_timings(s, "r1", at=at)}
        for exp in expected_json["requests"]:
            rid = f"{exp['round_id']}-{exp['n']}"
            req = requests[rid]
            assert req.recipient == exp["recipient"]
            assert req.state == exp["state"], (rid, exp["behaviour"])
            t = timings[rid]
            assert t.deadline_status.value == exp["deadline_status"], (rid, exp["behaviour"])
            assert t.days_to_first_reply == exp["first_reply_days"], (rid, exp["behaviour"])
            assert t.days_to_human_reply == exp["human_reply_days"], (rid, exp["behaviour"])
            for reply in exp["replies"]:
                m = messages[reply["message_id"].strip("<>")]
                assert m.kind == reply["kind"], (rid, exp["behaviour"], m.kind_reasons)
                assert m.request_id == rid, (rid, reply["match_method"], m.match_detail)
                assert m.match_method == reply["match_method"], (rid, m.match_detail)
            human = [r["coding"] for r in exp["replies"] if r["kind"] == "human"]
            assert list(t.codings) == human
        assert len(messages) == len(truth.replies())  # nothing else arrived
        assert n_coded == sum(1 for r in truth.replies() if r.kind == "human")
        statuses = Counter(t.deadline_status.value for t in timings.values())
        assert statuses["bounced"] >= 1 and statuses["on_time"] >= 1
        assert statuses["late"] >= 1 and statuses["overdue"] >= 1
        methods = Counter(m.match_method for m in messages.values())
        assert {"token", "thread", "subject_tag", "sender"} <= set(methods)

        # the export (DESIGN.md §6), when the scoring stage provides it
        out_dir = home / "exports"
        code, out, err = pobi(capsys, "export", "--round", "r1", "--out", str(out_dir))
        if code != 0 and "No such command" in err:
            pytest.skip("pobi export is not available yet")  # pragma: no cover
        assert code == 0, err
        with (out_dir / "requests.csv").open(encoding="utf-8") as fh:
            rows = {r["request_id"]: r for r in csv.DictReader(fh)}
        for exp in expected_json["requests"]:
            row = rows[f"{exp['round_id']}-{exp['n']}"]
            assert row["deadline_status"] == exp["deadline_status"]
            assert row["state"] == exp["state"] and row["recipient"] == exp["recipient"]
        with (out_dir / "replies.csv").open(encoding="utf-8") as fh:
            replies = {r["message_id"].strip("<>"): r for r in csv.DictReader(fh)}
        for reply in truth.replies():
            row = replies[reply.message_id.strip("<>")]
            assert row["kind"] == reply.kind
            assert row["working_days"] == str(reply.working_days)
            if reply.coding:
                assert row["coding"] == reply.coding
        store.close()
        # no password or secret anywhere in what pobi wrote (store, evidence, outbox, exports)
        secrets = [mail.password.encode(), TOKEN_SECRET.encode()]
        for path in home.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not any(x in data for x in secrets), path
