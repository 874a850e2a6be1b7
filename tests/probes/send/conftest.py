"""Fixtures for the sending half of probes: a seeded round and the sandbox mail world."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pobi.sandbox.mail import MailSandbox
from pobi.store import Store
from pobi.store.tables import CrawlSite, Finding, FindingReview
from tests.support.mailservers import configure_home

# (province, site kind, address) as a crawl would find them.
FINDINGS = [
    ("01", "finance", "stc@hanoi.sandbox.test"),
    ("01", "portal", "ubnd@hanoi.sandbox.test"),
    ("79", "portal", "ubnd@hcm.sandbox.test"),  # no finance address -> portal fallback
    ("79", "portal", "image:lienhe@hcm.sandbox.test"),  # only in an image: skipped
    ("31", "finance", "sotaichinh@haiphong.sandbox.test"),
    ("31", "finance", "spam@other.sandbox.test"),  # rejected in review
    ("48", "finance", "stc@danang.sandbox.test"),
]
ADDRESSES = sorted(
    {a for _, _, a in FINDINGS if not a.startswith("image:")}
    | {"override@hue.sandbox.test", "bounce@dead.sandbox.test"}
)
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def seed_round(store: Store, round_id: str = "r1", findings=FINDINGS) -> None:  # type: ignore[no-untyped-def]
    from pobi.rounds import create_round

    with store.session() as s:
        create_round(s, round_id, "current")
        sites: dict[tuple[str, str], CrawlSite] = {}
        for code, kind, address in findings:
            if (code, kind) not in sites:
                host = {"finance": "stc", "portal": "www"}[kind]
                site = CrawlSite(
                    round_id=round_id,
                    province_code=code,
                    site_kind=kind,
                    url=f"http://{host}.p{code}.sandbox.test/",
                    fetch_status="ok",
                )
                s.add(site)
                s.flush()
                sites[(code, kind)] = site
            site = sites[(code, kind)]
            f = Finding(
                round_id=round_id,
                site_id=site.id,
                province_code=code,
                site_kind=kind,
                channel="email",
                value=address,
                found_on=site.url + "lien-he",
                found_at=T0,
            )
            s.add(f)
            s.flush()
            if address.startswith("spam@"):
                s.add(
                    FindingReview(
                        finding_id=f.id,
                        status="rejected",
                        reason="not the agency",
                        coder="t",
                        at=T0,
                    )
                )


@pytest.fixture
def sandbox() -> Iterator[MailSandbox]:
    with MailSandbox(ADDRESSES, bouncing=["bounce@dead.sandbox.test"]) as mail:
        yield mail


@pytest.fixture
def env(home: Path, sandbox: MailSandbox, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = configure_home(home, sandbox)
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    return values


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    from pobi.config import load_config

    st = Store.open(load_config(home))
    yield st
    st.close()
