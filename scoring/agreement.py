"""Inter-coder agreement: computed in the core (:mod:`pobi.agreement`) so the dashboard offers the
same ``agreement.csv``; re-exported here for the scoring stage."""

from __future__ import annotations

from pobi.agreement import agreement_rows, cohen_kappa, krippendorff_alpha

__all__ = ["agreement_rows", "cohen_kappa", "krippendorff_alpha"]
