"""Rows of ``documents.csv`` (DESIGN.md §6), read from the store, sorted so the same store always
gives the same rows. The rows are built in the core (:mod:`pobi.export_rows`) so the dashboard
offers the same table."""

from __future__ import annotations

from pobi.export_rows import documents_rows

__all__ = ["documents_rows"]
