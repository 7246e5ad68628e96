"""Prefill of a new report from the file: a registry of small functions keyed by prefill key.

A template section names its `prefill` key (data/templates.json); `prefill_content` calls the
function registered under that key. Adding a key is one function:

    @prefiller("rendez_vous")
    def appointments(ctx: PrefillContext) -> str: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from parcours.agenda.models import Appointment
from parcours.assessments.selectors import latest_completed
from parcours.assessments.selectors import summary as summary_of_assessment
from parcours.breaches.models import Breach
from parcours.detention.models import Ecrou, SentenceSituation
from parcours.ledgers.display import tig_cards, tig_ledgers
from parcours.measures.models import Measure
from parcours.measures.selectors import ExpectedEnd, expected_ends
from parcours.obligations.models import Obligation
from parcours.people.models import Person
from parcours.plans.selectors import plan_in_force
from parcours.plans.selectors import summary as summary_of_plan
from parcours.rules.agenda import AppointmentStatus, attendance
from parcours.rules.french import agree, count_phrase, short_date
from parcours.rules.ledgers import format_hours
from parcours.rules.measures import CURRENT_STATUSES
from parcours.rules.vocabulary import AssessmentKind, BreachKind

PREFILLERS: dict[str, Callable[[PrefillContext], str]] = {}


@dataclass(frozen=True)
class PrefillContext:
    person: Person
    measure: Measure | None
    today: date

    def measures(self) -> list[Measure]:
        if self.measure is not None:
            return [self.measure]
        return list(
            self.person.measures.filter(status__in=CURRENT_STATUSES)
            .select_related("measure_type", "tribunal")
            .order_by("-judgment_date", "-pk")
        )


def prefiller(key: str) -> Callable[[Callable[[PrefillContext], str]], Callable[..., str]]:
    def register(function: Callable[[PrefillContext], str]) -> Callable[[PrefillContext], str]:
        PREFILLERS[key] = function
        return function

    return register


def _d(day: date | None) -> str:
    return short_date(day) if day else "non renseignée"


def prefill_content(sections: list[dict[str, Any]], ctx: PrefillContext) -> dict[str, str]:
    content: dict[str, str] = {}
    for section in sections:
        key = section.get("prefill")
        function = PREFILLERS.get(key) if key else None
        content[section["key"]] = function(ctx) if function else ""
    return content


@prefiller("identite")
def identity(ctx: PrefillContext) -> str:
    p = ctx.person
    lines = [
        f"Nom d'usage : {p.last_name.upper()}",
        f"Prénoms : {p.first_names}",
    ]
    if p.birth_name:
        lines.append(f"Nom de naissance : {p.birth_name.upper()}")
    place = f" à {p.birth_place}" if p.birth_place else ""
    lines.append(f"{agree(p.sex, 'Né')} le {_d(p.birth_date)}{place}")
    if p.appi_number:
        lines.append(f"Numéro APPI : {p.appi_number}")
    lines.append(f"Hébergement : {p.get_housing_display()}")
    address = p.addresses.filter(until__isnull=True).order_by("-since", "-pk").first()
    if address is not None:
        lines.append(f"Adresse : {address.line}, {address.postal_code} {address.city}")
    return "\n".join(lines)


@prefiller("mesures")
def measures(ctx: PrefillContext) -> str:
    """The measures, each with the expected end the calendar shows (measures.selectors
    .expected_ends: computed from the timeline, the date entered only when nothing can be
    computed), never a second date of its own."""
    rows = ctx.measures()
    ends = expected_ends(ctx.person.pk, Q(pk__in=[m.pk for m in rows])) if rows else {}
    return "\n".join(_measure_line(m, ends.get(m.pk)) for m in rows) or "Aucune mesure en cours."


def _measure_line(m: Measure, end: ExpectedEnd | None) -> str:
    tribunal = f", {m.tribunal}" if m.tribunal_id else ""
    dates = f"jugement du {_d(m.judgment_date)}"
    if m.start_date:
        dates += f", début le {_d(m.start_date)}"
    if end is not None and end.words:
        dates += f", {end.words}"
    probation = f", délai d'épreuve de {m.probation_months} mois" if m.probation_months else ""
    return f"- {m.measure_type.label}{tribunal} : {dates}{probation} ({m.get_status_display()})"


@prefiller("obligations")
def obligations(ctx: PrefillContext) -> str:
    rows = (
        Obligation.objects.filter(measure__in=[m.pk for m in ctx.measures()])
        .select_related("obligation_type")
        .order_by("obligation_type__sort_order", "pk")
    )
    return "\n".join(_obligation_line(o) for o in rows) or (
        "Aucune obligation particulière enregistrée."
    )


def _obligation_line(o: Obligation) -> str:
    status = o.get_compliance_status_display() if o.compliance_status else "sans justificatif"
    detail = f" — {o.parameters_summary}" if o.parameters_summary else ""
    return f"- {o.obligation_type.label}{detail} ({o.obligation_type.article}) : {status}"


@prefiller("manquements")
def breaches(ctx: PrefillContext) -> str:
    since = ctx.today - timedelta(days=365)
    rows = Breach.objects.filter(person=ctx.person, occurred_on__gte=since).order_by(
        "-occurred_on", "-pk"
    )
    if ctx.measure is not None:
        rows = rows.filter(measure=ctx.measure)
    items = [
        f"- {_d(b.occurred_on)} : {b.get_kind_display()}"
        f"{' (grave)' if b.serious else ''} — suite : {b.get_chosen_step_display()}"
        f" ({b.get_followup_status_display().lower()})"
        for b in rows
    ]
    return "\n".join(items) or "Aucun manquement enregistré au cours des douze derniers mois."


@prefiller("tig")
def tig(ctx: PrefillContext) -> str:
    """The TIG registers, with the one due date of the register and the alerts (CP 131-22)."""
    ledgers = tig_ledgers(ctx.person)
    if ctx.measure is not None:
        ledgers = ledgers.filter(measure=ctx.measure)
    lines = []
    for card in tig_cards(ctx.person, list(ledgers), ctx.today):
        ledger, progress = card.ledger, card.progress
        if progress is None:
            lines.append(f"- TIG de {ledger.hours_ordered} h : {card.error}")
            continue
        lines.append(
            f"- TIG de {ledger.hours_ordered} h : {format_hours(progress.hours_done)} effectuées, "
            f"{format_hours(progress.remaining)} restantes, échéance le {_d(progress.deadline)}."
        )
        lines.extend(f"  {alert}" for alert in progress.alerts)
    return "\n".join(lines) or "Pas de travail d'intérêt général."


def _absence_breach_days(ctx: PrefillContext, since: date) -> list[date]:
    """Days of the recorded "Absence à une convocation" breaches over the same period (and the
    same measure) as the breaches section, so both sections count from the same records."""
    rows = Breach.objects.filter(
        person=ctx.person,
        kind=BreachKind.ABSENCE,
        occurred_on__gte=since,
        occurred_on__lte=ctx.today,
    )
    if ctx.measure is not None:
        rows = rows.filter(measure=ctx.measure)
    return sorted(set(rows.values_list("occurred_on", flat=True)), reverse=True)


@prefiller("rendez_vous")
def appointments(ctx: PrefillContext) -> str:
    """Appointments of the last twelve months: counts by outcome, then the missed ones.

    Each figure says what it counts, so that none reads as contradicting another screen: the
    appointments of the agenda as the Synthèse's « Rendez-vous » panel counts them; the
    recorded « Absence à une convocation » breaches (manquements) on their own line; when some
    of those fall on a day with no appointment marked absent, the total of unexcused absences
    from both sources, each absence once."""
    since = ctx.today - timedelta(days=365)
    rows = list(
        Appointment.objects.filter(
            person=ctx.person, starts_at__date__gte=since, starts_at__date__lte=ctx.today
        )
        .exclude(status=AppointmentStatus.REPORTE)
        .select_related("appointment_type", "place__spip")
        .order_by("-starts_at")
    )
    absent_days = {a.local_start.date() for a in rows if a.status == AppointmentStatus.ABSENT}
    breach_days = _absence_breach_days(ctx, since)
    breach_only = [d for d in breach_days if d not in absent_days]
    if not rows and not breach_days:
        return "Aucun rendez-vous au cours des douze derniers mois."
    summary = attendance(AppointmentStatus(a.status) for a in rows)
    lines = [
        "Rendez-vous de l'agenda sur les douze derniers mois : "
        f"{count_phrase(summary.honoured, 'rendez-vous honoré', 'rendez-vous honorés')}, "
        f"{count_phrase(summary.absent, 'absence non excusée', 'absences non excusées')}, "
        f"{count_phrase(summary.excused, 'absence excusée', 'absences excusées')}."
    ]
    if breach_days:
        same_day = len(breach_days) - len(breach_only)
        both = f", dont {same_day} le jour d'un rendez-vous marqué absent" if same_day else ""
        recorded = count_phrase(
            len(breach_days), "absence à une convocation", "absences à une convocation"
        )
        lines.append(f"Manquements enregistrés sur la même période : {recorded}{both}.")
    if breach_only:
        total = summary.absent + len(breach_only)
        lines.append(
            f"Au total, {count_phrase(total, 'absence non excusée', 'absences non excusées')} "
            "(rendez-vous marqués absents et absences enregistrées comme manquements un autre "
            "jour)."
        )
    missed: list[tuple[date, str]] = []
    for appointment in rows:
        if appointment.status not in (AppointmentStatus.ABSENT, AppointmentStatus.EXCUSE):
            continue
        reason = f" — {appointment.outcome_reason}" if appointment.outcome_reason else ""
        missed.append(
            (
                appointment.local_start.date(),
                f"{appointment.appointment_type.label}, "
                f"{appointment.get_status_display().lower()}{reason}",
            )
        )
    missed.extend((day, "absence à une convocation (manquement enregistré)") for day in breach_only)
    missed.sort(key=lambda item: item[0], reverse=True)
    lines.extend(f"- {_d(day)} : {text}" for day, text in missed[:10])
    return "\n".join(lines)


# --- Milieu fermé (avis à la CAP) ---------------------------------------------------------------


def _open_ecrou(person: Person) -> Ecrou | None:
    return (
        Ecrou.objects.filter(person=person, released_on__isnull=True)
        .select_related("establishment")
        .order_by("-start", "-pk")
        .first()
    )


def _length(years: int, months: int, days: int) -> str:
    parts = []
    if years:
        parts.append(f"{years} an{'s' if years > 1 else ''}")
    if months:
        parts.append(f"{months} mois")
    if days:
        parts.append(f"{days} jour{'s' if days > 1 else ''}")
    return " ".join(parts) or "0 jour"


@prefiller("detention")
def detention(ctx: PrefillContext) -> str:
    """The open écrou: establishment, number, start, the sentences in execution order, custody
    to deduct and reduction decisions."""
    ecrou = _open_ecrou(ctx.person)
    if ecrou is None:
        return "Aucun écrou en cours enregistré."
    lines = [
        f"Établissement : {ecrou.establishment}",
        f"Écrou n° {ecrou.number} du {_d(ecrou.start)}",
        "Peines à exécuter :",
    ]
    for s in ecrou.sentences.order_by("rank", "pk"):
        facts = []
        if s.recidive:
            facts.append("récidive légale")
        if s.surete_years or s.surete_months or s.surete_days:
            facts.append(
                "période de sûreté de " + _length(s.surete_years, s.surete_months, s.surete_days)
            )
        court = f", {s.court}" if s.court else ""
        judged = f" du {_d(s.judged_on)}" if s.judged_on else ""
        offence = f" — {s.offence}" if s.offence else ""
        extra = f" ({', '.join(facts)})" if facts else ""
        lines.append(
            f"- {_length(s.years, s.months, s.days)} ({s.get_nature_display().lower()})"
            f"{court}{judged}{offence}{extra}"
        )
    for c in ecrou.prior_custody.order_by("start", "pk"):
        lines.append(
            f"Détention à imputer : {c.get_kind_display()} du {_d(c.start)} au {_d(c.end)} "
            f"({count_phrase(c.days, 'jour')}, CPP art. 716-4)"
        )
    for r in ecrou.reductions.order_by("granted_on", "pk"):
        amount = _length(0, r.months, r.days)
        state = "retirée" if r.withdrawn else "accordée"
        lines.append(f"{r.get_kind_display()} : {amount} {state} le {_d(r.granted_on)}")
    return "\n".join(lines)


@prefiller("situation_penale")
def sentence_situation(ctx: PrefillContext) -> str:
    """The dates computed for the open écrou, each with what it depends on (the engine's
    explanation)."""
    ecrou = _open_ecrou(ctx.person)
    situation = SentenceSituation.objects.filter(ecrou=ecrou).first() if ecrou is not None else None
    if situation is None:
        return "Situation pénale non calculée."
    if situation.error:
        return f"Situation pénale non calculée : {situation.error}"
    lines = [f"Dates calculées au {_d(situation.as_of)} (indicatives ; le JAP décide) :"]
    rows = [
        ("Date de libération prévue", situation.release_date),
        ("Libération conditionnelle possible à partir du", situation.lc_from),
        ("Libération conditionnelle parentale possible à partir du", situation.lc_parental_from),
        ("Examen obligatoire (CPP art. 720 ou 730-3) le", situation.examination_on),
        ("Libération sous contrainte de plein droit le", situation.lsc_on),
        ("Reste à subir d'au plus un an à partir du", situation.one_year_on),
        ("Reste à subir d'au plus six mois à partir du", situation.six_months_on),
    ]
    lines.extend(f"- {label} : {_d(day)}" for label, day in rows if day)
    steps = situation.result.get("explanation") if isinstance(situation.result, dict) else None
    if isinstance(steps, list) and steps:
        lines.append("Ce dont elles dépendent :")
        for step in steps:
            if isinstance(step, dict):
                article = f" ({step.get('article')})" if step.get("article") else ""
                lines.append(f"- {step.get('text', '')}{article}")
    return "\n".join(lines)


# --- Accompaniment (issue 17): the structured assessment and the plan in force -----------------


@prefiller("evaluation")
def assessment(ctx: PrefillContext) -> str:
    """The latest finished assessment: per domain the CPIP's judgement, its reasons and the
    person's own view (no score: structured professional judgement, ADR 0021)."""
    latest = latest_completed(ctx.person)
    if latest is None:
        return "Aucune évaluation structurée terminée."
    lines = [f"{AssessmentKind(latest.kind).label} terminée le {_d(latest.completed_on)}."]
    for domain, need, view, reasons in summary_of_assessment(latest):
        if not (need or view or reasons):
            continue
        line = f"- {domain}" + (f" : {need.lower()}" if need else "")
        if reasons:
            line += f". Motifs : {reasons}"
        if view:
            line += f". Point de vue de la personne : « {view} »"
        lines.append(line + ("" if line.endswith(("»", ".")) else "."))
    return "\n".join(lines)


@prefiller("plan")
def plan(ctx: PrefillContext) -> str:
    """The plan in force, goals by domain and steps with who acts and where they stand."""
    return summary_of_plan(plan_in_force(ctx.person))
