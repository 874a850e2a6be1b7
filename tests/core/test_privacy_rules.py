"""pobi.privacy: what of a dispute may be published (the static site's and the dashboard's
public downloads use these rules)."""

from __future__ import annotations

from pobi.privacy import public_row


def test_dispute_row_keeps_no_personal_data() -> None:
    row = {
        "dispute_id": 3,
        "filed_by": "nguyen.van.a@stc.hanoi.gov.vn",
        "decided_by": "Trần Thị B",
        "claim": "Chúng tôi đã trả lời ngày 12/9, liên hệ nguyen.van.a@stc.hanoi.gov.vn hoặc 0912 345 678",
        "reason": "Confirmed by phone +84 24 3825 1234",
        "decision": "upheld",
    }
    out = public_row("disputes", row)
    assert out["filed_by"] == "…@stc.hanoi.gov.vn"
    assert out["decided_by"] == ""
    assert "nguyen.van.a" not in out["claim"] and "345 678" not in out["claim"]
    assert out["claim"].startswith("Chúng tôi đã trả lời ngày 12/9")
    assert "3825" not in out["reason"]
    assert out["dispute_id"] == 3 and out["decision"] == "upheld"
