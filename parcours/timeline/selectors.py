"""One chronological view per person (the selector of the timeline page): measures, obligations,
proofs, manquements, referents, addresses and the case notes the reader may see, in a constant
number of queries (one per kind of event), all starting from a person whose file is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from parcours.breaches.models import Breach
from parcours.measures.models import Measure
from parcours.obligations.models import Obligation, Proof
from parcours.people.models import Address, Assignment, Person

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.notes.models import Note

KINDS = {
    "mesure": "Mesure",
    "obligation": "Obligation",
    "justificatif": "Justificatif",
    "manquement": "Manquement",
    "suivi": "Référent",
    "adresse": "Adresse",
    "note": "Note",
}


@dataclass(frozen=True)
class Event:
    day: date
    kind: str
    title: str
    detail: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def person_timeline(
    person: Person,
    kinds: set[str] | None = None,
    *,
    notes: QuerySet[Note] | None = None,
) -> list[Event]:
    """Newest first. `kinds` limits the event kinds (keys of KINDS). Notes appear only when the
    caller passes `notes`, the notes the reader may see (`notes.access.visible_notes`)."""
    wanted = kinds or set(KINDS)
    events: list[Event] = []
    if "mesure" in wanted:
        for m in Measure.objects.filter(person=person).select_related("measure_type", "tribunal"):
            label = m.measure_type.label
            court = f" ({m.tribunal})" if m.tribunal else ""
            events.append(Event(m.judgment_date, "mesure", f"Jugement : {label}{court}"))
            if m.start_date:
                events.append(Event(m.start_date, "mesure", f"Début : {label}"))
            if m.end_date and m.end_date <= timezone.localdate():
                events.append(Event(m.end_date, "mesure", f"Fin : {label}"))
    if "obligation" in wanted:
        obligations = Obligation.objects.filter(measure__person=person).select_related(
            "obligation_type"
        )
        for o in obligations:
            label = f"{o.obligation_type.number} {o.obligation_type.label}"
            events.append(
                Event(o.imposed_on, "obligation", f"Obligation imposée : {label}", o.proof_type)
            )
    if "justificatif" in wanted:
        proofs = Proof.objects.filter(obligation__measure__person=person).select_related(
            "obligation__obligation_type"
        )
        for p in proofs:
            what = f"{p.get_kind_display()} — {p.obligation.obligation_type.label}"
            events.append(Event(p.received_on, "justificatif", f"Justificatif reçu : {what}"))
            if p.decided_at:
                detail = p.decision_reason or ""
                events.append(
                    Event(
                        _day(p.decided_at),
                        "justificatif",
                        f"Justificatif {p.get_status_display().lower()} : {what}",
                        detail,
                    )
                )
    if "manquement" in wanted:
        for b in Breach.objects.filter(person=person):
            events.append(Event(b.occurred_on, "manquement", str(b), b.facts[:200]))
            if b.followup_done_on:
                events.append(
                    Event(
                        b.followup_done_on, "manquement", f"Suite : {b.get_chosen_step_display()}"
                    )
                )
    if "suivi" in wanted:
        for a in Assignment.objects.filter(person=person).select_related("cpip"):
            events.append(
                Event(_day(a.started_at), "suivi", f"Suivi par {a.cpip.get_full_name()}", a.reason)
            )
    if "adresse" in wanted:
        for ad in Address.objects.filter(person=person):
            events.append(Event(ad.since, "adresse", f"Nouvelle adresse : {ad}"))
    if "note" in wanted and notes is not None:
        for n in notes.filter(person=person).select_related("author"):
            author = n.author.get_full_name() or n.author.username
            flag = " (sensible)" if n.sensitive else ""
            events.append(
                Event(
                    n.event_date,
                    "note",
                    f"{n.get_kind_display()}{flag} — {author}",
                    n.body_text[:200],
                )
            )
    events.sort(key=lambda e: e.day, reverse=True)
    return events
