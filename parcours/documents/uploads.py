"""What an uploaded file may not carry (issue 14, findings 4 and 7), and the journal of refusals.

- **PDF active content**: JavaScript, actions that launch a program, open an external address,
  submit a form or open another file (Launch, URI, SubmitForm, ImportData, GoToR, GoToE), whether
  triggered at opening (/OpenAction), by an event (/AA) or by a link; XFA forms, embedded files
  and RichMedia. Such a PDF is refused with a French message naming what was found (ADR 0012:
  refused, not rewritten). Names are looked for twice: in the raw syntax outside streams (`#xx`
  escapes decoded) and in pypdf's parsed object graph (which sees inside object streams).
- **Image size**: the pixel count is read from the header (`Image.open` does not decode) and
  refused above `PARCOURS_UPLOAD_MAX_PIXELS` (40 MP) before any decoding; Pillow's own bomb limit
  (`Image.MAX_IMAGE_PIXELS`) is set to the same value as a second guard.
"""

from __future__ import annotations

import io
import re
import struct
from typing import TYPE_CHECKING, Any

from django.conf import settings
from PIL import Image
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from parcours.audit.services import record
from parcours.rules.vocabulary import AuditAction

if TYPE_CHECKING:
    from pypdf import PdfReader

DEFAULT_MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS

# What each PDF name means, in the words of the refusal message.
JAVASCRIPT = "du JavaScript"
LAUNCH = "une commande qui lance un programme (Launch)"
URI = "un lien vers une adresse externe (URI)"
SUBMIT = "un envoi de formulaire (SubmitForm)"
OTHER_FILE = "l'ouverture d'un autre fichier (GoToR, GoToE, ImportData)"
XFA = "un formulaire XFA"
EMBEDDED = "un fichier joint"
RICH_MEDIA = "un contenu multimédia (RichMedia)"
ON_OPEN = "une action déclenchée à l'ouverture (OpenAction)"
ON_EVENT = "une action déclenchée automatiquement (AA)"
ORDER = (JAVASCRIPT, LAUNCH, URI, SUBMIT, OTHER_FILE, XFA, EMBEDDED, RICH_MEDIA, ON_OPEN, ON_EVENT)

# Keys whose presence is active content, and action types (/S) or subtypes that are.
KEYS = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,
    "/URI": URI,
    "/XFA": XFA,
    "/EmbeddedFiles": EMBEDDED,
    "/EmbeddedFile": EMBEDDED,
    "/EF": EMBEDDED,
    "/RichMediaContent": RICH_MEDIA,
    "/RichMediaSettings": RICH_MEDIA,
}
DANGEROUS_NAMES = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/URI": URI,
    "/SubmitForm": SUBMIT,
    "/ImportData": OTHER_FILE,
    "/GoToR": OTHER_FILE,
    "/GoToE": OTHER_FILE,
    "/RichMedia": RICH_MEDIA,
    "/FileAttachment": EMBEDDED,
    "/EmbeddedFile": EMBEDDED,
}
TRIGGERS = {"/OpenAction": ON_OPEN, "/AA": ON_EVENT}
# The raw scan: any of these names in the PDF syntax outside streams.
# (/EF is left to the parsed walk: two letters could be a resource's name.)
RAW_NAMES = {
    name.lstrip("/"): label for name, label in {**KEYS, **DANGEROUS_NAMES}.items() if name != "/EF"
}
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
STREAM_BODY = re.compile(rb"(?<=[\s>])stream\r?\n.*?endstream", re.DOTALL)
WALK_LIMIT = 200_000
TOO_COMPLEX = "une structure trop complexe pour être vérifiée"


def _ordered(found: set[str]) -> list[str]:
    return [label for label in (*ORDER, TOO_COMPLEX) if label in found]


def raw_active_content(data: bytes) -> list[str]:
    """Active-content names in the PDF syntax outside streams (#xx escapes decoded)."""
    found: set[str] = set()
    for match in PDF_NAME.finditer(STREAM_BODY.sub(b"stream endstream", data)):
        raw = match.group(1)
        if b"#" in raw:
            raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        label = RAW_NAMES.get(raw.decode("latin-1"))
        if label:
            found.add(label)
    return _ordered(found)


