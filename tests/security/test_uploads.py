"""Findings 4 and 7 (issue 14): uploaded PDFs with active content and images with absurd
dimensions are refused with a French message naming what was found, before anything is decoded,
and every refusal is journaled."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from parcours.audit.models import AuditEvent
from parcours.obligations.models import Proof, ProofKind

from ..obligations.factories import make_obligation, tiny_image, tiny_pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "private"
    settings.MEDIA_ROOT = root
    return root


def name(value: str) -> NameObject:
    return NameObject(value)


def build(change: Callable[[PdfWriter], None]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind: str, **entries: Any) -> DictionaryObject:
    return DictionaryObject({name("/S"): name(kind), **{name(k): v for k, v in entries.items()}})


def open_action_launch(writer: PdfWriter) -> None:
    writer._root_object[name("/OpenAction")] = action(
        "/Launch", **{"/F": TextStringObject("cmd.exe")}
    )


def page_aa_submit(writer: PdfWriter) -> None:
    writer.pages[0][name("/AA")] = DictionaryObject(
        {name("/O"): action("/SubmitForm", **{"/F": TextStringObject("https://exemple.org/f")})}
    )


def uri_link(writer: PdfWriter) -> None:
    writer.add_annotation(0, Link(rect=(10, 10, 100, 30), url="https://exemple.org/piege"))


def xfa_form(writer: PdfWriter) -> None:
    writer._root_object[name("/AcroForm")] = DictionaryObject(
        {name("/Fields"): ArrayObject(), name("/XFA"): ArrayObject()}
    )


def embedded_file(writer: PdfWriter) -> None:
    writer.add_attachment("page.txt", b"un fichier cache dans le PDF")


def rich_media(writer: PdfWriter) -> None:
    annotation = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/RichMedia"),
            name("/Rect"): ArrayObject([FloatObject(0), FloatObject(0)] * 2),
        }
    )
    writer.pages[0][name("/Annots")] = ArrayObject([writer._add_object(annotation)])


def go_to_first_page(writer: PdfWriter) -> None:
    """An innocuous opening action (show page 1): accepted."""
    writer._root_object[name("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, name("/Fit")]
    )


HOSTILE = [
    ("OpenAction Launch", open_action_launch, ["lance un programme (Launch)", "ouverture"]),
    ("page AA SubmitForm", page_aa_submit, ["envoi de formulaire (SubmitForm)", "(AA)"]),
    ("URI link", uri_link, ["adresse externe (URI)"]),
    ("XFA form", xfa_form, ["formulaire XFA"]),
    ("embedded file", embedded_file, ["fichier joint"]),
    ("RichMedia", rich_media, ["multimédia (RichMedia)"]),
]


def post_proof(client: Any, obligation: Any, file_name: str, data: bytes) -> Any:
    url = reverse("obligations:proof_create", args=[obligation.public_id])
    return client.post(
        url,
        {"kind": ProofKind.FICHIER, "received_on": "2026-11-02", "file": upload(file_name, data)},
    )


def text_of(response: Any) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&#39;", "'")


@pytest.mark.parametrize(
    ("builder", "expected"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_pdf_with_active_content_is_refused_naming_it_and_journaled(
    cast: Any, clients: Any, builder: Any, expected: list[str]
) -> None:
    obligation = make_obligation(cast.person)
    response = post_proof(clients["cpip"], obligation, "attestation.pdf", build(builder))
    assert response.status_code == 400
    body = text_of(response)
    assert "Le PDF contient du contenu actif" in body
    for words in expected:
        assert words in body, body[:3000]
    assert not Proof.objects.exists()
    event = AuditEvent.objects.get(action="televersement_refuse")
    assert event.actor == cast.cpip
    assert event.person_public_id == cast.person.public_id
    assert event.details["fichier"] == "attestation.pdf"
    assert "contenu actif" in event.details["refus"][0]


def test_hex_escaped_launch_name_is_seen_in_the_raw_syntax(cast: Any, clients: Any) -> None:
    data = tiny_pdf().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Lau#6Ech /F (calc) >>"
    )
    response = post_proof(clients["cpip"], make_obligation(cast.person), "x.pdf", data)
    assert response.status_code == 400
    assert "Launch" in text_of(response)


@pytest.mark.parametrize("builder", [go_to_first_page, lambda writer: None])
def test_plain_pdfs_are_still_accepted(cast: Any, clients: Any, builder: Any) -> None:
    response = post_proof(clients["cpip"], make_obligation(cast.person), "ok.pdf", build(builder))
    assert response.status_code == 302
    assert Proof.objects.count() == 1
    assert not AuditEvent.objects.filter(action="televersement_refuse").exists()


def png_header(width: int, height: int) -> bytes:
    """A PNG announcing width × height pixels, with a few bytes of data: nothing is allocated
    here, and a checker that decoded it would need width × height × 3 bytes."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def test_a_huge_png_is_refused_from_its_header_without_decoding(
    cast: Any, clients: Any, monkeypatch: Any
) -> None:
    from PIL import ImageFile

    def no_decoding(self: Any) -> Any:
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    data = png_header(9200, 9200)
    assert len(data) < 200
    obligation = make_obligation(cast.person)
    tracemalloc.start()
    started = time.monotonic()
    response = post_proof(clients["cpip"], obligation, "photo.png", data)
    elapsed = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 400
    body = text_of(response)
    assert "trop grande (9200 × 9200 pixels)" in body, body[:3000]
    assert "40 millions de pixels" in body
    assert elapsed < 2.0
    assert peak < 50 * 1024 * 1024  # the decoded image would be 254 MB
    event = AuditEvent.objects.get(action="televersement_refuse")
    assert "9200 × 9200" in event.details["refus"][0]


def test_a_normal_photo_is_accepted(cast: Any, clients: Any) -> None:
    response = post_proof(clients["cpip"], make_obligation(cast.person), "p.png", tiny_image("PNG"))
    assert response.status_code == 302


def test_pillow_bomb_limit_is_set() -> None:
    from PIL import Image

    import parcours.documents.uploads  # noqa: F401 — sets the limit

    assert Image.MAX_IMAGE_PIXELS == 40_000_000


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_header_size_matches_pillow(fmt: str) -> None:
    from PIL import Image

    from parcours.documents.uploads import header_size

    data = tiny_image(fmt)
    with Image.open(io.BytesIO(data)) as image:
        assert header_size(data) == image.size


def test_a_huge_jpeg_header_is_refused() -> None:
    from parcours.documents.uploads import oversized_image_message

    frame = struct.pack(">HBHHB", 11, 8, 10_000, 10_000, 1) + b"\x01\x11\x00"
    data = b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 4) + b"\x00\x00" + b"\xff\xc0" + frame
    message = oversized_image_message(data, "JPEG")
    assert message is not None and "10000 × 10000" in message
