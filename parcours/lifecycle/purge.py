"""The nightly retention purge (rules.retention, docs/adr/0015): the files whose last measure
ended more than five years ago lose what identifies the person and every free text; the rows
statistics count (measures, obligations, appointments, manquements, ledgers) stay without them.

`purge_expired(today, dry_run=…)` runs each file in its own transaction: the deletions, the
anonymisation, the `PurgedFile` marker and one PURGE journal event (the person's public id and
the counts, no name). Stored files (justificatifs, frozen reports) are removed after the commit
only. A dry run does the same work and rolls it back, so its counts are the real ones.

The journal itself is not purged here (its own retention belongs to the audit app).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q

from parcours.adjustments.models import AdjustmentMark, CommissionItem
from parcours.agenda.models import Appointment, AppointmentReply
from parcours.alerts.models import Alert
from parcours.assessments.models import Assessment, DigitalSelfAssessment
from parcours.audit.services import record
from parcours.breaches.models import Breach
from parcours.checkins.models import Checkin, CheckinPlan
from parcours.detention.models import Ecrou
from parcours.handovers.models import Handover
from parcours.ledgers.models import CompensationLedger, CompensationPayment, TigLedger, TigSession
from parcours.measures.models import Measure, MeasureEvaluation, MeasureSuspension
from parcours.notes.models import Note
from parcours.notifications.models import InboundCandidate, InboundMessage, Message
from parcours.obligations import storage
from parcours.obligations.models import Obligation, Proof
from parcours.partners.models import Referral
from parcours.people.models import Address, Assignment, IncarcerationPeriod, Person
from parcours.plans.models import Plan
from parcours.reports.models import Report
from parcours.rules.measures import CURRENT_STATUSES
from parcours.rules.retention import RULES_BY_KIND, Decision, MeasureDates, file_decision
from parcours.rules.vocabulary import AuditAction, Housing
from parcours.space.models import (
    PersonSession,
    SignInAttempt,
    SignInChallenge,
    SpaceAccount,
    SpaceNotice,
)

from .models import PurgedFile

ANONYMOUS = "ANONYME"
ACTOR = "purge_expired"

# The models that point at Person, by the kind of the report that covers them; a test fails when
# a new one appears unhandled (tests/lifecycle/test_purge.py).
HANDLED_RELATIONS = {
    "addresses": "adresses",
    "assignments": "affectations",
    "incarceration_periods": "incarcerations",
    "ecrous": "incarcerations",  # the detention record (issue 15), with its incarcerations
    "measures": "mesures",
    "appointments": "rendez_vous",
    "breaches": "manquements",
    "tig_ledgers": "registres",
    "compensation_ledgers": "registres",
    "notes": "notes",
    "reports": "rapports",
    "messages": "messages",
    "inbound_messages": "messages",  # SMS received from the person (issue 18)
    "inbound_candidacies": "messages",  # a shared number's possible owners
    "checkin_plans": "controles",  # remote check-in (issue 18): plans and answers
    "checkins": "controles",
    "alerts": "alertes",
    "purged_file": "identite",
    "adjustment_marks": "amenagements",
    # Issues 17 and 18: the accompaniment and the person's space.
    "assessments": "evaluations",
    "digital_self_assessments": "evaluations",
    "plans": "plans",
    "referrals": "orientations",
    "space_account": "espace",
    "space_sessions": "espace",
    "space_notices": "espace",
    "handovers": "affectations",  # a change of SPIP (dessaisissement): reason, new address
}
# Relations without an accessor (related_name="+"), by model label; checked by the same test.
HANDLED_HIDDEN_RELATIONS = {
    "detention.SentenceSituation": "incarcerations",  # deleted with its écrou (CASCADE)
    "release.ReleasePlan": "incarcerations",  # deleted with its écrou (CASCADE)
    "adjustments.CommissionItem": "amenagements",  # kept, its decision note cleared
    "space.SignInAttempt": "espace",
    "space.SignInChallenge": "espace",
}


class _DryRun(Exception):
    """Raised inside the transaction of a dry run to roll it back."""


@dataclass
class FileResult:
    public_id: str
    kept_until: date
    counts: dict[str, int]


@dataclass
class PurgeReport:
    today: date
    dry_run: bool
    files: list[FileResult] = field(default_factory=list)
    to_review: Counter[str] = field(default_factory=Counter)

    @property
    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for item in self.files:
            total.update(item.counts)
        return total

    def lines(self) -> list[str]:
        """The report, French, as printed by the command."""
        verb = "seraient traités" if self.dry_run else "traités"
        head = "Simulation — rien n'est modifié. " if self.dry_run else ""
        out = [
            f"{head}Purge au {self.today:%d/%m/%Y} : {len(self.files)} dossier(s) {verb}.",
        ]
        for kind, n in sorted(self.totals.items()):
            rule = RULES_BY_KIND[kind]
            action = "supprimés" if rule.action == "purge" else "anonymisés"
            out.append(f"  {rule.label} : {n} {action}")
        for reason, n in sorted(self.to_review.items()):
            out.append(f"  Non traités, à examiner — {reason} : {n}")
        for item in self.files:
            out.append(f"  {item.public_id} (conservé jusqu'au {item.kept_until:%d/%m/%Y})")
        return out


def candidates() -> Any:
    """People not yet purged with no open measure (the pure rule decides on the dates)."""
    open_measures = Measure.objects.filter(status__in=CURRENT_STATUSES)
    return (
        Person.objects.filter(purged_file__isnull=True)
        .exclude(pk__in=open_measures.values("person_id"))
        .order_by("pk")
    )


def decide(person: Person, today: date) -> Decision:
    dates = [
        MeasureDates(open=status in CURRENT_STATUSES, ended_on=ended_on or end_date)
        for status, ended_on, end_date in person.measures.values_list(
            "status", "ended_on", "end_date"
        )
    ]
    return file_decision(dates, today)


def purge_expired(today: date, *, dry_run: bool = False) -> PurgeReport:
    report = PurgeReport(today=today, dry_run=dry_run)
    for person in candidates().iterator(chunk_size=200):
        decision = decide(person, today)
        if not decision.due:
            if decision.kept_until is None:
                report.to_review[decision.reason] += 1
            continue
        assert decision.kept_until is not None
        files: list[str] = []
        try:
            with transaction.atomic():
                counts = _purge_file(person, today, decision.kept_until, files)
                if dry_run:
                    raise _DryRun
                transaction.on_commit(partial(_remove_files, tuple(files)))
        except _DryRun:
            pass
        report.files.append(FileResult(str(person.public_id), decision.kept_until, counts))
    return report


def _remove_files(paths: tuple[str, ...]) -> None:
    for path in paths:
        storage.remove(path)


def _purge_file(person: Person, today: date, kept_until: date, files: list[str]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    measures = Measure.objects.filter(person=person)
    obligations = Obligation.objects.filter(measure__in=measures)

    # Deleted: free text, documents, contact data.
    proofs = Proof.objects.filter(obligation__in=obligations)
    files += [p for p in proofs.values_list("stored_path", flat=True) if p]
    counts["justificatifs"] = proofs.delete()[1].get(Proof._meta.label, 0)
    reports = Report.objects.filter(person=person)
    for pdf, docx in reports.values_list("pdf_path", "docx_path"):
        files += [p for p in (pdf, docx) if p]
    counts["rapports"] = reports.delete()[1].get(Report._meta.label, 0)
    counts["notes"] = Note.objects.filter(person=person).delete()[1].get(Note._meta.label, 0)
    counts["messages"] = (
        Message.objects.filter(person=person).delete()[1].get(Message._meta.label, 0)
    )
    counts["messages"] += InboundMessage.objects.filter(person=person).delete()[0]
    InboundCandidate.objects.filter(person=person).delete()
    checkins = Checkin.objects.filter(person=person)
    files += [p for p in checkins.values_list("proof_path", flat=True) if p]
    counts["controles"] = checkins.delete()[0]
    CheckinPlan.objects.filter(person=person).delete()
    # The accompaniment (issue 17): assessments (the person's view, the CPIP's judgement), plans
    # with their goals and steps (CASCADE), referrals with their sessions and attestation links
    # (CASCADE; the attestation files are justificatifs, removed above). Deleted, not anonymised:
    # their value is in their free text and answers.
    counts["evaluations"] = (
        Assessment.objects.filter(person=person).delete()[1].get(Assessment._meta.label, 0)
        + DigitalSelfAssessment.objects.filter(person=person).delete()[0]
    )
    counts["plans"] = Plan.objects.filter(person=person).delete()[1].get(Plan._meta.label, 0)
    counts["orientations"] = (
        Referral.objects.filter(person=person).delete()[1].get(Referral._meta.label, 0)
    )
    # The person's space (issue 18): account, sessions, notices, codes and the sign-in log.
    counts["espace"] = sum(
        model.objects.filter(person=person).delete()[0]
        for model in (SpaceAccount, PersonSession, SpaceNotice, SignInChallenge, SignInAttempt)
    )
    # Replies to convocations carry the person's words; the appointments stay (anonymised).
    counts["messages"] += AppointmentReply.objects.filter(appointment__person=person).delete()[0]
    counts["alertes"] = Alert.objects.filter(person=person).delete()[1].get(Alert._meta.label, 0)
    counts["adresses"] = Address.objects.filter(person=person).delete()[0]
    counts["affectations"] = (
        Assignment.objects.filter(person=person).delete()[0]
        + Handover.objects.filter(person=person).delete()[0]
    )
    # The detention record (écrous with their sentences, custody, decisions, computed dates)
    # goes with the incarceration periods it kept in step.
    ecrous = Ecrou.objects.filter(person=person).delete()[1].get(Ecrou._meta.label, 0)
    counts["incarcerations"] = (
        IncarcerationPeriod.objects.filter(person=person).delete()[0] + ecrous
    )
    # Milieu fermé: the CPIP's marks (free text) go; a CAP line keeps its kind and decision.
    counts["amenagements"] = AdjustmentMark.objects.filter(person=person).delete()[0]
    CommissionItem.objects.filter(person=person).update(decision_note="")

    # Kept for statistics, without identity or free text.
    counts["mesures"] = measures.update(
        violences_conjugales=False,
        terrorisme=False,
        victime_pdap=False,
        victime_mineur_15=False,
        ssj_antecedent=False,
    )
    MeasureSuspension.objects.filter(measure__in=measures).update(source="")
    MeasureEvaluation.objects.filter(measure__in=measures).update(source="")
    counts["obligations"] = obligations.update(parameters={})
    counts["rendez_vous"] = Appointment.objects.filter(person=person).update(
        outcome_reason="", outcome_proof="", comment=""
    )
    counts["manquements"] = Breach.objects.filter(person=person).update(
        facts="", evidence="", followup_note=""
    )
    tig = TigLedger.objects.filter(person=person)
    TigSession.objects.filter(ledger__in=tig).update(host_structure="")
    compensation = CompensationLedger.objects.filter(person=person)
    CompensationPayment.objects.filter(ledger__in=compensation).update(reference="")
    counts["registres"] = tig.update(host_structure="") + compensation.update(
        beneficiary="Bénéficiaire"
    )
    birth = person.birth_date
    Person.objects.filter(pk=person.pk).update(
        last_name=ANONYMOUS,
        birth_name="",
        first_names="",
        aliases="",
        birth_date=date(birth.year, 1, 1),  # the age band stays countable
        birth_place="",
        birth_country="",
        nationality="",
        languages="",
        phone="",
        email="",
        no_phone=False,
        refuses_sms=False,
        housing=Housing.INCONNU,
        appi_number="",
        search_name=ANONYMOUS,
        referent=None,
        ever_detained=False,  # the detention record is gone: no trace that there was one
    )
    counts["identite"] = 1
    kept = {kind: n for kind, n in counts.items() if n}
    PurgedFile.objects.create(person=person, purged_on=today, kept_until=kept_until, counts=kept)
    record(
        AuditAction.PURGE,
        username=ACTOR,
        person_public_id=person.public_id,
        spip_id=person.spip_id,
        object_type="person",
        object_id=str(person.public_id),
        object_label="Dossier anonymisé (durée de conservation échue)",
        details={"conserve_jusqu_au": kept_until.isoformat(), "elements": kept},
    )
    return kept


def purged_filter() -> Q:
    """People the purge has anonymised (for callers that want to leave them out)."""
    return Q(purged_file__isnull=False)
