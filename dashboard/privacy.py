"""Public mode's rules (what may leave the researcher's machine), and Markdown escaping.

Public mode shows aggregates, scores and portal evidence (what a portal itself publishes). It never
shows e-mail bodies, subjects, senders, the request's text, or the addresses requests went to:
those carry requesters' and officials' names, addresses, phone numbers and e-mails. Pages drop
those columns with :func:`public_columns`; values that stay but may hold an address are masked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

# One list of private columns and one set of masking rules, shared with `pobi publish`.
from pobi.privacy import PRIVATE_COLUMNS, mask_email, public_value, scrub
from pobi.publicrefs import EVIDENCE_LISTS, public_evidence

__all__ = [
    "PRIVATE_COLUMNS",
    "escape_markdown",
    "mask_email",
    "public_columns",
    "public_export",
    "scrub",
]

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def escape_markdown(text: str) -> str:
    """Untrusted text (a crawled URL, a file path) made safe for Streamlit elements that render
    Markdown (captions, messages): ``![x](http://beacon)`` must stay text, never load an image.
    Tables (st.dataframe) and st.text/st.code need no escaping."""
    return _MARKDOWN.sub(r"\\\1", text)


def public_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The frame without any column that may carry personal data."""
    return df.drop(columns=[c for c in df.columns if c in PRIVATE_COLUMNS])


def public_export(
    name: str, df: pd.DataFrame, references: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """An export table for public download: same columns, personal values masked by the same
    rules as the static site's downloads (:func:`pobi.privacy.public_value`): a recipient keeps
    only its domain, every other private column (sources, message ids, hashes of raw e-mails,
    coders…) is blanked; in evidence lists, an e-mail's hash becomes its public reference
    (``references``, :func:`pobi.publicrefs.email_references`)."""
    df = df.copy()
    for column in df.columns:
        if column in PRIVATE_COLUMNS:
            df[column] = df[column].map(lambda v, c=column: public_value(c, v))
        elif column in EVIDENCE_LISTS and references is not None:
            df[column] = df[column].map(lambda v: public_evidence(v, references))
    return df


def public_evidence_shown(value: object, references: Mapping[str, str]) -> object:
    """An evidence cell as the dashboard shows it (hash prefixes, ', '-separated) with each
    e-mail's hash replaced by its public reference."""
    return public_evidence(value, {h[:12]: ref for h, ref in references.items()}, sep=", ")
