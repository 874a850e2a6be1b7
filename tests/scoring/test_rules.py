"""Each rule, answer by answer, on hand-made facts (transient ORM rows; rules are pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pobi.models import Answer, DeadlineStatus
from pobi.store.tables import CrawlSite, Finding, Message, ProbeRequest
from pobi.timing import RequestTiming
from scoring.facts import ProvinceFacts, RequestFacts
from scoring.rules import RULES, check_params

FOUND = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
SENT = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)
H = "ab" * 32


def site(kind: str, status: str = "ok") -> CrawlSite:
    return CrawlSite(
        province_code="01", site_kind=kind, url=f"https://{kind}.example/", fetch_status=status
    )


def finding(
    channel: str, kind: str = "portal", value: str = "https://x.example/hoi-dap", **details: Any
) -> Finding:
    return Finding(
        province_code="01",
        site_kind=kind,
        channel=channel,
        value=value,
        found_on="https://x.example/",
        evidence_sha256=H,
        screenshot_sha256="",
        details=details,
        found_at=FOUND,
    )


def facts(
    *items: Any,
    sites: list[CrawlSite] | None = None,
    probed: bool = False,
    requests: list[RequestFacts] | None = None,
) -> ProvinceFacts:
    return ProvinceFacts(
        code="01",
        round_crawled=True,
        round_probed=probed or bool(requests),
        sites=sites if sites is not None else [site("portal"), site("finance")],
        findings=list(items),
        requests=requests or [],
    )


def run(rule: str, f: ProvinceFacts, **params: Any) -> Answer:
    problem, full = check_params(rule, params)
    assert problem is None
    outcome = RULES[rule].fn(f, full)
    assert outcome.en and outcome.vi and "\n" not in outcome.en
    return outcome.answer


# --------------------------------------------------------------------------- Q&A


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ({"has_form": True, "answers": 12, "latest_answer": "2025-12-01"}, Answer.A),
        ({"has_form": True, "answers": 12, "latest_answer": "2024-01-01"}, Answer.B),  # older
        ({"has_form": False, "answers": 3, "latest_answer": "2026-02-01"}, Answer.B),  # no form
        ({}, Answer.B),  # present, contents unknown
        ({"has_form": True, "answers": 0}, Answer.B),  # 0 recorded, no evidence it is empty
        # the crawler's keys (crawler/checks/qa_section.py)
        ({"has_form": True, "questions_listed": 5, "newest_answer_date": "2026-01-10"}, Answer.A),
        ({"has_form": True, "questions_listed": 5, "newest_question_date": "2026-01-10"}, Answer.A),
        ({"has_form": True, "questions_listed": 5, "newest_answer_date": "2023-01-10"}, Answer.B),
        ({"has_form": True, "questions_listed": 0, "newest_answer_date": None}, Answer.B),
        ({"has_form": True, "questions_listed": 0, "list_state": "none_seen"}, Answer.C),
        ({"how": "label"}, Answer.B),  # seen only as a link: present, contents unknown
        ({"broken": True}, Answer.C),
    ],
)
def test_qa_section_answers(details: dict[str, Any], expected: Answer) -> None:
    f = facts(finding("qa_section", **details))
    assert run("qa_section", f, site_kind="portal") == expected
    assert run("qa_section", f, site_kind="finance") == Answer.D  # that one is on the portal


def _qa(*items: Finding) -> Any:
    return RULES["qa_section"].fn(facts(*items), {"site_kind": "portal", "recent_months": 12})


def test_qa_empty_or_broken_only_on_evidence_that_the_explanation_names() -> None:
    says = _qa(finding("qa_section", has_form=True, questions_listed=0, list_state="says_empty",
                       evidence=["the page says 'chua co cau hoi'"]))  # fmt: skip
    assert says.answer == Answer.C and "chua co cau hoi" in says.en and "empty" in says.en
    error = _qa(finding("qa_section", questions_listed=0, list_state="error",
                        evidence=["the page shows an error: 'runtime error'"]))  # fmt: skip
    assert error.answer == Answer.C and "broken" in error.en and "runtime error" in error.en
    by_script = _qa(finding("qa_section", has_form=True, questions_listed=0,
                            list_state="script_loaded",
                            evidence=["the list is loaded by script (script_list: fetch(...))"]))  # fmt: skip
    assert by_script.answer == Answer.B and "not judged empty" in by_script.en


def test_qa_dates_without_labels_relative_dates_and_unanswered_questions() -> None:
    loose = _qa(finding("qa_section", has_form=True, questions_listed=8, newest_date="2026-01-20",
                        dates_labelled=False, list_state="listed"))  # fmt: skip
    assert loose.answer == Answer.A and "2026-01-20" in loose.en
    relative = _qa(finding("qa_section", has_form=True, questions_listed=3, newest_age_days=2,
                           newest_relative="2 ngay truoc", list_state="listed"))  # fmt: skip
    assert relative.answer == Answer.A and "2026-02-28" in relative.en  # found 2026-03-02
    waiting = _qa(finding("qa_section", has_form=True, questions_listed=4, unanswered_count=4,
                          answered_count=0, newest_question_date="2026-02-20",
                          list_state="listed"))  # fmt: skip
    assert waiting.answer == Answer.B and "not answered" in waiting.en


def test_qa_form_on_a_linked_page_counts() -> None:
    listing = finding("qa_section", value="https://x.example/hoi-dap", has_form=False,
                      questions_listed=5, newest_answer_date="2026-01-10", list_state="listed",
                      form_page="https://x.example/hoi-dap/gui-cau-hoi")  # fmt: skip
    form = finding("qa_section", value="https://x.example/hoi-dap/gui-cau-hoi", has_form=True,
                   questions_listed=0, list_state="none_seen")  # fmt: skip
    out = _qa(listing, form)
    assert out.answer == Answer.A and "gui-cau-hoi" in out.en
    assert _qa(listing).answer == Answer.B  # without the form page: no form


def test_qa_section_best_of_several_and_unreachable_site() -> None:
    f = facts(
        finding("qa_section", broken=True),
        finding(
            "qa_section",
            value="https://x.example/hoi-ap",
            has_form=True,
            latest_answer="2026-01-01",
        ),
    )
    assert run("qa_section", f) == Answer.A
    dead = facts(sites=[site("portal", "dns_error")])
    outcome = RULES["qa_section"].fn(dead, {"site_kind": "portal", "recent_months": 12})
    assert outcome.answer == Answer.D and "dns_error" in outcome.en


def test_finding_rules_not_applicable_without_a_crawl() -> None:
    f = ProvinceFacts(code="01", round_crawled=False, round_probed=True)
    for rule in ("qa_section", "contact_email", "info_access", "social_accounts"):
        assert run(rule, f) == Answer.E


# --------------------------------------------------------------------------- e-mail, info, social


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([finding("email", "finance", "stc@hanoi.gov.vn")], Answer.A),
        (
            [finding("email", "portal", "sotaichinh@hanoi.gov.vn")],
            Answer.A,
        ),  # finance mailbox on the portal
        ([finding("email", "portal", "vanphong@hanoi.gov.vn")], Answer.B),
        ([finding("email", "portal", "image:https://hanoi.gov.vn/mail.png")], Answer.C),
        ([finding("feedback_form", "portal", "https://hanoi.gov.vn/gop-y")], Answer.C),
        ([finding("phone", "portal", "02438253536")], Answer.D),
        ([], Answer.D),
    ],
)
def test_contact_email(items: list[Finding], expected: Answer) -> None:
    assert run("contact_email", facts(*items)) == expected


def test_info_access_and_social_accounts() -> None:
    both = facts(finding("info_access", "portal"), finding("info_access", "finance"))
    assert run("info_access", both) == Answer.A
    assert run("info_access", facts(finding("info_access", "finance"))) == Answer.B
    assert run("info_access", facts(finding("info_access", "portal", empty=True))) == Answer.C
    ia = RULES["info_access"].fn
    stale = ia(facts(finding("info_access", "portal", list_state="listed", newest_date="2022-05-01",
                             evidence=["7 item(s) listed"])), {})  # fmt: skip
    assert stale.answer == Answer.C and "stale" in stale.en and "2022-05-01" in stale.en
    empty = ia(facts(finding("info_access", "portal", list_state="says_empty",
                             evidence=["the page says 'khong co du lieu'"])), {})  # fmt: skip
    assert empty.answer == Answer.C and "khong co du lieu" in empty.en
    by_script = facts(finding("info_access", "portal", list_state="script_loaded",
                              evidence=["the list is loaded by script"]))  # fmt: skip
    assert ia(by_script, {}).answer == Answer.B  # not read is not empty
    fresh = facts(finding("info_access", "portal", list_state="listed", newest_date="2025-11-01"))
    assert ia(fresh, {}).answer == Answer.B
    assert run("info_access", facts()) == Answer.D

    fb = finding("facebook", "portal", "https://facebook.com/hanoi")
    zalo = finding("zalo", "portal", "https://zalo.me/123")
    assert run("social_accounts", facts(fb, zalo)) == Answer.A
    assert run("social_accounts", facts(fb, zalo), min_for_a=3) == Answer.B
    assert run("social_accounts", facts(fb)) == Answer.B
    assert (
        run("social_accounts", facts(finding("youtube", "finance", "https://youtube.com/@stc")))
        == Answer.C
    )
    assert run("social_accounts", facts()) == Answer.D


# --------------------------------------------------------------------------- requests


def request(
    state: str = "sent",
    kind: str = "finance",
    human_days: int | None = None,
    substantive_days: int | None = None,
    within_full: bool | None = None,
    codings: tuple[str, ...] = (),
    messages: list[Message] | None = None,
) -> RequestFacts:
    r = ProbeRequest(
        id="2026-1",
        province_code="01",
        recipient=f"{kind}@hanoi.gov.vn",
        recipient_kind=kind,
        state=state,
        eml_sha256=H,
    )
    human_at = SENT if human_days is not None else None
    t = RequestTiming(
        request_id="2026-1",
        province_code="01",
        recipient=r.recipient,
        state=state,
        sent_at=SENT if state in {"sent", "bounced"} else None,
        first_reply_at=human_at,
        first_human_reply_at=human_at,
        first_substantive_at=SENT if substantive_days is not None else None,
        days_to_first_reply=human_days,
        days_to_human_reply=human_days,
        days_to_substantive=substantive_days,
        days_elapsed=40,
        deadline_status=DeadlineStatus.OVERDUE,
        substantive_within_full=within_full,
        codings=codings,
    )
    return RequestFacts(r, t, messages or [])


def test_delivery() -> None:
    assert run("delivery", facts(requests=[request()])) == Answer.A
    assert run("delivery", facts(requests=[request(kind="portal"), request("bounced")])) == Answer.B
    assert (
        run("delivery", facts(requests=[request("bounced"), request("bounced", "portal")]))
        == Answer.C
    )
    assert run("delivery", facts(requests=[request("rejected")])) == Answer.D
    chosen = request(kind="override")
    chosen.request.recipient = "stc@hanoi.gov.vn"  # a researcher's pick, a finance mailbox
    assert run("delivery", facts(requests=[chosen])) == Answer.A
    assert run("delivery", facts(probed=True)) == Answer.D  # no address: nothing sent
    assert run("delivery", facts()) == Answer.E  # the round sent no requests at all


def test_reply_and_reply_time() -> None:
    on_time = request(human_days=2, substantive_days=2, within_full=True, codings=("substantive",))
    late = request(human_days=20, substantive_days=20, within_full=False, codings=("substantive",))
    partial = request(human_days=4, codings=("partial",))
    ack = request(human_days=1, codings=("acknowledgment",))
    uncoded = request(human_days=1, codings=("",))
    silent = request()
    assert run("reply", facts(requests=[silent, on_time])) == Answer.A
    assert run("reply", facts(requests=[late])) == Answer.B
    assert run("reply", facts(requests=[partial])) == Answer.B
    assert run("reply", facts(requests=[ack])) == Answer.C
    outcome = RULES["reply"].fn(facts(requests=[uncoded]), {})
    assert outcome.answer == Answer.C and "not coded" in outcome.en
    assert run("reply", facts(requests=[silent])) == Answer.D
    assert run("reply", facts()) == Answer.E

    assert run("reply_time", facts(requests=[ack])) == Answer.A
    assert run("reply_time", facts(requests=[partial])) == Answer.B
    assert run("reply_time", facts(requests=[late])) == Answer.C
    assert run("reply_time", facts(requests=[request(human_days=31)])) == Answer.D
    assert run("reply_time", facts(requests=[silent])) == Answer.D
    assert run("reply_time", facts(requests=[partial]), a_within=5) == Answer.A


def test_evidence_names_findings_and_messages() -> None:
    f = finding("email", "finance", "stc@hanoi.gov.vn")
    f.screenshot_sha256 = "cd" * 32
    out = RULES["contact_email"].fn(facts(f), {})
    assert out.evidence == (H, "cd" * 32)
    m = Message(kind="human", raw_sha256="ef" * 32)
    r = request(human_days=1, codings=("acknowledgment",), messages=[m])
    out = RULES["reply"].fn(facts(requests=[r]), {})
    assert out.evidence == (H, "ef" * 32)  # the request as sent, then the reply


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 500) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
detail_keys = st.sampled_from(
    [
        "has_form",
        "questions_listed",
        "newest_answer_date",
        "newest_question_date",
        "broken",
        "empty",
        "answers",
        "latest_answer",
        "how",
    ]
)
dates = st.dates().map(lambda d: d.isoformat())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "qa_section",
                    "email",
                    "feedback_form",
                    "info_access",
                    "facebook",
                    "zalo",
                    "youtube",
                    "phone",
                ]
            ),
            st.sampled_from(["portal", "finance", "other"]),
            st.text(max_size=40)
            | st.just("image:https://x/y.png")
            | st.just("stc@hanoi.gov.vn")
            | st.just("https://x/hoi-dap\n<b>"),
            st.dictionaries(detail_keys, json_values | dates, max_size=5),
        ),
        max_size=8,
    ),
    st.lists(st.sampled_from(["ok", "dns_error", "timeout", ""]), max_size=3),
)
def test_finding_rules_never_crash_on_odd_details(items, statuses) -> None:
    """Whatever the crawler stores in details, every rule answers a–e with a one-line reason."""
    findings = [finding(c, k, v, **d) for c, k, v, d in items]
    sites = [site("portal", s) for s in statuses]
    f = facts(*findings, sites=sites)
    for rule in ("qa_section", "contact_email", "info_access", "social_accounts"):
        for kind in ("portal", "finance"):
            params = {"site_kind": kind} if rule == "qa_section" else {}
            assert run(rule, f, **params) in set(Answer)
