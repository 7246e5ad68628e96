"""The import page of detention extracts (parcours.detention.importer), for the encadrement of a
SPIP (DPIP, DFSPIP) and an administrator attached to a SPIP: upload, preview of the report
(nothing written), confirmation. The previewed file waits in the session, keyed by its digest,
so the confirmation imports exactly the file that was previewed."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from parcours.accounts.http import AuthedRequest
from parcours.accounts.models import Organisation
from parcours.audit.services import record
from parcours.core.doors import allowed
from parcours.rules.vocabulary import AuditAction, Role

from . import importer

IMPORT_ROLES = (Role.DPIP, Role.DFSPIP, Role.ADMIN)
SESSION_KEY = "detention_import"
TEMPLATE = "detention/import.html"
TITLE = "Import d'un extrait de détention"


class UploadForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier CSV de l'extrait",
        help_text="Séparateur point-virgule ou virgule, en-têtes en première ligne ; 5 Mo au plus.",
    )

    def clean_fichier(self) -> object:
        upload = self.cleaned_data["fichier"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError("Le fichier doit être un CSV (extension .csv).")
        if upload.size > importer.MAX_BYTES:
            raise forms.ValidationError("Le fichier dépasse 5 Mo : découpez l'extrait.")
        return upload


class ConfirmForm(forms.Form):
    empreinte = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _spip(request: AuthedRequest) -> Organisation:
    org = request.user.organisation
    if org is None or org.spip is None:
        raise PermissionDenied("Votre compte n'est rattaché à aucun SPIP : import impossible.")
    return org.spip


def _refused(request: AuthedRequest, name: str, size: int | None, reasons: list[str]) -> None:
    record(
        AuditAction.TELEVERSEMENT_REFUSE,
        actor=request.user,
        object_type="televersement",
        object_label="Dépôt de fichier refusé (extrait de détention)",
        details={"refus": [r[:300] for r in reasons][:5], "fichier": name[:120], "taille": size},
    )


@allowed(roles=IMPORT_ROLES, methods=("GET", "POST"))
def detention_import(request: AuthedRequest) -> HttpResponse:
    spip = _spip(request)
    context: dict[str, object] = {"title": TITLE, "spip": spip, "columns": _columns()}
    if request.method == "GET":
        context["form"] = UploadForm()
        return render(request, TEMPLATE, context)
    if "empreinte" in request.POST:
        return _confirm(request, spip, context)
    form = UploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        upload = request.FILES.get("fichier")
        if upload is not None:
            reasons = [str(e) for e in form.errors.get("fichier", [])]
            _refused(request, upload.name or "", upload.size, reasons)
        return render(request, TEMPLATE, context, status=400)
    upload = form.cleaned_data["fichier"]
    data = upload.read()
    try:
        report = importer.run_import(request.user, spip, data, apply=False)
    except importer.ImportFileError as error:
        form.add_error("fichier", str(error))
        _refused(request, upload.name or "", upload.size, [str(error)])
        return render(request, TEMPLATE, context, status=400)
    digest = hashlib.sha256(data).hexdigest()
    request.session[SESSION_KEY] = {
        "digest": digest,
        "name": (upload.name or "")[:120],
        "text": importer.decode(data),
    }
    context.update(report=report, confirm=ConfirmForm(initial={"empreinte": digest}))
    context["file_name"] = upload.name
    return render(request, TEMPLATE, context)


def _confirm(
    request: AuthedRequest, spip: Organisation, context: dict[str, object]
) -> HttpResponse:
    form = ConfirmForm(request.POST)
    pending = request.session.get(SESSION_KEY) or {}
    context["form"] = UploadForm()
    if not form.is_valid() or pending.get("digest") != form.cleaned_data["empreinte"]:
        context["expired"] = True
        return render(request, TEMPLATE, context, status=400)
    try:
        report = importer.run_import(
            request.user, spip, pending["text"].encode(), apply=True, file_name=pending["name"]
        )
    except importer.ImportFileError as error:
        context["form"].add_error("fichier", str(error))  # type: ignore[attr-defined]
        return render(request, TEMPLATE, context, status=400)
    del request.session[SESSION_KEY]
    messages.success(request, "L'extrait est importé.")
    context.update(report=report, file_name=pending["name"])
    return render(request, TEMPLATE, context)


def _columns() -> list[tuple[str, str]]:
    return [
        ("type_ligne", "peine (par défaut), reduction ou detention_anterieure"),
        ("numero_appi, code_etablissement, numero_ecrou, date_ecrou", "sur chaque ligne"),
        ("date_liberation, mode_sortie", "si la personne est sortie"),
        ("rang, annees, mois, jours, date_definitive, nature, recidive, faits", "une peine"),
        ("surete_annees, surete_mois, surete_jours", "période de sûreté (facultatif)"),
        ("juridiction, date_decision, infraction", "la condamnation (facultatif)"),
        ("type_reduction, date_decision, mois, jours, retiree", "une décision de réduction"),
        ("nature_detention, debut, fin", "une détention à imputer"),
    ]
