"""Builders for obligations, justificatifs and small valid or hostile files (synthetic only)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from parcours.obligations import storage
from parcours.obligations.models import Obligation, ObligationType, Proof, ProofKind


def obligation_type(code: str = "cp_132_45_3") -> ObligationType:
    return ObligationType.objects.current().get(code=code)


def make_obligation(person: Any, code: str = "cp_132_45_3", **fields: Any) -> Obligation:
    measure = person.measures.order_by("pk").first()
    kind = obligation_type(code)
    values: dict[str, Any] = {
        "measure": measure,
        "obligation_type": kind,
        "parameters": {"nature": "addictologie"} if code == "cp_132_45_3" else {},
        "start_date": date(2026, 1, 5),
        "imposed_on": date(2026, 1, 5),
        "proof_type": kind.default_proof_type,
        "cadence_months": kind.default_cadence_months,
        **fields,
    }
    return Obligation.objects.create(**values)


def make_proof(obligation: Obligation, data: bytes | None = None, **fields: Any) -> Proof:
    data = tiny_pdf() if data is None else data
    values: dict[str, Any] = {
        "obligation": obligation,
        "kind": ProofKind.FICHIER,
        "received_on": date(2026, 11, 2),
        "original_name": "attestation.pdf",
        "stored_path": storage.write(data, "pdf"),
        "content_type": "application/pdf",
        "size": len(data),
        **fields,
    }
    return Proof.objects.create(**values)


def first_obligation(person: Any) -> Obligation:
    found = Obligation.objects.filter(measure__person=person).order_by("pk").first()
    return found or make_obligation(person)


def first_proof(person: Any) -> Proof:
    found = Proof.objects.filter(obligation__measure__person=person).order_by("pk").first()
    return found or make_proof(first_obligation(person))


def tiny_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def tiny_image(fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
