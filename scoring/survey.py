"""Rows of the survey tables (issue 17): codings.csv and agreement.csv (two coders), disputes.csv.

``codings.csv`` has one row per coder and reply: each coder's newest code (role ``coder``), the
adjudicator's newest code (role ``adjudicator``) and, for codes entered before the two-coder
design or with ``pobi probe code``, the newest single code (role ``single``).

The rows are built in the core (:mod:`pobi.export_rows`) so the dashboard offers the same tables.
"""

from __future__ import annotations

from pobi.export_rows import agreement_table, codings_rows, ratings, survey_tables

__all__ = ["agreement_table", "codings_rows", "ratings", "survey_tables"]
