"""Every R-SENT-* row the engine cites is written down in docs/legal-sources.md, and every
convention constant the rows name exists in the module."""

from __future__ import annotations

import re
from pathlib import Path

from parcours.rules import sentences

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "docs" / "legal-sources.md").read_text(encoding="utf-8")


def test_every_cited_row_exists():
    cited = set(re.findall(r"R-SENT-[A-Z0-9-]+[A-Z0-9]", sentences.__doc__ or ""))
    assert len(cited) >= 9
    for row in cited:
        assert f"| `{row}` |" in SOURCES, row


def test_every_named_constant_exists():
    rows = "\n".join(line for line in SOURCES.splitlines() if line.startswith("| `R-SENT-"))
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{5,})(?: = [^`]*)?`", rows))
    assert {"ONE_MONTH_DAYS", "REGIME_2023_FROM", "FRACTION_ROUNDING"} <= named
    for name in named:
        assert hasattr(sentences, name), name
