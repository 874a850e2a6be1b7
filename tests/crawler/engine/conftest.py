"""Engine tests share one crawl per group (``xdist_group``): keep each group on one worker.

pytest-xdist 3.8's ``--dist loadgroup`` tags grouped tests by rewriting ``item._nodeid``, which
pytest 9 no longer reads (the id lives in ``item._id``), so groups were silently split across
workers and every session fixture (a whole crawl) ran twice. This hook applies the tag the way
pytest 9 stores it, for the tests in this folder only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config.option, "loadgroup", False):
        return
    try:
        from _pytest.nodes import coerce_node_id
    except ImportError:  # older pytest: xdist's own tagging works
        return
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        names = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        if names and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(names)}")  # type: ignore[attr-defined]