def _is_dangerous_action(value: Any) -> bool:
    """An action dictionary (or a chain of them) of a dangerous type."""
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, DictionaryObject):
        kind = value.get("/S")
        return str(kind) in DANGEROUS_NAMES
    return False


def parsed_active_content(reader: PdfReader) -> list[str]:
    """Active content in the parsed object graph, from the trailer (catalogue, pages,
    annotations, form, names tree and object streams included)."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    steps = 0
    while stack:
        steps += 1
        if steps > WALK_LIMIT:
            found.add(TOO_COMPLEX)  # absurdly large graph: refuse rather than half-check
            break
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key_name, value in item.items():
                name = str(key_name)
                if name in KEYS:
                    found.add(KEYS[name])
                if name in ("/S", "/Subtype", "/Type") and isinstance(value, NameObject):
                    label = DANGEROUS_NAMES.get(str(value))
                    if label:
                        found.add(label)
                if name in TRIGGERS:
                    trigger = value.get_object() if isinstance(value, IndirectObject) else value
                    actions = (
                        list(trigger.values())
                        if name == "/AA" and isinstance(trigger, DictionaryObject)
                        else [trigger]
                    )
                    if any(_is_dangerous_action(action) for action in actions):
                        found.add(TRIGGERS[name])
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return _ordered(found)


def active_content_message(found: list[str]) -> str:
    return (
        f"Le PDF contient du contenu actif : {', '.join(found)}. Il est refusé pour la sécurité "
        "des collègues et des juges qui l'ouvriront. Enregistrez le document à nouveau en PDF "
        "simple (« Imprimer » puis « Enregistrer au format PDF ») ou scannez-le, puis déposez-le."
    )


def max_pixels() -> int:
    return int(getattr(settings, "PARCOURS_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS))


JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def header_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from the PNG IHDR or the JPEG frame header bytes, nothing decoded."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        at = 2
        while at + 9 <= len(data):
            if data[at] != 0xFF:
                return None
            marker = data[at + 1]
            if marker == 0xFF:  # fill byte
                at += 1
                continue
            if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
                at += 2
                continue
            (length,) = struct.unpack(">H", data[at + 2 : at + 4])
            if marker in JPEG_SOF:
                height, width = struct.unpack(">HH", data[at + 5 : at + 9])
                return int(width), int(height)
            at += 2 + length
    return None


def oversized_image_message(data: bytes, label: str) -> str | None:
    """A French refusal when the image's header announces more pixels than allowed (nothing is
    decoded: the header's bytes, then `Image.open`, which reads the header only); None otherwise,
    or when the header cannot be read (the full check that follows refuses it as unreadable)."""
    limit = max_pixels()
    size = header_size(data)
    if size is None:
        try:
            with Image.open(io.BytesIO(data)) as image:
                size = image.size
        except Image.DecompressionBombError:
            size = (0, 0)
        except Exception:
            return None
    width, height = size
    if size != (0, 0) and width * height <= limit:
        return None
    megapixels = f"{limit / 1_000_000:.0f}".replace(".", ",")
    shown = f" ({width} × {height} pixels)" if size != (0, 0) else ""
    return (
        f"L'image {label} est trop grande{shown} : {megapixels} millions de pixels au plus. "
        "Réduisez sa définition (une photo de téléphone convient) puis déposez-la."
    )


def journal_upload_refusal(
    *,
    acting_user: Any,
    person: Any,
    file_name: str,
    size: int | None,
    reasons: list[str],
    context: str,
) -> None:
    """Every refused upload is journaled: who, on whose file, which file, why."""
    record(
        AuditAction.TELEVERSEMENT_REFUSE,
        actor=acting_user,
        person=person,
        object_type="televersement",
        object_label=f"Dépôt de fichier refusé ({context})",
        details={
            "refus": [reason[:300] for reason in reasons][:5],
            "fichier": (file_name or "")[:120],
            "taille": size,
        },
    )
