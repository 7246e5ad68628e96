from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_media(private_media: Path) -> Path:
    """Every test of this folder stores justificatifs in a temporary MEDIA_ROOT (the fixture of
    tests/conftest.py, made automatic here)."""
    return private_media
