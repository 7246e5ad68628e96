"""Builders for assessments (synthetic data only)."""

from __future__ import annotations

from typing import Any

from parcours.assessments import services
from parcours.assessments.models import Assessment, DigitalSelfAssessment
from parcours.rules.vocabulary import AssessmentKind, AssessmentStatus, DigitalChannel

# A judgement for every judged domain of the evaluation questionnaire, enough to finish.
ALL_JUDGED = {
    code: {"need": "modere", "person_view": "Ça va mieux.", "reasons": ""}
    for code in ("logement", "emploi", "ressources", "sante", "famille", "reseau", "attitudes")
} | {"numerique": {"need": "aucun"}}


def draft(
    person: Any, author: Any = None, kind: str = AssessmentKind.INITIALE, **kw: Any
) -> Assessment:
    measure = kw.pop("measure", person.measures.order_by("pk").first())
    return services.start_assessment(
        acting_user=author or person.referent, person=person, kind=kind, measure=measure, **kw
    )


def save(assessment: Assessment, user: Any = None, **kw: Any) -> Assessment:
    return services.save_assessment(
        acting_user=user or assessment.author,
        assessment=assessment,
        answers=kw.pop("answers", assessment.answers),
        judgements=kw.pop("judgements", ALL_JUDGED),
        confirmed=kw.pop("confirmed", assessment.unconfirmed),
        expected_version=kw.pop("expected_version", assessment.version),
    )


def finished(
    person: Any, author: Any = None, judgements: dict[str, Any] | None = None, **kw: Any
) -> Assessment:
    assessment = draft(person, author, **kw)
    assessment = save(assessment, judgements=judgements or ALL_JUDGED)
    return services.finish_assessment(
        acting_user=author or person.referent,
        assessment=assessment,
        expected_version=assessment.version,
    )


def first_assessment(person: Any, status: str = AssessmentStatus.BROUILLON) -> Assessment:
    """The person's first assessment in `status` (made when there is none)."""
    found = Assessment.objects.filter(person=person, status=status).order_by("pk").first()
    if found is not None:
        return found
    if status == AssessmentStatus.TERMINEE:
        return finished(person, kind=AssessmentKind.INITIALE)
    return draft(person, kind=AssessmentKind.REEXAMEN)


def first_digital(person: Any) -> DigitalSelfAssessment:
    found = DigitalSelfAssessment.objects.filter(person=person).order_by("pk").first()
    if found is not None:
        return found
    return services.record_digital_self_assessment(
        person,
        {"numerique.acces": "oui", "numerique.courriel": "aide"},
        DigitalChannel.PAPIER,
        None,
    )


def matrix_kwargs(name: str, person: Any) -> dict[str, Any]:
    """The identifiers of an assessments URL for `person` (tests/test_access_matrix.py)."""
    if name in ("assessments:person", "assessments:create", "assessments:digital_create"):
        return {"person_id": person.public_id}
    if name == "assessments:digital_detail":
        return {"public_id": first_digital(person).public_id}
    if name in ("assessments:fill", "assessments:autosave", "assessments:finish"):
        return {"public_id": first_assessment(person).public_id}
    if name in ("assessments:detail", "assessments:compare"):
        return {"public_id": first_assessment(person, AssessmentStatus.TERMINEE).public_id}
    return {}
