"""Private storage of justificatif files: MEDIA_ROOT/justificatifs/<uuid>.<ext>, never served by a
static or media URL. MEDIA_ROOT is outside the web root (settings)."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.http import Http404

SUBFOLDER = "justificatifs"


def root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def write(data: bytes, extension: str, subfolder: str = SUBFOLDER) -> str:
    """Writes a new file (never overwrites, owner-only permissions) under `subfolder`; returns
    its path relative to MEDIA_ROOT."""
    folder = root() / subfolder
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    relative = f"{subfolder}/{uuid.uuid4()}.{extension}"
    fd = os.open(root() / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return relative


def resolve(relative: str) -> Path:
    """The absolute path of a stored file, refusing anything outside MEDIA_ROOT."""
    base = root()
    path = (base / relative).resolve()
    if not relative or base not in path.parents or not path.is_file():
        raise Http404("Fichier introuvable.")
    return path


def remove(relative: str) -> None:
    with contextlib.suppress(OSError):
        (root() / relative).unlink()
