"""Justificatifs: checked uploads, private storage, access-checked download, decisions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.obligations.models import Proof, ProofKind, ProofStatus
from parcours.obligations.uploads import sanitise_name

from .factories import make_obligation, make_proof, tiny_image, tiny_pdf, upload

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture
def obligation(cast):
    return make_obligation(cast.person)


def post_proof(client, obligation, name, data, **extra):
    url = reverse("obligations:proof_create", args=[obligation.public_id])
    payload = {"kind": ProofKind.FICHIER, "received_on": "2026-11-02", **extra}
    if data is not None:
        payload["file"] = upload(name, data)
    return client.post(url, payload)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def pdf_with_javascript() -> bytes:
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_open_action(JavaScript("app.alert('x');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


REFUSED = [
    ("executable renamed .pdf (MZ)", "facture.pdf", MZ, "Ce type de fichier n'est pas accepté"),
    ("ELF renamed .pdf", "attestation.pdf", ELF, "Ce type de fichier n'est pas accepté"),
    ("HTML renamed .png", "photo.png", b"<html><script>alert(1)</script>", "n'est pas accepté"),
    ("empty", "vide.pdf", b"", "Le fichier est vide"),
    ("png with script", "scan.png", tiny_image("PNG") + b"<script>alert(1)</script>", "script"),
    ("png with html", "scan.png", tiny_image("PNG") + b"<HTML><body>", "HTML"),
    ("jpeg with pdf", "scan.jpg", tiny_image("JPEG") + b"%PDF-1.7\n1 0 obj", "PDF caché"),
    ("pdf with javascript", "courrier.pdf", pdf_with_javascript(), "JavaScript"),
    ("pdf with script text", "c.pdf", tiny_pdf() + b"<script>", "script"),
    ("pdf signature only", "faux.pdf", b"%PDF-1.7\nnot really a pdf", "PDF est illisible"),
    ("png signature only", "faux.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "illisible"),
    ("truncated jpeg", "t.jpg", tiny_image("JPEG")[:40], "illisible"),
    ("pdf named .png", "scan.png", tiny_pdf(), "ne correspond pas à son contenu (PDF)"),
    ("png named .pdf", "scan.pdf", tiny_image("PNG"), "ne correspond pas à son contenu (PNG)"),
    ("no extension", "scan", tiny_image("PNG"), "Extension attendue : .png"),
    ("jpeg named .exe", "scan.exe", tiny_image("JPEG"), "ne correspond pas"),
]


@pytest.mark.parametrize(
    ("name", "data", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_bad_files_are_refused_with_a_french_400(
    cast, clients, obligation, private_media, name, data, message
) -> None:
    response = post_proof(clients["cpip"], obligation, name, data)
    assert response.status_code == 400
    body = response.content.decode().replace("&#x27;", "'")
    assert message in body, body[:3000]
    assert not Proof.objects.exists()
    assert stored_files(private_media) == []


def test_pdf_with_hex_escaped_javascript_name_is_refused(cast, clients, obligation) -> None:
    data = tiny_pdf().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript >>"
    )
    response = post_proof(clients["cpip"], obligation, "x.pdf", data)
    assert response.status_code == 400
    assert "JavaScript" in response.content.decode()


@override_settings(PARCOURS_UPLOAD_MAX_BYTES=100)
def test_oversize_file_is_refused(cast, clients, obligation, private_media) -> None:
    response = post_proof(clients["cpip"], obligation, "gros.pdf", tiny_pdf())
    assert response.status_code == 400
    assert "dépasse la taille maximale autorisée (100 octets)" in response.content.decode()
    assert stored_files(private_media) == []


def test_missing_file_and_paper_with_file(cast, clients, obligation) -> None:
    none = post_proof(clients["cpip"], obligation, "", None)
    assert none.status_code == 400
    assert "Joignez le fichier du justificatif" in none.content.decode()
    paper = post_proof(clients["cpip"], obligation, "a.pdf", tiny_pdf(), kind=ProofKind.PAPIER)
    assert paper.status_code == 400
    assert "ne comporte pas de fichier" in paper.content.decode()
    future = post_proof(clients["cpip"], obligation, "a.pdf", tiny_pdf(), received_on="2099-01-01")
    assert future.status_code == 400
    assert "La date de réception ne peut pas être dans le futur" in future.content.decode()
    period = post_proof(
        clients["cpip"],
        obligation,
        "a.pdf",
        tiny_pdf(),
        covers_from="2026-10-01",
        covers_to="2026-09-01",
    )
    assert period.status_code == 400
    assert "La fin de la période couverte précède son début" in period.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "content_type", "ext"),
    [
        ("attestation soins.pdf", tiny_pdf(2), "application/pdf", "pdf"),
        ("photo.PNG", tiny_image("PNG"), "image/png", "png"),
        ("quittance.jpeg", tiny_image("JPEG"), "image/jpeg", "jpg"),
        ("../../etc/passwd.pdf", tiny_pdf(), "application/pdf", "pdf"),
        ("..\\..\\x.png", tiny_image("PNG"), "image/png", "png"),
    ],
)
def test_valid_files_are_stored_privately_under_a_fresh_name(
    cast, clients, obligation, private_media, name, data, content_type, ext
) -> None:
    response = post_proof(
        clients["cpip"], obligation, name, data, covers_from="2026-10-01", covers_to="2026-10-31"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    proof = Proof.objects.get()
    assert proof.status == ProofStatus.EN_ATTENTE
    assert proof.content_type == content_type
    assert proof.size == len(data)
    assert "/" not in proof.original_name and "\\" not in proof.original_name
    assert not proof.original_name.startswith(".")
    folder, stored = proof.stored_path.split("/")
    assert folder == "justificatifs"
    assert stored.endswith(f".{ext}") and len(stored) == 36 + 1 + len(ext)
    files = stored_files(private_media)
    assert files == [private_media / proof.stored_path]
    assert files[0].read_bytes() == data
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    static_root = Path(settings.STATIC_ROOT).resolve()
    assert static_root not in files[0].resolve().parents
    event = AuditEvent.objects.get(action=AuditAction.CREATION, object_type="proof")
    assert event.details["sha256"] == proof.sha256
    assert event.person_public_id == cast.person.public_id


def test_traversal_names_keep_only_the_basename(cast, clients, obligation) -> None:
    post_proof(clients["cpip"], obligation, "../../etc/passwd.pdf", tiny_pdf())
    assert Proof.objects.get().original_name == "passwd.pdf"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\x.png", "x.png"),
        ("C:\\Users\\a\\scan.jpg", "scan.jpg"),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
        ("new\nline\r.pdf", "newline.pdf"),
        ("bidi\u202egnp.pdf", "bidignp.pdf"),
        ('quo"te;<x>.pdf', "quotex.pdf"),
        ("..", "justificatif"),
        ("", "justificatif"),
        (".htaccess", "htaccess"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("Relevé d'heures.PDF", "Relevé d'heures.PDF"),
    ],
)
def test_sanitise_name(raw, clean) -> None:
    result = sanitise_name(raw)
    assert result == clean
    assert len(result) <= 120
    assert not any(ord(ch) < 32 for ch in result)


def test_download_by_the_referent_is_exact_and_journaled(cast, clients, obligation) -> None:
    data = tiny_pdf()
    post_proof(clients["cpip"], obligation, "attestation.pdf", data)
    proof = Proof.objects.get()
    before = AuditEvent.objects.count()
    response = clients["cpip"].get(reverse("obligations:proof_download", args=[proof.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="attestation.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 1
    event = events[0]
    assert event.action == AuditAction.CONSULTATION
    assert event.object_type == "proof"
    assert event.object_id == str(proof.public_id)
    assert event.motif == "referent"
    assert event.person_public_id == cast.person.public_id
    assert event.spip_id == cast.spip.pk


def test_download_refused_outside_scope(cast, clients, obligation) -> None:
    proof = make_proof(obligation)
    url = reverse("obligations:proof_download", args=[proof.public_id])
    assert clients["cpip_autre"].get(url).status_code == 404
    assert clients["partenaire"].get(url).status_code == 403
    assert clients["admin"].get(url).status_code == 403
    assert clients["secretariat"].get(url).status_code == 403
    assert clients["cpip2"].get(url).status_code == 302  # motif first
    assert clients["dpip"].get(url).status_code == 200
    unknown = reverse("obligations:proof_download", args=["6f1c1f51-1111-4111-8111-111111111111"])
    assert clients["cpip"].get(unknown).status_code == 404
    assert not AuditEvent.objects.filter(
        object_type="proof", actor__in=[cast.cpip_autre, cast.partenaire, cast.admin]
    ).exists()


def test_paper_proof_has_no_file_to_download(cast, clients, obligation) -> None:
    url = reverse("obligations:proof_create", args=[obligation.public_id])
    response = clients["cpip"].post(url, {"kind": ProofKind.PAPIER, "received_on": "2026-11-02"})
    assert response.status_code == 302
    proof = Proof.objects.get()
    assert proof.stored_path == "" and not proof.has_file
    download = reverse("obligations:proof_download", args=[proof.public_id])
    assert clients["cpip"].get(download).status_code == 404


def test_a_stored_path_outside_media_root_is_never_served(cast, clients, obligation) -> None:
    proof = make_proof(obligation)
    Proof.objects.filter(pk=proof.pk).update(stored_path="../../../../etc/passwd")
    url = reverse("obligations:proof_download", args=[proof.public_id])
    assert clients["cpip"].get(url).status_code == 404


def decide(client, proof, **data):
    return client.post(reverse("obligations:proof_decide", args=[proof.public_id]), data)


def test_accept_and_refuse_with_reason(cast, clients, obligation) -> None:
    first, second = make_proof(obligation), make_proof(obligation)
    accepted = decide(clients["cpip"], first, decision="accepte")
    assert accepted.status_code == 302
    first.refresh_from_db()
    assert first.status == ProofStatus.ACCEPTE
    assert first.decided_by == cast.cpip and first.decided_at is not None
    no_reason = decide(clients["dpip"], second, decision="refuse", reason="  ")
    assert no_reason.status_code == 400
    assert "Indiquez le motif du refus" in no_reason.content.decode()
    refused = decide(clients["dpip"], second, decision="refuse", reason="Attestation illisible")
    assert refused.status_code == 302
    second.refresh_from_db()
    assert second.status == ProofStatus.REFUSE
    assert second.decision_reason == "Attestation illisible"
    event = AuditEvent.objects.get(
        action=AuditAction.MODIFICATION, object_type="proof", object_id=second.public_id
    )
    assert event.details == {"decision": "refuse", "motif": "Attestation illisible"}
    assert event.person_public_id == cast.person.public_id
    again = decide(clients["cpip"], second, decision="accepte")
    assert again.status_code == 409
    assert "déjà été examiné" in again.content.decode()
    second.refresh_from_db()
    assert second.status == ProofStatus.REFUSE
    page = clients["cpip"].get(reverse("people:detail", args=[cast.person.public_id]))
    text = page.content.decode()
    assert "Accepté" in text and "Refusé" in text and "Attestation illisible" in text


def test_only_writers_decide(cast, clients, obligation) -> None:
    proof = make_proof(obligation)
    for role in ("secretariat", "jap", "partenaire", "admin"):
        assert decide(clients[role], proof, decision="accepte").status_code == 403, role
    assert decide(clients["cpip_autre"], proof, decision="accepte").status_code == 404
    assert decide(clients["cpip2"], proof, decision="accepte").status_code == 302
    assert (
        clients["cpip"].get(reverse("obligations:proof_decide", args=[proof.public_id])).status_code
        == 405
    )
    proof.refresh_from_db()
    assert proof.status == ProofStatus.EN_ATTENTE


def test_js_bytes_inside_a_page_stream_are_not_a_false_alarm(cast, clients, obligation) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    stream = DecodedStreamObject()
    stream.set_data(b"BT 10 10 Td (chemin /JS /JavaScript ici) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    assert b"/JavaScript " in out.getvalue()
    response = post_proof(clients["cpip"], obligation, "texte.pdf", out.getvalue())
    assert response.status_code == 302, response.content.decode()[:2000]


# --- R-HEALTH-PROOFS (issue 13, finding 8): care attestations are health data ---------------


def _surveillant_with_motif(cast):
    from parcours.rules.vocabulary import Role
    from tests.conftest import client_for
    from tests.factories import UserFactory

    surveillant = UserFactory(role=Role.SURVEILLANT, organisation=cast.antenna)
    client = client_for(surveillant)
    motif = client.post(
        reverse("people:motif", args=[cast.person.public_id]),
        {"motif": "autre", "detail": "Alarme du bracelet à vérifier"},
    )
    assert motif.status_code == 302
    return client


def test_cp_132_45_3_surveillant_cannot_open_a_care_attestation(cast, clients):
    care = make_proof(make_obligation(cast.person))  # 132-45 3°
    work = make_proof(make_obligation(cast.person, code="cp_132_45_1"), original_name="fiche.pdf")
    surveillant = _surveillant_with_motif(cast)
    refused = surveillant.get(reverse("obligations:proof_download", args=[care.public_id]))
    assert refused.status_code == 403
    assert not AuditEvent.objects.filter(
        action=AuditAction.CONSULTATION, object_id=str(care.public_id)
    ).exists()
    # Another proof of the same file opens (a pay slip is not health data).
    assert (
        surveillant.get(reverse("obligations:proof_download", args=[work.public_id])).status_code
        == 200
    )
    # The referent CPIP still opens the care attestation.
    assert (
        clients["cpip"]
        .get(reverse("obligations:proof_download", args=[care.public_id]))
        .status_code
        == 200
    )


def test_cp_132_45_3_care_details_are_hidden_from_the_surveillant_on_the_file(cast, clients):
    obligation = make_obligation(
        cast.person, parameters={"nature": "suivi addictologique", "structure": "CSAPA de Lille"}
    )
    make_proof(obligation, original_name="attestation-csapa.pdf")
    page = _surveillant_with_motif(cast).get(reverse("people:detail", args=[cast.person.public_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "CSAPA" not in html and "addictologique" not in html
    assert "attestation-csapa" not in html
    assert "données de santé" in html
    referent = clients["cpip"].get(reverse("people:detail", args=[cast.person.public_id]))
    assert "CSAPA de Lille" in referent.content.decode()


def _colleague_with_motif(clients, cast):
    """cpip2: same antenna, not the referent; opens the file with a motif (break the glass)."""
    client = clients["cpip2"]
    motif = client.post(
        reverse("people:motif", args=[cast.person.public_id]),
        {"motif": "remplacement", "detail": "Remplacement pendant les congés"},
    )
    assert motif.status_code == 302
    return client


def test_health_details_are_not_for_a_colleague_with_a_motif_nor_the_court(cast, clients):
    """security.md, "Health / addiction details": the referent, the encadrement and the
    psychologist; not a CPIP colleague who broke the glass, not the JAP (who reads what the SPIP
    puts in a transmitted report)."""
    obligation = make_obligation(
        cast.person, parameters={"nature": "suivi addictologique", "structure": "CSAPA de Lille"}
    )
    care = make_proof(obligation, original_name="attestation-csapa.pdf")
    url = reverse("people:detail", args=[cast.person.public_id])
    download = reverse("obligations:proof_download", args=[care.public_id])
    for client in (_colleague_with_motif(clients, cast), clients["jap"]):
        html = client.get(url).content.decode()
        assert "CSAPA" not in html and "attestation-csapa" not in html
        assert "données de santé" in html
        refused = client.get(download)
        assert refused.status_code == 403
        assert "réservé au CPIP référent" in refused.content.decode()
    for name in ("cpip", "dpip"):
        assert "CSAPA de Lille" in clients[name].get(url).content.decode()
        assert clients[name].get(download).status_code == 200
