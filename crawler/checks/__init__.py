"""The checks: one module per channel, each a pure function ``check(PageView) -> list[FindingDraft]``.

:func:`run_checks` runs them all and never raises: a check that fails on a strange page is
skipped (its error is returned by :func:`run_checks_with_errors`) and the others still count.
"""

from __future__ import annotations

from collections.abc import Callable

from crawler.checks import (
    email,
    facebook,
    feedback_form,
    finance_site,
    info_access,
    phone,
    qa_section,
    youtube,
    zalo,
)
from crawler.page import FindingDraft, PageView

Check = Callable[[PageView], list[FindingDraft]]

ALL_CHECKS: list[Check] = [
    qa_section.check,
    email.check,
    phone.check,
    feedback_form.check,
    info_access.check,
    facebook.check,
    zalo.check,
    youtube.check,
    finance_site.check,
]


def run_checks_with_errors(page: PageView) -> tuple[list[FindingDraft], list[str]]:
    drafts: list[FindingDraft] = []
    errors: list[str] = []
    for check in ALL_CHECKS:
        try:
            drafts.extend(check(page))
        except Exception as exc:  # a broken page must not stop the crawl
            errors.append(f"{check.__module__}: {type(exc).__name__}: {exc}")
    return drafts, errors


def run_checks(page: PageView) -> list[FindingDraft]:
    """Every check's drafts for one page; never raises."""
    return run_checks_with_errors(page)[0]


__all__ = ["ALL_CHECKS", "Check", "run_checks", "run_checks_with_errors"]
