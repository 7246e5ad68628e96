"""The abstract bases of records (core.models) and the version they carry (core.locking)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from parcours.core.errors import ConflictError
from parcours.core.locking import update_if_version
from parcours.core.models import CaseEntry, CaseRecord, PublicRecord, VersionedEntry
from parcours.people.models import Person

from .conftest import Cast


def test_every_versioned_model_is_a_case_record() -> None:
    versioned = {
        model._meta.label
        for model in apps.get_models()
        if any(f.name == "version" for f in model._meta.fields)
        and model.__module__.startswith("parcours.")
        and model._meta.label != "notes.NoteVersion"  # a copy of a note at one version
        # A partner's directory entry: versioned against concurrent edits, not case data.
        and model._meta.label != "partners.PartnerProfile"
    }
    records = {m._meta.label for m in apps.get_models() if issubclass(m, CaseRecord)}
    # The entries corrected in place (a reduction, a transfer…): the same version, no updated_at.
    entries = {m._meta.label for m in apps.get_models() if issubclass(m, VersionedEntry)}
    assert versioned == records | entries
    assert {"people.Person", "measures.Measure", "notes.Note", "reports.Report"} <= records


def test_public_identifiers_come_from_one_base() -> None:
    named = {
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("parcours.")
        and any(f.name == "public_id" for f in m._meta.fields)
    }
    based = {m._meta.label for m in apps.get_models() if issubclass(m, PublicRecord)}
    assert named == based
    assert issubclass(CaseRecord, CaseEntry) and issubclass(CaseEntry, PublicRecord)


@pytest.mark.django_db
def test_a_versioned_update_moves_the_version_and_updated_at(cast: Cast) -> None:
    person = cast.person
    before = Person.objects.get(pk=person.pk)
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        update_if_version(Person.objects.filter(pk=person.pk), before.version, first_names="Ada")
    after = Person.objects.get(pk=person.pk)
    assert after.version == before.version + 1
    assert after.updated_at - before.updated_at >= timedelta(hours=2)
    with pytest.raises(ConflictError):
        update_if_version(Person.objects.filter(pk=person.pk), before.version, first_names="Eve")
    assert Person.objects.get(pk=person.pk).first_names == "Ada"
