"""pobi: a budget-transparency responsiveness auditor for Vietnam's provinces (POBI method)."""

__version__ = "0.1.0"
