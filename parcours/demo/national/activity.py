"""What the follow-up leaves behind in the national dataset: ~10 appointments, ~15 notes (with
their first version and search keys) and ~100 journal rows per person."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from parcours.agenda.models import Appointment, AppointmentType
from parcours.audit import chain
from parcours.audit.models import AuditAction, AuditEvent
from parcours.audit.services import lock_and_read_last_hash
from parcours.measures.demo import pick
from parcours.notes.models import Note, NoteKind, NoteVersion
from parcours.rules.agenda import AppointmentStatus, is_closed_day

from .state import Run

APPOINTMENTS_PER_PERSON = 10
NOTES_PER_PERSON = 15
AUDIT_PER_PERSON = 100
APPOINTMENT_STATUS_PAST = [
    (AppointmentStatus.HONORE.value, 80),
    (AppointmentStatus.ABSENT.value, 8),
    (AppointmentStatus.EXCUSE.value, 7),
    (AppointmentStatus.ANNULE.value, 5),
]
APPOINTMENT_FIELDS = (
    "id public_id person_id spip_id appointment_type_id place_id agenda_id agent_id starts_at "
    "ends_at status outcome_reason outcome_proof outcome_at outcome_by_id arrived_at comment "
    "version created_at created_by_id"
)
NOTE_FIELDS = (
    "id public_id person_id spip_id measure_id kind event_date author_id sensitive body_html "
    "body_text search_text version created_at updated_at"
)
NOTE_VERSION_FIELDS = (
    "id note_id version edited_by_id edited_at kind event_date sensitive body_html"
)
AUDIT_FIELDS = (
    "id at actor_id actor_username actor_role actor_organisation spip_id action object_type "
    "object_id object_label person_public_id motif motif_detail request_id ip_address details "
    "prev_hash row_hash"
)


def _uuid(run: Run) -> uuid.UUID:
    return uuid.UUID(int=run.rng.getrandbits(128), version=4)


class OpenDays:
    """The first open day (no weekend, no national holiday) from a day, remembered."""

    def __init__(self) -> None:
        self.closed: dict[date, bool] = {}

    def first_from(self, day: date) -> date:
        for _ in range(7):
            if day not in self.closed:
                self.closed[day] = is_closed_day(day, None, weekend_allowed=False) is not None
            if not self.closed[day]:
                return day
            day += timedelta(days=1)
        return day


def _appointments(run: Run) -> Iterator[tuple[Any, ...]]:
    """About one appointment in eight ahead, the others over the last 18 months; a few today so
    that the agenda of the day is filled. The first one is the first convocation."""
    rng, now, today = run.rng, run.now, run.today
    types = {t.code: t for t in AppointmentType.objects.all()}
    suivi, first = types["suivi"], types["premiere_convocation"]
    open_days = OpenDays()
    aid = run.loader.writer.next_id(Appointment)
    for person in run.people:
        agenda = run.agendas[person.referent_id]
        n = rng.randint(APPOINTMENTS_PER_PERSON - 3, APPOINTMENTS_PER_PERSON + 3)
        offsets = sorted(rng.randint(-540, -1) for _ in range(n - 1))
        offsets.append(0 if rng.random() < 0.03 else rng.randint(1, 60))
        for k, offset in enumerate(offsets):
            day = open_days.first_from(today + timedelta(days=offset)) if offset else today
            local = datetime.combine(
                day, dtime(rng.randint(8, 16), rng.choice((0, 15, 30, 45))), tzinfo=person.tz
            )
            starts = local.astimezone(UTC)
            past = starts < now
            status = pick(rng, APPOINTMENT_STATUS_PAST) if past else AppointmentStatus.PLANIFIE
            done = status != AppointmentStatus.PLANIFIE
            yield (
                aid,
                _uuid(run),
                person.id,
                person.spip_id,
                (first if k == 0 else suivi).pk,
                agenda.place_id,
                agenda.pk,
                person.referent_id,
                starts,
                starts + timedelta(minutes=45),
                str(status),
                "Certificat médical" if status == AppointmentStatus.EXCUSE else "",
                "",
                starts + timedelta(hours=1) if done else None,
                person.referent_id if done else None,
                starts if status == AppointmentStatus.HONORE else None,
                "",
                1,
                now,
                person.referent_id,
            )
            aid += 1


@dataclass(frozen=True)
class FirstVersion:
    """What a note's first version repeats."""

    note_id: int
    author_id: int
    kind: str
    day: date
    sensitive: bool
    body_html: str


