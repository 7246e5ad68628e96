"""Assessments: a person's assessments and chart, start, fill (form + HTMX autosave with
versions and 409), finish, the printable page, the comparison with the previous one; the
digital-skills self-assessment transcribed from paper; "Évaluations à faire" and the "délai
d'évaluation" indicator. Thin: doors open, selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.errors import ConflictError, Refused
from parcours.core.forms_flow import Saved, form_page, posted, saved_at
from parcours.core.middleware import mark_private
from parcours.people.access import PersonAccess, may_edit_measures, person_door_by_person_id
from parcours.rules import assessments as rules
from parcours.rules.vocabulary import NeedLevel

from . import selectors, services
from .access import EDIT_DENIED, READ_ROLES, SERVICE_ROLES, WRITE_ROLES, assessment_door, may_write
from .access import digital_door as digital_door_
from .chart import domain_charts
from .definitions import NUMERIQUE, version_in_force
from .forms import NEED_CHOICES, DigitalForm, NewAssessmentForm, VersionForm, read_fill_form
from .models import Assessment, DigitalSelfAssessment

STALE = "Cette évaluation a été enregistrée ailleurs depuis l'ouverture de la page."
NO_VERSION = "Contenu de la sauvegarde illisible : version manquante."


# --- A person's assessments ---------------------------------------------------------------------


@person_door_by_person_id(roles=READ_ROLES)
def person_page(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    assessments = selectors.person_assessments(person)
    return render(
        request,
        "assessments/person.html",
        {
            "title": "Évaluations",
            "person": person,
            "assessments": assessments,
            "charts": domain_charts(selectors.history(assessments)),
            "digital": selectors.person_digital(person),
            "can_write": access.can_edit_measures,
        },
    )


@person_door_by_person_id(
    roles=WRITE_ROLES, methods=("GET", "POST"), allow=may_edit_measures, denied=EDIT_DENIED
)
def create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    person = access.person
    form = NewAssessmentForm(posted(request), person=person)

    def save(form: NewAssessmentForm) -> Saved:
        # The form's fields are the service's: kind, measure, due date.
        assessment = services.start_assessment(
            acting_user=request.user, person=person, **form.cleaned_data
        )
        return saved_at(
            "assessments:fill",
            assessment,
            "L'évaluation est ouverte ; les suggestions tirées du dossier sont à confirmer.",
        )

    context = {"title": "Nouvelle évaluation", "person": person}
    return form_page(request, form, "assessments/create.html", context, save=save)


# --- One assessment -----------------------------------------------------------------------------


def _domains(
    assessment: Assessment,
    answers: dict[str, Any] | None = None,
    judgements: dict[str, dict[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """The questionnaire's domains with the answers, judgements and suggestions to show (the
    saved ones, or those just typed when a save was refused)."""
    answers = assessment.answers if answers is None else answers
    judgements = assessment.judgements if judgements is None else judgements
    unconfirmed = set(assessment.unconfirmed)
    shown = []
    for domain in assessment.definition.domains:
        judged = dict.fromkeys(rules.JUDGEMENT_FIELDS, "") | dict(judgements.get(domain.code, {}))
        questions = []
        for q in domain.questions:
            value = answers.get(q.id)
            questions.append(
                {
                    "q": q,
                    "name": f"q-{q.id}",
                    "html_id": "q-" + q.id.replace(".", "-"),
                    "type": str(q.type),
                    "value": "" if value is None else value,
                    "values": value if isinstance(value, list) else [],
                    "text": rules.answer_label(q, value),
                    "unconfirmed": q.id in unconfirmed,
                }
            )
        shown.append(
            {
                "d": domain,
                "questions": questions,
                "judged": judged,
                "need_label": NeedLevel.label_of(judged.get("need", "")),
                "person_level_label": NeedLevel.label_of(judged.get("person_level", "")),
            }
        )
    return shown


@assessment_door(roles=READ_ROLES)
def detail(request: AuthedRequest, assessment: Assessment, access: PersonAccess) -> HttpResponse:
    """The read-only, printable page."""
    return render(
        request,
        "assessments/detail.html",
        {
            "title": assessment.get_kind_display(),
            "assessment": assessment,
            "person": access.person,
            "domains": _domains(assessment),
            "can_write": access.can_edit_measures and not assessment.is_finished,
            "previous": selectors.previous_completed(assessment),
        },
    )


def _fill_context(assessment: Assessment, access: PersonAccess, **extra: Any) -> dict[str, Any]:
    return {
        "title": f"Saisie — {assessment.get_kind_display()}",
        "assessment": assessment,
        "person": access.person,
        "domains": _domains(assessment, extra.pop("answers", None), extra.pop("judgements", None)),
        "need_choices": NEED_CHOICES,
        "version": assessment.version,
        "error": "",
        "conflict": None,
        "saved_domains": [],
        **extra,
    }


@assessment_door(roles=WRITE_ROLES, methods=("GET", "POST"), allow=may_write, denied=EDIT_DENIED)
def fill(request: AuthedRequest, assessment: Assessment, access: PersonAccess) -> HttpResponse:
    """One page, a section per domain (anchors), saved by HTMX as one types and by the
    "Enregistrer" button without script; a stale version answers 409 with the saved copy."""
    if assessment.is_finished:
        messages.info(request, services.FINISHED)
        return redirect("assessments:detail", public_id=assessment.public_id)
    if request.method == "GET":
        return render(request, "assessments/fill.html", _fill_context(assessment, access))
    version_form = VersionForm(request.POST)
    posted = read_fill_form(assessment.definition, request.POST)
    error, status, conflict = "", 400, None
    posted_version = request.POST.get("version", "")
    if not version_form.is_valid():
        error = "Ce champ est obligatoire : la version de la page est manquante. Rechargez-la."
    else:
        version = version_form.cleaned_data["version"]
        try:
            services.save_assessment(
                acting_user=request.user, assessment=assessment, expected_version=version, **posted
            )
        except ConflictError:
            assessment.refresh_from_db()
            error, status, conflict = STALE, 409, assessment
        except Refused as refused:
            error = str(refused)
        else:
            messages.success(request, "L'évaluation est enregistrée.")
            return redirect("assessments:fill", public_id=assessment.public_id)
    # The page shows what was typed; on a conflict the saved copy is in the conflict box and the
    # page takes the saved version, so "Enregistrer" again keeps what was typed.
    context = _fill_context(
        assessment,
        access,
        answers=posted["answers"],
        judgements=posted["judgements"],
        error=error,
        conflict=conflict,
        saved_domains=_domains(assessment) if conflict else [],
    )
    if conflict is None:
        context["version"] = posted_version[:12]
    return render(request, "assessments/fill.html", context, status=status)


def _state(
    request: AuthedRequest, assessment: Assessment, status: int = 200, **extra: Any
) -> HttpResponse:
    context: dict[str, Any] = {"error": "", "conflict": False, "saved_at": None}
    response = render(
        request,
        "assessments/includes/autosave_state.html",
        {"assessment": assessment, **context, **extra},
        status=status,
    )
    mark_private(response)
    return response


@assessment_door(
    roles=WRITE_ROLES, methods=("POST",), allow=may_write, denied=EDIT_DENIED, journal=()
)
def autosave(request: AuthedRequest, assessment: Assessment, access: PersonAccess) -> HttpResponse:
    """HTMX autosave of the fill page: the state line (and the new version, out of band) | 400
    with the French reason | 409 with who saved when, and "Garder ma version"."""
    version_form = VersionForm(request.POST)
    if not version_form.is_valid():
        return _state(request, assessment, 400, error=NO_VERSION)
    posted = read_fill_form(assessment.definition, request.POST)
    version = version_form.cleaned_data["version"]
    try:
        saved = services.save_assessment(
            acting_user=request.user, assessment=assessment, expected_version=version, **posted
        )
    except ConflictError:
        assessment.refresh_from_db()
        return _state(request, assessment, 409, conflict=True)
    except Refused as refused:
        return _state(request, assessment, 400, error=str(refused))
    at = timezone.localtime(saved.content_updated_at or timezone.now())
    return _state(request, saved, saved_at=at)


@assessment_door(roles=WRITE_ROLES, methods=("GET", "POST"), allow=may_write, denied=EDIT_DENIED)
def finish(request: AuthedRequest, assessment: Assessment, access: PersonAccess) -> HttpResponse:
    if assessment.is_finished:
        messages.info(request, services.FINISHED)
        return redirect("assessments:detail", public_id=assessment.public_id)
    form = VersionForm(posted(request), initial={"version": assessment.version})

    def save(form: VersionForm) -> Saved:
        services.finish_assessment(
            acting_user=request.user,
            assessment=assessment,
            expected_version=form.cleaned_data["version"],
        )
        return saved_at("assessments:detail", assessment, "L'évaluation est terminée.")

    missing = rules.finish_problems(
        assessment.definition, assessment.judgements, assessment.unconfirmed
    )
    context = {
        "title": "Terminer l'évaluation",
        "assessment": assessment,
        "person": access.person,
        "missing": missing,
    }
    return form_page(
        request, form, "assessments/finish.html", context, save=save, current=assessment
    )


@assessment_door(roles=READ_ROLES)
def compare(request: AuthedRequest, assessment: Assessment, access: PersonAccess) -> HttpResponse:
    previous = selectors.previous_completed(assessment)
    return render(
        request,
        "assessments/compare.html",
        {
            "title": "Comparaison avec l'évaluation précédente",
            "assessment": assessment,
            "person": access.person,
            "previous": previous,
            "changes": selectors.compare(previous, assessment) if previous else [],
        },
    )


# --- Digital self-assessment --------------------------------------------------------------------


@person_door_by_person_id(
    roles=WRITE_ROLES, methods=("GET", "POST"), allow=may_edit_measures, denied=EDIT_DENIED
)
def digital_create(request: AuthedRequest, access: PersonAccess) -> HttpResponse:
    """The CPIP transcribes the paper questionnaire; then the suggested steps are shown."""
    person = access.person
    definition = version_in_force(NUMERIQUE, timezone.localdate()).definition
    form = DigitalForm(
        posted(request), definition=definition, initial={"filled_on": timezone.localdate()}
    )

    def save(form: DigitalForm) -> Saved:
        entry = services.record_digital_self_assessment(
            person,
            form.answers(),
            form.cleaned_data["channel"],
            request.user,
            filled_on=form.cleaned_data["filled_on"],
        )
        return saved_at(
            "assessments:digital_detail", entry, "L'autoévaluation numérique est enregistrée."
        )

    context = {"title": "Autoévaluation numérique", "person": person, "definition": definition}
    return form_page(request, form, "assessments/digital_form.html", context, save=save)


@digital_door_(roles=READ_ROLES)
def digital_detail(
    request: AuthedRequest, entry: DigitalSelfAssessment, access: PersonAccess
) -> HttpResponse:
    return render(
        request,
        "assessments/digital_detail.html",
        {
            "title": "Autoévaluation numérique",
            "entry": entry,
            "person": access.person,
            "answers": selectors.digital_answers(entry),
        },
    )


# --- Lists and indicator ------------------------------------------------------------------------


@allowed(roles=READ_ROLES)
def to_do(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.to_do(request.user, today)
    return render(
        request,
        "assessments/to_do.html",
        {
            "title": "Évaluations à faire",
            "rows": rows,
            "service_wide": request.user.role in SERVICE_ROLES,
            "days": rules.INITIAL_ASSESSMENT_DAYS,
        },
    )


@allowed(roles=SERVICE_ROLES)
def indicators(request: AuthedRequest) -> HttpResponse:
    if not request.user.spip_id:
        raise PermissionDenied("Votre compte n'est rattaché à aucun SPIP.")
    today = timezone.localdate()
    figures = selectors.delay_indicator(request.user.spip_id, today)
    share = figures.on_time_share
    return render(
        request,
        "assessments/indicators.html",
        {
            "title": "Délai d'évaluation",
            "figures": figures,
            "share": None if share is None else round(share * 100),
            "days": rules.INITIAL_ASSESSMENT_DAYS,
            "window": rules.INDICATOR_WINDOW_DAYS,
            "source": rules.INITIAL_ASSESSMENT_SOURCE,
        },
    )
