"""Public mode's rules (what may leave the researcher's machine), and Markdown escaping.

Public mode shows aggregates, scores and portal evidence (what a portal itself publishes). It never
shows e-mail bodies, subjects, senders, the request's text, or the addresses requests went to:
those carry requesters' and officials' names, addresses, phone numbers and e-mails. Pages drop
those columns with :func:`public_columns`; values that stay but may hold an address are masked.
"""

from __future__ import annotations

import re

import pandas as pd

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def escape_markdown(text: str) -> str:
    """Untrusted text (a crawled URL, a file path) made safe for Streamlit elements that render
    Markdown (captions, messages): ``![x](http://beacon)`` must stay text, never load an image.
    Tables (st.dataframe) and st.text/st.code need no escaping."""
    return _MARKDOWN.sub(r"\\\1", text)


# Columns that may hold personal data; public mode drops them wherever they appear.
PRIVATE_COLUMNS = frozenset(
    {
        "from_addr",
        "subject",
        "body_text",
        "recipient",
        "source",
        "eml_sha256",
        "raw_sha256",
        "message_id",
        "override_coder",
        "coder",
        "to_addrs",
    }
)

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(\+?84|0)[\d .-]{8,13}\d(?!\d)")


def mask_email(address: str) -> str:
    """'nguyen.van.a@stc.hanoi.gov.vn' -> '…@stc.hanoi.gov.vn' (the agency's domain stays)."""
    if "@" not in address:
        return "…"
    return "…@" + address.rsplit("@", 1)[1]


def scrub(text: str) -> str:
    """Mask e-mail addresses and phone numbers inside free text."""
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    return _PHONE.sub("…", text)


def public_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The frame without any column that may carry personal data."""
    return df.drop(columns=[c for c in df.columns if c in PRIVATE_COLUMNS])


def public_export(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """An export table for public download: same columns, personal values masked."""
    df = df.copy()
    if name == "requests" and "recipient" in df:
        df["recipient"] = df["recipient"].map(lambda v: mask_email(str(v)) if v else v)
    if name == "replies" and "source" in df:
        df["source"] = ""  # mailbox user names and local file paths
    if name == "replies" and "message_id" in df:
        df["message_id"] = df["message_id"].map(lambda v: scrub(str(v)) if v else v)
    if name == "codings":
        df["coder"] = ""  # researchers' names stay in the research team
        df["message_id"] = df["message_id"].map(lambda v: scrub(str(v)) if v else v)
    if name == "disputes":
        df["filed_by"] = df["filed_by"].map(lambda v: mask_email(str(v)) if v else v)
        df["decided_by"] = ""
        for col in ("claim", "reason"):
            df[col] = df[col].map(lambda v: scrub(str(v)) if v else v)
    return df
