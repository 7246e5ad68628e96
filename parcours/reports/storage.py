"""Frozen report files: MEDIA_ROOT/rapports/<uuid>.<ext>, written once, never overwritten, never
served by a static or media URL (same private root as the justificatifs)."""

from __future__ import annotations

import hashlib

from parcours.obligations import storage
from parcours.obligations.storage import remove, resolve

SUBFOLDER = "rapports"

__all__ = ["remove", "resolve", "sha256", "write"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write(data: bytes, extension: str) -> str:
    return storage.write(data, extension, SUBFOLDER)