def _notes(run: Run, versions: list[FirstVersion]) -> Iterator[tuple[Any, ...]]:
    """Notes over the last two years, their texts picked from the pools; each note's first
    version goes to `versions`."""
    rng, now = run.rng, run.now
    kinds = [k.value for k in NoteKind]
    nid = run.loader.writer.next_id(Note)
    for person in run.people:
        for _ in range(rng.randint(NOTES_PER_PERSON - 5, NOTES_PER_PERSON + 5)):
            body_html, plain, keys = run.pools.notes[rng.randrange(len(run.pools.notes))]
            kind = rng.choice(kinds)
            day = run.today - timedelta(days=rng.randint(0, 700))
            sensitive = rng.random() < 0.02
            versions.append(FirstVersion(nid, person.referent_id, kind, day, sensitive, body_html))
            yield (
                nid,
                _uuid(run),
                person.id,
                person.spip_id,
                person.measure_ids[0] if person.measure_ids else None,
                kind,
                day,
                person.referent_id,
                sensitive,
                body_html,
                plain,
                keys,
                1,
                now,
                now,
            )
            nid += 1


def _versions(run: Run, versions: list[FirstVersion]) -> Iterator[tuple[Any, ...]]:
    vid = run.loader.writer.next_id(NoteVersion)
    for v in versions:
        yield (vid, v.note_id, 1, v.author_id, run.now, v.kind, v.day, v.sensitive, v.body_html)
        vid += 1


def _journal(run: Run) -> Iterator[tuple[Any, ...]]:
    """Consultations (85 %) and changes of each person's file by their referent, over two
    years; each row chained to the previous one like `audit.services.record` does (ADR 0003),
    after the journal's last row."""
    rng, now = run.rng, run.now
    staff = {u.pk: u for info in run.spips for u in [*info.cpips, info.dpip] if u is not None}
    spip_names = {info.org.pk: info.org.name for info in run.spips}
    eid = run.loader.writer.next_id(AuditEvent)
    prev = lock_and_read_last_hash()
    names = AUDIT_FIELDS.split()
    fields = chain.content_fields()
    for person in run.people:
        actor = staff[person.referent_id]
        org_name = spip_names[person.spip_id]
        label = f"Dossier {person.id}"
        for _ in range(rng.randint(AUDIT_PER_PERSON - 20, AUDIT_PER_PERSON + 20)):
            consultation = rng.random() < 0.85
            row: tuple[Any, ...] = (
                eid,
                now - timedelta(seconds=rng.randint(60, 730 * 86400)),
                actor.pk,
                actor.username,
                actor.role,
                org_name,
                person.spip_id,
                AuditAction.CONSULTATION if consultation else AuditAction.MODIFICATION,
                "person",
                str(person.public_id),
                label,
                person.public_id,
                "referent" if consultation else "",
                "",
                uuid.UUID(int=rng.getrandbits(128)).hex,
                "10.0.0.1",
                {},
            )
            row_hash = chain.link(prev, dict(zip(names, row, strict=False)), fields)
            yield (*row, prev, row_hash)
            prev = row_hash
            eid += 1


def load_activity(run: Run, audit: bool) -> None:
    """Appointments, notes and their first versions, then (when `audit`) the journal."""
    load = run.loader.load
    load("appointments", "rendez-vous", Appointment, APPOINTMENT_FIELDS, _appointments(run))
    versions: list[FirstVersion] = []
    load("notes", "notes", Note, NOTE_FIELDS, _notes(run, versions))
    load("note versions", "versions", NoteVersion, NOTE_VERSION_FIELDS, _versions(run, versions))
    versions.clear()
    if audit:
        load("audit", "journal", AuditEvent, AUDIT_FIELDS, _journal(run))
