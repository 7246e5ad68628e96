"""Pages of the detention record (thin: a door opens the person's file, `form_page` answers the
form, the services write) and the simulator (a hypothetical case, nothing saved, nothing
journaled: it reads and writes no person's data)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import render

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.forms_flow import posted
from parcours.people.access import PersonAccess, person_door_by_person_id
from parcours.people.pages import file_form_page
from parcours.rules import sentences
from parcours.rules.sentences import Duration, InputError, Reduction, Sentence, SentenceCase

from . import selectors, services
from .access import (
    SIMULATOR_ROLES,
    WRITERS,
    EcrouEntry,
    ecrou_door,
    ecrou_door_by_ecrou_id,
    entry_door,
    may_edit,
    sentence_door,
)
from .forms import (
    SIM_REDUCTIONS,
    SIM_SENTENCES,
    DeleteForm,
    EcrouForm,
    PriorCustodyForm,
    ReductionForm,
    ReleaseForm,
    SanctionForm,
    SentenceForm,
    SimCaseForm,
    SimReductionForm,
    SimSentenceForm,
    TransferForm,
)
from .models import (
    DisciplinarySanction,
    Ecrou,
    PriorCustody,
    ReductionDecision,
    SentenceLine,
    Transfer,
)
from .panels import present
from .situations import ENGINE_MISSING, dates_json

FORM_TEMPLATE = "detention/form.html"


# The form of a record of the detention record: back to the person file's detention panel.
_page = partial(file_form_page, template=FORM_TEMPLATE, anchor="detention")


# --- The écrou ---------------------------------------------------------------------------------


@person_door_by_person_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit)
def ecrou_create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    return _page(
        request,
        EcrouForm(posted(request), person=person),
        person,
        "Nouvel écrou",
        lambda form: services.create_ecrou(request.user, person, **form.values()),
        "L'écrou est enregistré ; la période d'incarcération de la personne est à jour.",
    )


@ecrou_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit)
def ecrou_edit(request: AuthedRequest, ecrou: Ecrou, access: PersonAccess) -> HttpResponse:
    return _page(
        request,
        EcrouForm(posted(request), instance=copy.copy(ecrou), person=access.person),
        access.person,
        f"Modifier l'écrou n° {ecrou.number}",
        lambda form: services.update_ecrou(request.user, ecrou, **form.changes()),
        "L'écrou est mis à jour.",
        current=ecrou,
        ecrou=ecrou,
    )


@ecrou_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit)
def ecrou_release(request: AuthedRequest, ecrou: Ecrou, access: PersonAccess) -> HttpResponse:
    return _page(
        request,
        ReleaseForm(posted(request), ecrou=ecrou),
        access.person,
        f"Libération — écrou n° {ecrou.number}",
        lambda form: services.record_release(
            request.user,
            ecrou,
            released_on=form.cleaned_data["released_on"],
            kind=form.cleaned_data["kind"],
            expected_version=form.cleaned_data.get("version"),
        ),
        "La libération est enregistrée ; la période d'incarcération est close.",
        current=ecrou,
        ecrou=ecrou,
    )


# --- Sentences --------------------------------------------------------------------------------


@ecrou_door_by_ecrou_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit)
def sentence_create(request: AuthedRequest, ecrou: Ecrou, access: PersonAccess) -> HttpResponse:
    return _page(
        request,
        SentenceForm(
            posted(request), ecrou=ecrou, initial={"rank": selectors.next_sentence_rank(ecrou)}
        ),
        access.person,
        f"Nouvelle peine — écrou n° {ecrou.number}",
        lambda form: services.add_sentence(request.user, ecrou, **form.values()),
        "La peine est enregistrée ; les dates sont recalculées.",
        ecrou=ecrou,
    )


@sentence_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit)
def sentence_edit(
    request: AuthedRequest, sentence: SentenceLine, access: PersonAccess
) -> HttpResponse:
    return _page(
        request,
        SentenceForm(posted(request), instance=copy.copy(sentence), ecrou=sentence.ecrou),
        access.person,
        f"Modifier la peine n° {sentence.rank}",
        lambda form: services.update_sentence(request.user, sentence, **form.changes()),
        "La peine est mise à jour ; les dates sont recalculées.",
        current=sentence,
        ecrou=sentence.ecrou,
    )


@sentence_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit)
def sentence_delete(
    request: AuthedRequest, sentence: SentenceLine, access: PersonAccess
) -> HttpResponse:
    return _page(
        request,
        DeleteForm(posted(request), initial={"version": sentence.version}),
        access.person,
        f"Supprimer la peine n° {sentence.rank}",
        lambda form: services.delete_sentence(
            request.user, sentence, expected_version=form.cleaned_data["version"]
        ),
        "La peine est supprimée ; les dates sont recalculées.",
        current=sentence,
        ecrou=sentence.ecrou,
        deleting=f"La peine n° {sentence.rank} sera retirée de l'écrou et les dates "
        "recalculées. Cette suppression est journalisée.",
        delete_label="Supprimer la peine",
    )


# --- Entries of the écrou ---------------------------------------------------------------------
# One view per action, keyed by the kind in the URL (ENTRIES): added on the écrou's door,
# corrected or deleted on the entry's door (detention.access.entry_door).


@dataclass(frozen=True)
class Entry:
    title: str
    form: Callable[..., forms.BaseForm]
    write: Callable[..., object]
    message: str
    model: type[models.Model]
    update: Callable[..., object]
    noun: str  # "la détention à imputer": what the edit and delete pages name
    gender: str = "f"  # of `noun`: "modifiée" / "modifié"


ENTRIES = {
    "imputation": Entry(
        "Détention à imputer",
        PriorCustodyForm,
        services.add_prior_custody,
        "La détention à imputer est enregistrée ; les dates sont recalculées.",
        PriorCustody,
        services.update_prior_custody,
        "la détention à imputer",
    ),
    "reduction": Entry(
        "Décision de réduction de peine",
        ReductionForm,
        services.record_reduction,
        "La décision est enregistrée ; les dates sont recalculées.",
        ReductionDecision,
        services.update_reduction,
        "la décision de réduction de peine",
    ),
    "sanction": Entry(
        "Sanction disciplinaire",
        SanctionForm,
        services.record_sanction,
        "La sanction est enregistrée.",
        DisciplinarySanction,
        services.update_sanction,
        "la sanction disciplinaire",
    ),
    "transfert": Entry(
        "Transfert",
        TransferForm,
        services.record_transfer,
        "Le transfert est enregistré.",
        Transfer,
        services.update_transfer,
        "le transfert",
        gender="m",
    ),
}


def _entry_of(kind: str, entry: models.Model | None = None) -> Entry:
    """The kind named in the URL (404 when unknown, or when the entry opened is of another
    kind)."""
    spec = ENTRIES.get(kind)
    if spec is None or (entry is not None and not isinstance(entry, spec.model)):
        raise Http404("Type de saisie inconnu.")
    return spec


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@ecrou_door_by_ecrou_id(roles=WRITERS, methods=("GET", "POST"), allow=may_edit)
def entry_create(
    request: AuthedRequest, ecrou: Ecrou, access: PersonAccess, kind: str
) -> HttpResponse:
    entry = _entry_of(kind)
    return _page(
        request,
        entry.form(posted(request), ecrou=ecrou),
        access.person,
        f"{entry.title} — écrou n° {ecrou.number}",
        lambda form: entry.write(request.user, ecrou, **form.values()),
        entry.message,
        ecrou=ecrou,
    )


@entry_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit)
def entry_edit(
    request: AuthedRequest, record: EcrouEntry, access: PersonAccess, kind: str
) -> HttpResponse:
    entry = _entry_of(kind, record)
    done = "modifiée" if entry.gender == "f" else "modifié"
    return _page(
        request,
        entry.form(posted(request), instance=copy.copy(record), ecrou=record.ecrou),
        access.person,
        f"Modifier {entry.noun} — {record}",
        lambda form: entry.update(request.user, record, **form.changes()),
        f"{_capitalised(entry.noun)} est {done} ; les dates sont recalculées.",
        current=record,
        ecrou=record.ecrou,
    )


@entry_door(roles=WRITERS, methods=("GET", "POST"), allow=may_edit)
def entry_delete(
    request: AuthedRequest, record: EcrouEntry, access: PersonAccess, kind: str
) -> HttpResponse:
    entry = _entry_of(kind, record)
    done, removed = ("supprimée", "retirée") if entry.gender == "f" else ("supprimé", "retiré")
    return _page(
        request,
        DeleteForm(posted(request), initial={"version": record.version}),
        access.person,
        f"Supprimer {entry.noun} — {record}",
        lambda form: services.delete_entry(
            request.user, record, expected_version=form.cleaned_data["version"]
        ),
        f"{_capitalised(entry.noun)} est {done} ; les dates sont recalculées.",
        current=record,
        ecrou=record.ecrou,
        deleting=f"{_capitalised(entry.noun)} « {record} » sera {removed} de l'écrou et les "
        "dates recalculées. Cette suppression est journalisée.",
        delete_label=f"Supprimer {entry.noun}",
    )


# --- The simulator ----------------------------------------------------------------------------


def _sim_case(
    case_form: SimCaseForm, lines: list[SimSentenceForm], cuts: list[SimReductionForm]
) -> SentenceCase:
    data = case_form.cleaned_data

    def surete(d: dict[str, Any]) -> Duration | None:
        parts = (d.get("surete_years") or 0, d.get("surete_months") or 0, d.get("surete_days") or 0)
        return Duration(*parts) if any(parts) else None

    return SentenceCase(
        birth_date=data["birth_date"],
        ecrou_date=data["ecrou_date"],
        pre_trial_days=data.get("pre_trial_days") or 0,
        sentences=tuple(
            Sentence(
                length=Duration(
                    f.cleaned_data.get("years") or 0,
                    f.cleaned_data.get("months") or 0,
                    f.cleaned_data.get("days") or 0,
                ),
                definitive_on=f.cleaned_data.get("definitive_on"),
                nature="crime" if f.cleaned_data.get("nature") == "crime" else "delit",
                recidive=bool(f.cleaned_data.get("recidive")),
                flags=frozenset(f.cleaned_data.get("flags") or ()),
                surete=surete(f.cleaned_data),
            )
            for f in lines
            if f.used
        ),
        reductions=tuple(
            Reduction(
                granted_on=f.cleaned_data["granted_on"],
                months=f.cleaned_data.get("months") or 0,
                days=f.cleaned_data.get("days") or 0,
                withdrawn=bool(f.cleaned_data.get("withdrawn")),
                kind=f.cleaned_data.get("kind") or "rp",
            )
            for f in cuts
            if f.used
        ),
        parent_enfant_moins_10=bool(data.get("parent_enfant_moins_10")),
        hebergement=bool(data.get("hebergement")),
        sanction_disciplinaire_violence=bool(data.get("sanction_disciplinaire_violence")),
        as_of=data.get("as_of"),
    )


def _place_error(
    problem: InputError,
    case_form: SimCaseForm,
    lines: list[SimSentenceForm],
    cuts: list[SimReductionForm],
) -> None:
    """The engine's refusal on the field it names ("sentences[1].years"), or on the form."""
    head, _, name = problem.field.partition(".")
    name = name.replace(".", "_")  # "surete.years": the field surete_years
    target: forms.Form = case_form
    field: str | None = head if head in case_form.fields else None
    for prefix, forms_ in (("sentences[", lines), ("reductions[", cuts)):
        if head.startswith(prefix):
            used = [f for f in forms_ if f.used]
            try:
                target = used[int(head[len(prefix) : -1])]
            except (ValueError, IndexError):
                break
            field = name if name in target.fields else None
    target.add_error(field, problem.message[:1].upper() + problem.message[1:])


