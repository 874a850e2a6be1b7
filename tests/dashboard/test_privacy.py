"""Public mode's masking rules."""

from __future__ import annotations

import pandas as pd

from dashboard.privacy import (
    PRIVATE_COLUMNS,
    escape_markdown,
    mask_email,
    public_columns,
    public_export,
    scrub,
)


def test_mask_keeps_only_the_domain() -> None:
    assert mask_email("nguyen.van.a@stc.hanoi.gov.vn") == "…@stc.hanoi.gov.vn"
    assert mask_email("no address") == "…"


def test_scrub_masks_addresses_and_phones_in_text() -> None:
    text = "Liên hệ: Lê Minh Mai, ĐT 0912 345 678 hoặc +84 24 3825 1234, mai.lm@hanoi.gov.vn."
    out = scrub(text)
    assert "0912 345 678" not in out and "3825 1234" not in out
    assert "mai.lm@" not in out and "…@hanoi.gov.vn" in out
    assert "năm 2026" in scrub("năm 2026")  # years are not phone numbers


def test_public_columns_drop_every_private_column() -> None:
    df = pd.DataFrame({c: ["x"] for c in [*PRIVATE_COLUMNS, "kind", "coding"]})
    assert list(public_columns(df).columns) == ["kind", "coding"]


def test_public_export_keeps_columns_and_masks_values() -> None:
    req = pd.DataFrame({"request_id": ["r-1"], "recipient": ["a.b@stc.x.gov.vn"]})
    out = public_export("requests", req)
    assert list(out.columns) == ["request_id", "recipient"]
    assert out.loc[0, "recipient"] == "…@stc.x.gov.vn"
    rep = pd.DataFrame({"message_id": ["<1@x.vn>"], "source": ["imap://anh@mail/INBOX;UID=1"]})
    out = public_export("replies", rep)
    assert out.loc[0, "source"] == "" and "anh" not in out.to_csv()


def test_markdown_in_untrusted_text_is_escaped() -> None:
    out = escape_markdown("http://x.gov.vn/a![b](http://198.51.100.7/b.gif)**bold**")
    assert "![" not in out and "](" not in out and "**" not in out
    assert out.replace("\\", "") == "http://x.gov.vn/a![b](http://198.51.100.7/b.gif)**bold**"


def test_the_dashboard_and_the_static_site_share_one_private_column_list() -> None:
    """One source of truth: `pobi publish` (pobi/privacy.py) and the dashboard's public mode use
    the same list, so a column added to it is hidden in both."""
    import pobi.privacy as core
    from dashboard import privacy as dash

    assert dash.PRIVATE_COLUMNS is core.PRIVATE_COLUMNS
    assert dash.mask_email is core.mask_email and dash.scrub is core.scrub


def test_public_export_masks_as_the_static_site_does() -> None:
    """A public download from the dashboard and the same table on the static site carry the same
    values: every private column (not only the three the dashboard used to special-case) is
    blanked, the recipient keeps its domain."""
    from pobi.privacy import public_row

    rep = pd.DataFrame(
        {
            "message_id": ["<abc.nguyen.van.a@stc.x.gov.vn>", None],
            "raw_sha256": ["9f" * 32, ""],
            "source": ["imap://anh@mail/INBOX;UID=1", "/home/anh/mail/1.eml"],
            "recipient": ["a.b@stc.x.gov.vn", ""],
            "kind": ["human", "auto_reply"],
        }
    )
    out = public_export("replies", rep)
    assert list(out.columns) == list(rep.columns)
    expected = [public_row("replies", row) for row in rep.to_dict("records")]
    assert out.to_dict("records") == expected
    assert out.loc[0, "raw_sha256"] == "" and out.loc[0, "message_id"] == ""
    assert out.loc[0, "recipient"] == "…@stc.x.gov.vn" and out.loc[1, "message_id"] is None
    assert list(out["kind"]) == ["human", "auto_reply"]


def test_public_evidence_lists_refer_to_emails_never_hash_them() -> None:
    """Public mode: an e-mail's hash in an evidence list (a download, or the prefixes the
    Province page shows) becomes its reference (pobi.publicrefs); a WARC's hash stays."""
    from dashboard.privacy import public_evidence_shown

    req, reply, warc = "a" * 64, "b" * 64, "d" * 64
    refs = {req: "request:2026-3", reply: "reply:2026-3"}
    scores = pd.DataFrame({"evidence": [f"{warc};{req};{reply}", ""], "points": [100, 0]})
    out = public_export("scores", scores, refs)
    assert list(out["evidence"]) == [f"{warc};request:2026-3;reply:2026-3", ""]
    shown = f"{warc[:12]}, {req[:12]}, {reply[:12]}"
    assert public_evidence_shown(shown, refs) == f"{warc[:12]}, request:2026-3, reply:2026-3"
