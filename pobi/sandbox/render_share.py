"""How many crawled pages the rendering policy sent to Chromium, and why (for the demo report).

The crawler's policy (crawler.render) renders only pages whose static HTML shows script-built
navigation or content; ``pages.render_reason`` holds ``"<code>: <evidence>"``. The demo report
gives the share per round and per reason code, so a change of the policy that renders too much
shows (the goal: at most 15% of the demo country's pages).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from pobi.store.tables import Page

GOAL = 0.15


def rendered_share(session: Any, round_id: str) -> dict[str, Any]:
    total = 0
    rendered = 0
    reasons: Counter[str] = Counter()
    for is_rendered, reason in session.execute(
        select(Page.rendered, Page.render_reason).where(
            Page.round_id == round_id, Page.status == "ok"
        )
    ):
        total += 1
        if is_rendered:
            rendered += 1
            reasons[(reason or "").split(":", 1)[0].strip() or "?"] += 1
    share = rendered / total if total else 0.0
    return {
        "pages": total,
        "rendered": rendered,
        "share": round(share, 4),
        "goal": GOAL,
        "within_goal": share <= GOAL,
        "by_reason": dict(sorted(reasons.items())),
    }