@allowed(roles=SIMULATOR_ROLES, methods=("GET", "POST"))
def simulator(request: AuthedRequest) -> HttpResponse:
    data = posted(request)
    case_form = SimCaseForm(data, prefix="cas")
    lines = [
        SimSentenceForm(data, prefix=f"peine{i}", required=i == 1, title=f"Peine {i}")
        for i in range(1, SIM_SENTENCES + 1)
    ]
    cuts = [
        SimReductionForm(data, prefix=f"rp{i}", title=f"Décision {i}")
        for i in range(1, SIM_REDUCTIONS + 1)
    ]
    context: dict[str, Any] = {
        "case_form": case_form,
        "lines": lines,
        "cuts": cuts,
        "title": "Simulateur de dates",
    }
    status = 200
    if request.method == "POST":
        valid = all(
            [case_form.is_valid(), *(f.is_valid() for f in lines), *(f.is_valid() for f in cuts)]
        )
        status = 400
        if valid:
            for line in lines:
                if line.used:
                    line.check_against(case_form.cleaned_data["ecrou_date"])
            valid = not any(line.errors for line in lines)
        if valid:
            case = _sim_case(case_form, lines, cuts)
            try:
                refused = sentences.pre_trial_problem(case) or (
                    sentences.reduction_ceiling_problem(case)
                )
                if refused is not None:
                    raise refused
                dates = sentences.compute(case)
            except InputError as problem:
                _place_error(problem, case_form, lines, cuts)
            except NotImplementedError:
                context["engine_missing"] = ENGINE_MISSING
                status = 200
            else:
                context["dates"] = present(dates_json(dates))
                status = 200
        context["errors"] = [
            (form, name, error)
            for form in (case_form, *lines, *cuts)
            for name, errors in form.errors.items()
            for error in errors
        ]
    return render(request, "detention/simulator.html", context, status=status)
