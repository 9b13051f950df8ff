"""The public API of the top-level package is pinned."""

from __future__ import annotations

import mandate


def test_top_level_exports_are_pinned() -> None:
    assert sorted(mandate.__all__) == ["MandateError", "__version__"]
