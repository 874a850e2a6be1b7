"""Running the real CLI in-process (fast) for the send tests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pobi.store import Store
from pobi.store.tables import ProbeRequest, RequestEvent


def pobi(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``pobi ARGS`` in this process (same code path as the console script)."""
    from pobi.cli import main

    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def states(store: Store, round_id: str = "r1") -> dict[str, str]:
    with store.session() as s:
        return {
            r.recipient: r.state
            for r in s.scalars(select(ProbeRequest).where(ProbeRequest.round_id == round_id))
        }


def journal(store: Store, request_id: str) -> list[tuple[str, str, str]]:
    with store.session() as s:
        return [
            (e.from_state, e.to_state, e.detail)
            for e in s.scalars(
                select(RequestEvent)
                .where(RequestEvent.request_id == request_id)
                .order_by(RequestEvent.id)
            )
        ]


def request(store: Store, recipient: str) -> ProbeRequest:
    with store.session() as s:
        return s.scalars(select(ProbeRequest).where(ProbeRequest.recipient == recipient)).one()
