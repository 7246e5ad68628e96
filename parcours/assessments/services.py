"""Verb-first writes on assessments: the acting user and plain data, one transaction, the
journal row inside it. The journal names the questions and domains changed, never the answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import User
from parcours.audit.models import AuditAction
from parcours.audit.services import record
from parcours.core.errors import ConflictError, Refused
from parcours.core.locking import update_if_version
from parcours.measures.models import Measure, MeasureEvaluation
from parcours.measures.signals import measure_changed
from parcours.people.models import Person
from parcours.rules import assessments as rules
from parcours.rules.vocabulary import AssessmentKind, AssessmentStatus, DigitalChannel

from .definitions import EVALUATION, NUMERIQUE, version_in_force
from .models import Assessment, DigitalSelfAssessment
from .prefill import suggestions

FINISHED = "Cette évaluation est terminée : elle ne se modifie plus."
SPR_SOURCE = "Évaluation structurée (Parcours)"
PERSON_SPACE = "espace-personnel"


def _journal(action: str, actor: User | None, obj: Any, person: Person, **details: Any) -> None:
    record(
        action,
        actor=actor,
        obj=obj,
        person=person,
        username="" if actor is not None else PERSON_SPACE,
        details=details,
    )


def initial_due_on(measure: Measure | None) -> date | None:
    start = None if measure is None else (measure.start_date or measure.judgment_date)
    return None if start is None else rules.initial_due_on(start)


def start_assessment(
    *,
    acting_user: User,
    person: Person,
    kind: str,
    measure: Measure | None = None,
    due_on: date | None = None,
    today: date | None = None,
) -> Assessment:
    """A draft on the questionnaire version in force today, prefilled from the file (the values
    marked "à confirmer"). An initial assessment's due date defaults to the measure's start plus
    rules.assessments.INITIAL_ASSESSMENT_DAYS."""
    today = today or timezone.localdate()
    if kind not in AssessmentKind.values:
        raise Refused("Type d'évaluation inconnu.")
    if measure is not None and measure.person_id != person.pk:
        raise Refused("Cette mesure ne concerne pas cette personne.")
    if kind == AssessmentKind.SPR and measure is None:
        raise Refused("Une réévaluation du SPR se rattache à la mesure concernée.")
    if due_on is None and kind == AssessmentKind.INITIALE:
        due_on = initial_due_on(measure)
    version = version_in_force(EVALUATION, today)
    definition = version.definition
    found = suggestions(person, today)
    answers: dict[str, Any] = {}
    for qid, question in definition.questions.items():
        suggestion = found.get(question.prefill) if question.prefill else None
        if suggestion is not None and suggestion.value is not None:
            clean, problem = rules.clean_answer(question, suggestion.value)
            if clean is not None and not problem:
                answers[qid] = clean
    with transaction.atomic():
        open_draft = Assessment.objects.filter(
            person=person, kind=kind, measure=measure, status=AssessmentStatus.BROUILLON
        ).exists()
        if open_draft:
            raise Refused(
                "Une évaluation de ce type est déjà en cours pour cette mesure : reprenez-la."
            )
        assessment = Assessment.objects.create(
            person=person,
            measure=measure,
            kind=kind,
            questionnaire=version,
            due_on=due_on,
            author=acting_user,
            answers=answers,
            unconfirmed=sorted(answers),
            content_updated_at=timezone.now(),
            content_updated_by=acting_user,
        )
        _journal(
            AuditAction.CREATION,
            acting_user,
            assessment,
            person,
            type=kind,
            questionnaire=f"{version.code} {version.edition}",
        )
    return assessment


def _check_open(assessment: Assessment) -> None:
    if assessment.is_finished:
        raise Refused(FINISHED)


def save_assessment(
    *,
    acting_user: User,
    assessment: Assessment,
    answers: Mapping[str, Any],
    judgements: Mapping[str, Mapping[str, Any]],
    confirmed: Iterable[str] = (),
    expected_version: int | None,
) -> Assessment:
    """Replaces the answers and judgements of a draft with the form's (autosave or "Enregistrer")
    if nobody saved since `expected_version`, else ConflictError. Refused for a finished
    assessment, an unknown question or domain, or an answer the rules refuse."""
    definition = assessment.definition
    clean, problems = rules.clean_answers(definition, answers)
    clean_judgements: dict[str, dict[str, str]] = {}
    for code, raw in judgements.items():
        domain = definition.domain(code)
        if domain is None or not isinstance(raw, Mapping):
            problems.append(f"Domaine inconnu : « {str(code)[:40]} ».")
            continue
        judged, more = rules.clean_judgement(domain, raw)
        problems += more
        if any(judged.values()):
            clean_judgements[code] = judged
    if problems:
        raise Refused(" ".join(problems))
    confirmed_ids = set(confirmed)
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _check_open(current)
        if expected_version is None or current.version != expected_version:
            raise ConflictError()
        unconfirmed = [
            qid
            for qid in current.unconfirmed
            if qid not in confirmed_ids and clean.get(qid) == current.answers.get(qid)
        ]
        changed_questions = sorted(
            q for q in set(clean) | set(current.answers) if clean.get(q) != current.answers.get(q)
        )
        changed_domains = sorted(
            d
            for d in set(clean_judgements) | set(current.judgements)
            if clean_judgements.get(d, {}) != current.judgements.get(d, {})
        )
        now = timezone.now()
        update_if_version(
            Assessment.objects.filter(pk=current.pk, status=AssessmentStatus.BROUILLON),
            expected_version,
            answers=clean,
            judgements=clean_judgements,
            unconfirmed=unconfirmed,
            content_updated_at=now,
            content_updated_by=acting_user,
        )
        if changed_questions or changed_domains or unconfirmed != current.unconfirmed:
            _journal(
                AuditAction.MODIFICATION,
                acting_user,
                current,
                assessment.person,
                questions=changed_questions,
                domaines=changed_domains,
            )
    current.refresh_from_db()
    current.person = assessment.person
    return current


def finish_assessment(
    *,
    acting_user: User,
    assessment: Assessment,
    expected_version: int | None,
    today: date | None = None,
) -> Assessment:
    """ "Terminée": read-only from then on. Refused (French list) while a judged domain has no
    need level, a "besoin important" no reasons, or a prefilled suggestion is unconfirmed. An SPR
    re-evaluation attached to its measure records the measure's re-evaluation (CPP 741-2 al. 3),
    so the yearly deadline rolls from it."""
    today = today or timezone.localdate()
    with transaction.atomic():
        current = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("questionnaire", "measure")
            .get(pk=assessment.pk)
        )
        _check_open(current)
        if expected_version is None or current.version != expected_version:
            raise ConflictError()
        problems = rules.finish_problems(
            current.definition, current.judgements, current.unconfirmed
        )
        if problems:
            raise Refused(" ".join(problems))
        update_if_version(
            Assessment.objects.filter(pk=current.pk),
            expected_version,
            status=AssessmentStatus.TERMINEE,
            completed_on=today,
        )
        details: dict[str, Any] = {"type": current.kind, "terminee_le": today.isoformat()}
        if current.kind == AssessmentKind.SPR and current.measure is not None:
            MeasureEvaluation.objects.create(
                measure=current.measure, done_on=today, source=SPR_SOURCE, created_by=acting_user
            )
            measure_changed.send(sender=Measure, person_ids=[current.person_id])
            details["reevaluation_spr"] = True
        _journal(AuditAction.MODIFICATION, acting_user, current, assessment.person, **details)
    current.refresh_from_db()
    current.person = assessment.person
    return current


def record_digital_self_assessment(
    person: Person,
    answers: Mapping[str, Any],
    channel: str,
    actor_user_or_none: User | None,
    *,
    filled_on: date | None = None,
) -> DigitalSelfAssessment:
    """The person's digital-skills self-assessment: transcribed from paper by the SPIP (the
    acting user), or filled in the person's own space (no user: journaled as the space). The
    suggested plan steps are stored with it."""
    if channel not in DigitalChannel.values:
        raise Refused("Canal inconnu.")
    today = timezone.localdate()
    filled_on = filled_on or today
    if filled_on > today:
        raise Refused("La date de remplissage ne peut pas être dans le futur.")
    version = version_in_force(NUMERIQUE, filled_on)
    definition = version.definition
    clean, problems = rules.clean_answers(definition, answers)
    if problems:
        raise Refused(" ".join(problems))
    if not clean:
        raise Refused("Aucune réponse : au moins une question doit être remplie.")
    steps = rules.suggest_digital_steps(definition, clean)
    with transaction.atomic():
        entry = DigitalSelfAssessment.objects.create(
            person=person,
            questionnaire=version,
            answers=clean,
            channel=channel,
            filled_on=filled_on,
            suggestions=[{"key": s.key, "label": s.label, "why": s.why} for s in steps],
            recorded_by=actor_user_or_none,
        )
        _journal(
            AuditAction.CREATION,
            actor_user_or_none,
            entry,
            person,
            canal=channel,
            etapes=[s.key for s in steps],
        )
    return entry
