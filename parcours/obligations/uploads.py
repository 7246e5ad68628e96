"""Checks an uploaded justificatif by its content, never by its name or declared type.

Accepted: PDF, JPEG, PNG. The first bytes must be the format's signature, the file must really
parse (Pillow verify + load; pypdf with at least one page), the extension must match, and
polyglots are refused (HTML/script anywhere, a PDF inside an image); so are PDFs with active
content and images of more than 40 million pixels (parcours.documents.uploads, issue 14).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image
from pypdf import PdfReader

from parcours.documents.uploads import (
    ORDER,
    active_content_message,
    oversized_image_message,
    parsed_active_content,
    raw_active_content,
)

NAME_MAX = 120
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
FORBIDDEN_NAME_CHARS = set('<>:"|?*;')


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    extensions: tuple[str, ...]
    label: str


PDF = Kind("application/pdf", "pdf", ("pdf",), "PDF")
PNG = Kind("image/png", "png", ("png",), "PNG")
JPEG = Kind("image/jpeg", "jpg", ("jpg", "jpeg"), "JPEG")
SIGNATURES: tuple[tuple[bytes, Kind], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)
MARKUP = re.compile(rb"<\s*(script|html)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    kind: Kind
    original_name: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "PARCOURS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} Mo".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} Ko"
    return f"{size} octets"


def sanitise_name(name: str | None) -> str:
    """Basename only, no path separators, no control or format characters, ≤ 120 characters,
    extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch
        for ch in name
        if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " "
        if ch not in FORBIDDEN_NAME_CHARS
    )
    name = " ".join(name.split()).strip(" .")
    if not name:
        return "justificatif"
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    ext = ext[:10]
    room = NAME_MAX - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" .") or "justificatif"
    return f"{stem}.{ext}" if ext else stem


def extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_upload")


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Returns the checked bytes or raises ValidationError with a French message."""
    limit = max_bytes()
    declared = upload.size or 0
    if declared > limit:
        raise _refuse(f"Le fichier dépasse la taille maximale autorisée ({human_size(limit)}).")
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise _refuse("Le fichier est vide.")
    if len(data) > limit:
        raise _refuse(f"Le fichier dépasse la taille maximale autorisée ({human_size(limit)}).")
    kind = next((k for magic, k in SIGNATURES if data.startswith(magic)), None)
    if kind is None:
        raise _refuse(
            "Ce type de fichier n'est pas accepté : seuls les fichiers PDF, JPEG et PNG le sont "
            "(le contenu du fichier a été vérifié, pas seulement son nom)."
        )
    name = sanitise_name(upload.name)
    ext = extension_of(name)
    if ext not in kind.extensions:
        shown = f"« .{ext} »" if ext else "absente"
        raise _refuse(
            f"L'extension du fichier ({shown}) ne correspond pas à son contenu ({kind.label}). "
            f"Extension attendue : .{kind.extension}."
        )
    if MARKUP.search(data):
        raise _refuse("Le fichier contient du code HTML ou un script : il est refusé.")
    if kind is PDF:
        _check_pdf(data)
    else:
        if b"%PDF-" in data:
            raise _refuse("L'image contient un document PDF caché : elle est refusée.")
        _check_image(data, kind)
    return CheckedFile(
        data=data,
        kind=kind,
        original_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _check_image(data: bytes, kind: Kind) -> None:
    # The pixel count from the header, before anything is decoded (issue 14, finding 7).
    too_big = oversized_image_message(data, kind.label)
    if too_big:
        raise _refuse(too_big)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt = image.format
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Exception:
        raise _refuse(f"L'image {kind.label} est illisible ou endommagée.") from None
    if fmt != kind.label:
        raise _refuse(f"L'image {kind.label} est illisible ou endommagée.")


def _check_pdf(data: bytes) -> None:
    """Active content (JavaScript, Launch, URI, SubmitForm, XFA, embedded files, RichMedia…) is
    refused, naming what was found (issue 14, finding 4; parcours.documents.uploads)."""
    raw = raw_active_content(data)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not raw:
            raise _refuse("Les PDF protégés par un mot de passe ne sont pas acceptés.")
        pages = len(reader.pages)
        parsed = parsed_active_content(reader)
    except ValidationError:
        raise
    except Exception:
        if raw:
            raise _refuse(active_content_message(raw)) from None
        raise _refuse("Le fichier PDF est illisible ou endommagé.") from None
    found = [label for label in ORDER if label in {*raw, *parsed}]
    found += [label for label in parsed if label not in found]
    if found:
        raise _refuse(active_content_message(found))
    if pages < 1:
        raise _refuse("Le fichier PDF ne contient aucune page.")
