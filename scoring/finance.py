"""Which Department of Finance site each province's scores used, and why (``finance_sites.csv``).

One row per finance site crawled in the round: the registry's (or the sites file's) and any the
crawl added because the province's portal names it in its link directory
(:mod:`crawler.discovery`, ``source = discovered``). A site's findings count for scoring when its
start page was fetched (``used_for_scores``); ``reason`` says in words why, and for a discovered
site ``discovered_from`` / ``evidence_sha256`` / ``link_label`` are the portal page that named it.

The rows are built in the core (:mod:`pobi.export_rows`) so the dashboard offers the same table.
"""

from __future__ import annotations

from pobi.export_rows import DISCOVERED, finance_sites_rows

__all__ = ["DISCOVERED", "finance_sites_rows"]
