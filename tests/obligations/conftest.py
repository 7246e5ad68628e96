from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    """Every test of this folder stores justificatifs in a temporary MEDIA_ROOT."""
    root = tmp_path / "private"
    settings.MEDIA_ROOT = root
    return root
