"""The kill-the-sender test: SIGKILL `pobi probe send --send` at random points, many times,
resume, and check that every recipient received exactly one message.

The sender is the real console script in a subprocess; the servers are the sandbox's real SMTP
and IMAP servers (in this process). Kill points are random (seeded, printed): either a random
time into the run, or a random few milliseconds after the server accepted the k-th message
(the narrow window between the server's 250 and the outbox recording it). Resuming runs use
``--trust-sent-folder``, which the sandbox honours (its Sent copy is filed before the 250).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from pobi.sandbox.mail import MailSandbox
from pobi.store import Store
from pobi.store.tables import ProbeRequest
from probes.outbox import handed_over
from tests.conftest import POBI
from tests.probes.send.conftest import seed_round
from tests.support.mailservers import configure_home

N_RECIPIENTS = 8
CODES = ["01", "04", "08", "11", "12", "14", "15", "19"]
ROUNDS = int(os.environ.get("POBI_KILL_ROUNDS", "3"))
KILLS_PER_ROUND = 3


def _addresses(k: int) -> list[str]:
    return [f"stc{k}@p{code}.sandbox.test" for code in CODES[:N_RECIPIENTS]]


@pytest.mark.slow
def test_sigkill_sender_exactly_once(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = int(os.environ.get("POBI_KILL_SEED", str(random.randrange(1 << 30))))
    print(f"kill test seed: {seed} (POBI_KILL_SEED={seed} to replay)")
    rng = random.Random(seed)
    everyone = [a for k in range(ROUNDS) for a in _addresses(k)]
    with MailSandbox(everyone) as sandbox:
        env = configure_home(home, sandbox)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        full_env = {**os.environ, **env, "NO_COLOR": "1", "COLUMNS": "200"}
        from pobi.config import load_config

        store = Store.open(load_config(home))
        kills: Counter[str] = Counter()
        for k in range(ROUNDS):
            round_id = f"kill{k}"
            seed_round(
                store,
                round_id,
                [(code, "finance", a) for code, a in zip(CODES, _addresses(k), strict=True)],
            )
            from probes.plan import plan_round

            with store.session() as s:
                plan_round(s, round_id, template="lai-2026-v1")
            cmd = [
                POBI,
                "probe",
                "send",
                "--round",
                round_id,
                "--send",
                "--yes",
                "--trust-sent-folder",
            ]
            for _ in range(KILLS_PER_ROUND):
                before = sandbox.accepted
                proc = subprocess.Popen(
                    cmd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                )
                if rng.random() < 0.5:
                    # a random moment after the k-th acceptance of this run
                    target = before + rng.randint(0, N_RECIPIENTS - 1)
                    deadline = time.monotonic() + 60
                    while sandbox.accepted < target and proc.poll() is None:
                        if time.monotonic() > deadline:
                            break
                        time.sleep(0.0005)
                    time.sleep(rng.uniform(0, 0.02))
                else:
                    # a random moment after the run started queueing (bytes fixed, commits)
                    deadline = time.monotonic() + 60
                    while proc.poll() is None and time.monotonic() < deadline:
                        with store.session() as s:
                            moved = s.scalar(
                                select(ProbeRequest.id).where(
                                    ProbeRequest.round_id == round_id,
                                    ProbeRequest.state != "draft",
                                    ProbeRequest.state != "sent",
                                )
                            )
                        if moved:
                            break
                        time.sleep(0.002)
                    time.sleep(rng.uniform(0, 0.05))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    kills["killed"] += 1
                else:
                    kills["finished before the kill"] += 1
                proc.wait()
                with store.session() as s:
                    for r in s.scalars(
                        select(ProbeRequest).where(ProbeRequest.round_id == round_id)
                    ):
                        if r.state == "sending":
                            mark = "after" if handed_over(s, r) else "before"
                            kills[f"left sending ({mark} the DATA mark)"] += 1
                        else:
                            kills[f"left {r.state}"] += 1
            # resume to the end
            res = subprocess.run(cmd, env=full_env, capture_output=True, text=True, timeout=300)
            assert res.returncode == 0, res.stderr
            with store.session() as s:
                rows = list(
                    s.scalars(select(ProbeRequest).where(ProbeRequest.round_id == round_id))
                )
                assert {r.state for r in rows} == {"sent"}, [(r.id, r.state) for r in rows]
                ids = {r.recipient: r.message_id for r in rows}
            for address in _addresses(k):
                got = sandbox.messages(address)
                assert len(got) == 1, f"{address} received {len(got)} messages (seed {seed})"
                assert ids[address].encode() in got[0].raw
            sent = [
                m
                for m in sandbox.messages(sandbox.researcher, "Sent")
                if f"[POBI-{round_id}-".encode() in m.raw or round_id.encode() in m.raw
            ]
            assert len(sent) == N_RECIPIENTS
        store.close()
    print("kill outcomes:", dict(kills))
    assert kills["killed"] >= ROUNDS  # the test did kill the sender, many times
