"""Case notes screens: one person's notes, a note, its history, the forms, and the search.
Thin: the doors open the file or the note (a motif is a 403: it never opens the notes),
selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.forms_flow import Saved, form_page, posted, saved_at
from parcours.core.pagination import paginate, querystring_without_page
from parcours.people.access import PersonAccess
from parcours.people.models import Person

from . import selectors, services
from .access import (
    EDIT_DENIED,
    NOT_YOUR_NOTES,
    NOTE_ROLES,
    WRITE_DENIED,
    WRITER_ROLES,
    can_edit,
    may_edit_note,
    may_read_notes,
    may_write_notes,
    note_door,
    notes_door,
)
from .forms import NoteForm, SearchForm
from .models import Note, NoteKind
from .sanitize import editable_text
from .search import search_notes, snippet


@notes_door(roles=NOTE_ROLES, allow=may_read_notes, denied=NOT_YOUR_NOTES)
def person_notes(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    kind = request.GET.get("type", "")
    if kind not in NoteKind.values:
        kind = ""
    return render(
        request,
        "notes/person_notes.html",
        {
            "title": f"Notes de suivi — {access.person}",
            "person": access.person,
            "access": access,
            "page": paginate(request, selectors.person_notes(request.user, access, kind)),
            "kinds": NoteKind.choices,
            "kind": kind,
            "querystring": querystring_without_page(request),
        },
    )


def _note_page(
    request: AuthedRequest, form: NoteForm, *, person: Person, note: Note | None, title: str
) -> HttpResponse:
    """The form page of a note, new (`note` None) or edited: the service saves the form's data;
    a stale version answers 409 with the saved note."""

    def save(form: NoteForm) -> Saved:
        content = dict(form.cleaned_data)
        version = content.pop("version")
        if note is None:
            saved = services.create_note(acting_user=request.user, person=person, **content)
            return saved_at("notes:detail", saved, "La note est enregistrée.")
        services.update_note(
            acting_user=request.user, note=note, expected_version=version, **content
        )
        return saved_at("notes:detail", note, "La note est mise à jour.")

    return form_page(
        request,
        form,
        "notes/note_form.html",
        {"title": title, "person": person, "note": note},
        save=save,
        current=note,
    )


@notes_door(roles=WRITER_ROLES, methods=("GET", "POST"), allow=may_write_notes, denied=WRITE_DENIED)
def note_create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    form = NoteForm(posted(request), person=access.person)
    return _note_page(request, form, person=access.person, note=None, title="Nouvelle note")


@note_door(roles=WRITER_ROLES, methods=("GET", "POST"), allow=may_edit_note, denied=EDIT_DENIED)
def note_edit(request: AuthedRequest, note: Note, access: PersonAccess) -> HttpResponse:
    form = NoteForm(
        posted(request),
        initial={
            "version": note.version,
            "kind": note.kind,
            "event_date": note.event_date,
            "measure": note.measure_id,
            "body": editable_text(note.body_html),
            "sensitive": note.sensitive,
        },
        person=access.person,
    )
    return _note_page(
        request, form, person=access.person, note=note, title=f"Modifier la note — {note}"
    )


@note_door(roles=NOTE_ROLES)
def note_detail(request: AuthedRequest, note: Note, access: PersonAccess) -> HttpResponse:
    return render(
        request,
        "notes/note_detail.html",
        {
            "title": str(note),
            "note": note,
            "person": access.person,
            "access": access,
            "can_edit": can_edit(request.user, note, access),
        },
    )


@note_door(roles=NOTE_ROLES)
def note_history(request: AuthedRequest, note: Note, access: PersonAccess) -> HttpResponse:
    return render(
        request,
        "notes/note_history.html",
        {
            "title": f"Historique — {note}",
            "note": note,
            "person": access.person,
            "versions": selectors.note_versions(note),
        },
    )


@allowed(roles=NOTE_ROLES)
def search(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = SearchForm(request.GET or None, user=user)
    context: dict[str, Any] = {"title": "Recherche dans les notes", "form": form}
    status = 200
    if request.GET and not form.is_valid():
        status = 400
    elif form.is_bound:
        criteria = form.criteria()
        context["ignored_words"] = form.ignored_words
        if not criteria.is_empty:
            page = paginate(request, search_notes(user, criteria))
            services.journal_search(acting_user=user, criteria=criteria, count=page.paginator.count)
            context.update(
                {
                    "criteria": criteria,
                    "page": page,
                    "results": [
                        (note, mark_safe(snippet(note, criteria.keys)))  # noqa: S308 - escaped, then <mark>
                        for note in page.object_list
                    ],
                    "querystring": querystring_without_page(request),
                }
            )
    context["person"] = form.person
    return render(request, "notes/search.html", context, status=status)
