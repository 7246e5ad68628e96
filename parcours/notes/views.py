from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError
from parcours.core.pagination import paginate, querystring_without_page
from parcours.core.permissions import require_roles
from parcours.people.access import MotifRequired, get_person_for
from parcours.rules.text import query_keys

from . import services
from .access import (
    NOT_YOUR_NOTES,
    NOTE_ROLES,
    WRITER_ROLES,
    can_edit,
    check_note_reader,
    get_note_for,
    visible_notes,
)
from .forms import NoteForm, SearchForm
from .models import Note, NoteKind
from .sanitize import editable_text, safe_html
from .search import NoteSearch, journal_details, search_notes, snippet


def _motif(needed: MotifRequired) -> HttpResponse:
    """A colleague's file: its working notes stay closed, motif or not (access.NOTE_MOTIFS)."""
    raise PermissionDenied(NOT_YOUR_NOTES)


@require_GET
@require_roles(*NOTE_ROLES)
def person_notes(request: HttpRequest, person_id: UUID) -> HttpResponse:
    try:
        access = get_person_for(request, person_id)
    except MotifRequired as needed:
        return _motif(needed)
    check_note_reader(access)
    notes = visible_notes(request.user, access).select_related(  # type: ignore[arg-type]
        "author", "measure__measure_type"
    )
    kind = request.GET.get("type", "")
    if kind in NoteKind.values:
        notes = notes.filter(kind=kind)
    else:
        kind = ""
    page = paginate(request, notes.order_by("-event_date", "-pk"))
    return render(
        request,
        "notes/person_notes.html",
        {
            "title": f"Notes de suivi — {access.person}",
            "person": access.person,
            "access": access,
            "page": page,
            "kinds": NoteKind.choices,
            "kind": kind,
            "querystring": querystring_without_page(request),
        },
    )


@require_http_methods(["GET", "POST"])
@require_roles(*WRITER_ROLES)
def note_create(request: HttpRequest, person_id: UUID) -> HttpResponse:
    try:
        access = get_person_for(request, person_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return _motif(needed)
    if not access.can_edit_measures:
        raise PermissionDenied("Vous pouvez consulter ce dossier mais pas y écrire de note.")
    person = access.person
    form = NoteForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        note = services.create_note(
            acting_user=request.user,  # type: ignore[arg-type]
            person=person,
            kind=data["kind"],
            event_date=data["event_date"],
            body=data["body"],
            sensitive=data["sensitive"],
            measure=data["measure"],
        )
        messages.success(request, "La note est enregistrée.")
        return redirect("notes:detail", public_id=note.public_id)
    return render(
        request,
        "notes/note_form.html",
        {"title": "Nouvelle note", "form": form, "person": person},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@require_roles(*WRITER_ROLES)
def note_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = request.user
    try:
        note, access = get_note_for(request, public_id, journal=request.method == "GET")
    except MotifRequired as needed:
        return _motif(needed)
    if not can_edit(user, note, access):  # type: ignore[arg-type]
        raise PermissionDenied("Seul l'auteur de la note ou l'encadrement peut la modifier.")
    initial = {
        "version": note.version,
        "kind": note.kind,
        "event_date": note.event_date,
        "measure": note.measure_id,
        "body": editable_text(note.body_html),
        "sensitive": note.sensitive,
    }
    form = NoteForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        person=access.person,
    )
    conflict: Note | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_note(
                acting_user=user,  # type: ignore[arg-type]
                note=note,
                expected_version=data.get("version"),
                kind=data["kind"],
                event_date=data["event_date"],
                body=data["body"],
                sensitive=data["sensitive"],
                measure=data["measure"],
            )
        except ConflictError:
            conflict = Note.objects.select_related("author").get(pk=note.pk)
        else:
            messages.success(request, "La note est mise à jour.")
            return redirect("notes:detail", public_id=note.public_id)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(
        request,
        "notes/note_form.html",
        {
            "title": f"Modifier la note — {note}",
            "form": form,
            "person": access.person,
            "note": note,
            "conflict": conflict,
            "conflict_body": mark_safe(safe_html(conflict.body_html)) if conflict else "",  # noqa: S308
        },
        status=status,
    )


@require_GET
@require_roles(*NOTE_ROLES)
def note_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        note, access = get_note_for(request, public_id)
    except MotifRequired as needed:
        return _motif(needed)
    return render(
        request,
        "notes/note_detail.html",
        {
            "title": str(note),
            "note": note,
            "person": access.person,
            "access": access,
            "can_edit": can_edit(request.user, note, access),  # type: ignore[arg-type]
            "body": mark_safe(safe_html(note.body_html)),  # noqa: S308 - nh3 output
        },
    )


@require_GET
@require_roles(*NOTE_ROLES)
def note_history(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        note, access = get_note_for(request, public_id)
    except MotifRequired as needed:
        return _motif(needed)
    versions = [
        (v, mark_safe(safe_html(v.body_html)))  # noqa: S308 - nh3 output
        for v in note.versions.select_related("edited_by")
    ]
    return render(
        request,
        "notes/note_history.html",
        {
            "title": f"Historique — {note}",
            "note": note,
            "person": access.person,
            "versions": versions,
        },
    )


@require_GET
@require_roles(*NOTE_ROLES)
def search(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = SearchForm(request.GET or None, user=user)
    context: dict[str, Any] = {"title": "Recherche dans les notes", "form": form}
    status = 200
    if request.GET and not form.is_valid():
        status = 400
    elif form.is_bound:
        data = form.cleaned_data
        criteria = NoteSearch(
            text=data.get("q") or "",
            person=form.person,
            kind=data.get("type") or "",
            date_from=data.get("du"),
            date_to=data.get("au"),
            author=data.get("auteur"),
            order=data.get("tri") or "pertinence",
        )
        # Only short or common words ("le", "de"…): nothing to look for.
        context["ignored_words"] = bool(criteria.text) and not query_keys(criteria.text)
        if context["ignored_words"]:
            criteria.text = ""
        if not criteria.is_empty:
            page = paginate(request, search_notes(user, criteria))
            results = [
                (note, mark_safe(snippet(note, criteria.keys)))  # noqa: S308 - escaped, then <mark>
                for note in page.object_list
            ]
            record(
                AuditAction.RECHERCHE,
                actor=user,
                object_type="note",
                details=journal_details(criteria, page.paginator.count),
            )
            context.update(
                {
                    "criteria": criteria,
                    "page": page,
                    "results": results,
                    "querystring": querystring_without_page(request),
                }
            )
    context["person"] = form.person
    return render(request, "notes/search.html", context, status=status)
