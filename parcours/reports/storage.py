"""Frozen report files: MEDIA_ROOT/rapports/<uuid>.<ext>, written once, never overwritten, never
served by a static or media URL (same private root as the justificatifs)."""

from __future__ import annotations

import hashlib
import os
import uuid

from parcours.obligations.storage import remove, resolve, root

SUBFOLDER = "rapports"

__all__ = ["remove", "resolve", "sha256", "write"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write(data: bytes, extension: str) -> str:
    folder = root() / SUBFOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    relative = f"{SUBFOLDER}/{uuid.uuid4()}.{extension}"
    fd = os.open(root() / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return relative
