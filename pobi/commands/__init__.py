"""CLI command groups. Each module registers its commands on the app it is given and imports its
stage (crawler, probes, scoring, dashboard) only inside the command functions."""
