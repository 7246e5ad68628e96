"""Services: prefill, saves (versions, 409, journal without the answers), finishing, versioned
questionnaires, the SPR re-evaluation, the digital self-assessment."""

from __future__ import annotations

from datetime import date

import pytest

from parcours.assessments import services
from parcours.assessments.definitions import sync_questionnaires, version_in_force
from parcours.assessments.models import Assessment, QuestionnaireVersion
from parcours.audit.models import AuditAction, AuditEvent
from parcours.core.errors import ConflictError, Refused
from parcours.measures.models import MeasureEvaluation
from parcours.rules.vocabulary import AssessmentKind, AssessmentStatus, DigitalChannel

from ..factories import MeasureFactory, measure_type
from .factories import ALL_JUDGED, draft, finished, save

pytestmark = pytest.mark.django_db


def events(**filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def test_start_prefills_from_the_file_as_suggestions_to_confirm(cast) -> None:
    cast.person.housing = "heberge_tiers"
    cast.person.save()
    assessment = draft(cast.person)
    assert assessment.answers["logement.situation"] == "heberge_tiers"
    assert assessment.answers["sante.obligation_soins"] == "non"
    assert assessment.answers["attitudes.manquements"] == 0
    assert "logement.situation" in assessment.unconfirmed
    measure = cast.person.measures.get()
    assert assessment.due_on == date(2025, 6, 13)  # start 15/03/2025 + 90 days
    assert assessment.measure == measure
    assert assessment.questionnaire.code == "evaluation"
    created = events(action=AuditAction.CREATION, object_id=str(assessment.public_id))
    assert len(created) == 1 and created[0].person_public_id == cast.person.public_id


def test_one_open_draft_per_kind_and_measure(cast) -> None:
    draft(cast.person)
    with pytest.raises(Refused, match="déjà en cours"):
        draft(cast.person)
    draft(cast.person, kind=AssessmentKind.REEXAMEN)  # another kind is fine


def test_a_measure_of_someone_else_is_refused(cast) -> None:
    with pytest.raises(Refused, match="ne concerne pas"):
        draft(cast.person, measure=cast.other_person.measures.get())


def test_save_replaces_answers_and_journals_what_changed_not_the_values(cast) -> None:
    assessment = draft(cast.person)
    secret = "Suivi en CMP pour dépression"
    saved = save(
        assessment,
        answers={**assessment.answers, "emploi.diplome": "CAP cuisine"},
        judgements={"sante": {"need": "important", "reasons": secret}},
    )
    assert saved.version == assessment.version + 1
    assert saved.answers["emploi.diplome"] == "CAP cuisine"
    assert saved.judgements == {"sante": {"need": "important", "reasons": secret}}
    assert saved.unconfirmed == []  # the factory confirms the suggestions
    row = events(action=AuditAction.MODIFICATION, object_id=str(assessment.public_id))[-1]
    assert row.details["questions"] == ["emploi.diplome"]
    assert row.details["domaines"] == ["sante"]
    assert secret not in str(row.details) and "CAP" not in str(row.details)


def test_changing_a_suggestion_confirms_it(cast) -> None:
    cast.person.housing = "hotel"
    cast.person.save()
    assessment = draft(cast.person)
    saved = save(
        assessment,
        answers={**assessment.answers, "logement.situation": "personnel"},
        confirmed=[],
    )
    assert "logement.situation" not in saved.unconfirmed
    assert "sante.obligation_soins" in saved.unconfirmed  # untouched, not confirmed


def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(cast) -> None:
    assessment = draft(cast.person)
    first = save(assessment, answers={"emploi.diplome": "Bac"})
    with pytest.raises(ConflictError):
        save(assessment, answers={"emploi.diplome": "Aucun"}, expected_version=assessment.version)
    assert Assessment.objects.get(pk=assessment.pk).answers["emploi.diplome"] == "Bac"
    assert first.version == assessment.version + 1


def test_bad_answers_are_refused_in_french(cast) -> None:
    assessment = draft(cast.person)
    with pytest.raises(Refused, match="saisissez un nombre entier"):
        save(assessment, answers={"famille.enfants_a_charge": "beaucoup"})
    with pytest.raises(Refused, match="Domaine inconnu"):
        save(assessment, judgements={"astrologie": {"need": "aucun"}})


def test_finish_needs_reasons_for_an_important_need_then_is_read_only(cast) -> None:
    assessment = draft(cast.person)
    judged = {**ALL_JUDGED, "logement": {"need": "important", "reasons": ""}}
    assessment = save(assessment, judgements=judged)
    with pytest.raises(Refused, match="Logement : un besoin important doit être motivé"):
        services.finish_assessment(
            acting_user=cast.cpip, assessment=assessment, expected_version=assessment.version
        )
    judged["logement"]["reasons"] = "Hébergement chez un tiers jusqu'à fin avril."
    assessment = save(assessment, judgements=judged)
    done = services.finish_assessment(
        acting_user=cast.cpip, assessment=assessment, expected_version=assessment.version
    )
    assert done.status == AssessmentStatus.TERMINEE
    assert done.completed_on == date(2027, 3, 16)
    with pytest.raises(Refused, match="terminée"):
        save(done)


def test_finish_refuses_unconfirmed_suggestions(cast) -> None:
    assessment = draft(cast.person)
    assessment = save(assessment, confirmed=[])
    assert assessment.unconfirmed
    with pytest.raises(Refused, match="confirmez ou corrigez"):
        services.finish_assessment(
            acting_user=cast.cpip, assessment=assessment, expected_version=assessment.version
        )


def test_a_new_questionnaire_version_never_changes_a_past_assessment(cast) -> None:
    past = finished(cast.person)
    old_version = past.questionnaire
    content = dict(old_version.content)
    content["version"] = "2027-03"
    content["domains"] = [d for d in content["domains"] if d["code"] != "reseau"]
    QuestionnaireVersion.objects.create(
        code="evaluation",
        edition="2027-03",
        effective_from=date(2027, 3, 1),
        title="Évaluation v2",
        content=content,
        checksum="x" * 64,
    )
    new = draft(cast.person, kind=AssessmentKind.REEXAMEN)
    assert new.questionnaire.edition == "2027-03"
    assert new.definition.domain("reseau") is None
    past = Assessment.objects.get(pk=past.pk)
    assert past.questionnaire_id == old_version.pk
    assert past.definition.domain("reseau") is not None


def test_sync_refuses_a_published_version_whose_file_changed(cast) -> None:
    row = version_in_force("evaluation", date(2027, 3, 16))
    QuestionnaireVersion.objects.filter(pk=row.pk).update(checksum="0" * 64)
    with pytest.raises(ValueError, match="Une version publiée ne change plus"):
        sync_questionnaires(QuestionnaireVersion)


def test_sync_is_idempotent(cast) -> None:
    version_in_force("evaluation", date(2027, 3, 16))
    assert sync_questionnaires(QuestionnaireVersion) == 0


def test_a_finished_spr_reevaluation_is_recorded_on_the_measure(cast) -> None:
    measure = MeasureFactory(
        person=cast.person, measure_type=measure_type("sursis_probatoire_renforce")
    )
    finished(cast.person, kind=AssessmentKind.SPR, measure=measure)
    evaluation = MeasureEvaluation.objects.get(measure=measure)
    assert evaluation.done_on == date(2027, 3, 16)
    assert evaluation.source == services.SPR_SOURCE
    finished(cast.person, kind=AssessmentKind.REEXAMEN)
    assert MeasureEvaluation.objects.count() == 1  # only the SPR kind feeds the deadline


def test_spr_needs_its_measure(cast) -> None:
    with pytest.raises(Refused, match="mesure concernée"):
        draft(cast.person, kind=AssessmentKind.SPR, measure=None)


def test_record_digital_self_assessment_from_the_personal_space(cast) -> None:
    entry = services.record_digital_self_assessment(
        cast.person,
        {"numerique.acces": "oui", "numerique.demarches": "non", "numerique.emploi": "seul"},
        DigitalChannel.ESPACE,
        None,
    )
    assert [s["key"] for s in entry.suggestions] == [
        "atelier_inclusion_numerique",
        "accompagnement_demarches",
    ]
    row = events(action=AuditAction.CREATION, object_id=str(entry.public_id))[0]
    assert row.actor_id is None and row.actor_username == services.PERSON_SPACE
    assert row.person_public_id == cast.person.public_id


def test_record_digital_refuses_bad_input(cast) -> None:
    with pytest.raises(Refused, match="choix inconnu"):
        services.record_digital_self_assessment(
            cast.person, {"numerique.acces": "bof"}, DigitalChannel.PAPIER, cast.cpip
        )
    with pytest.raises(Refused, match="Aucune réponse"):
        services.record_digital_self_assessment(cast.person, {}, DigitalChannel.PAPIER, cast.cpip)
    with pytest.raises(Refused, match="Canal inconnu"):
        services.record_digital_self_assessment(
            cast.person, {"numerique.acces": "oui"}, "pigeon", cast.cpip
        )


def test_the_digital_answers_prefill_the_assessment(cast) -> None:
    services.record_digital_self_assessment(
        cast.person, {"numerique.courriel": "aide"}, DigitalChannel.PAPIER, cast.cpip
    )
    assert draft(cast.person).answers["numerique.autonomie"] == "aide"
