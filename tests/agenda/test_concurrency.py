"""Two agents book the last place of a slot at the same moment: two real PostgreSQL connections
(one per thread), both transactions open before either takes the place. One succeeds, the other
gets a clear French message; the slot is never overbooked.

The slot is the place's shared agenda's (no agent): an agent's own slots are also serialised by
the lock on the agent's row (agenda.services._lock_agent, taken before the place), so the race
on the slot's conditional increment is the one of a shared agenda."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from parcours.agenda import services
from parcours.agenda.models import Agenda, Appointment, Slot
from parcours.agenda.services import BookingRefused, BookingRequest
from tests.conftest import Cast
from tests.factories import PersonFactory

from .factories import agenda_for, appointment_type, next_open_day, place_for, with_slots

# Skipped before any database set-up on SQLite (one writer at a time: nothing to race).
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-level concurrency is a PostgreSQL property (SQLite locks the database)",
)


def test_two_agents_book_the_last_place_at_once(
    allow_flush: None, cast: Cast, monkeypatch: Any
) -> None:
    shared = Agenda.objects.create(place=place_for(cast), agent=None, label="Agenda de l'accueil")
    agenda = with_slots(shared)
    slot = Slot.objects.filter(agenda=agenda, starts_at__gt=timezone.now()).order_by("starts_at")[0]
    other = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2)
    both_inside = threading.Barrier(2, timeout=20)
    take_place = services._take_place

    def slow_take_place(target: Slot) -> None:
        both_inside.wait()  # both bookings are inside their transaction
        take_place(target)
        time.sleep(0.3)  # the winner holds the row lock while the other one tries

    monkeypatch.setattr(services, "_take_place", slow_take_place)
    results: dict[str, str] = {}

    def book(name: str, user: Any, person: Any) -> None:
        try:
            services.book(
                acting_user=user,
                req=BookingRequest(
                    person=person,
                    appointment_type=appointment_type(),
                    agenda=agenda,
                    starts_at=slot.starts_at,
                    duration=45,
                    slot=slot,
                ),
            )
            results[name] = "ok"
        except BookingRefused as refused:
            results[name] = str(refused)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=("secretariat", cast.secretariat, cast.person)),
        threading.Thread(target=book, args=("cpip2", cast.cpip2, other)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["cpip2", "secretariat"]
    outcomes = sorted(results.values())
    assert outcomes[0].startswith("Ce créneau vient d'être complété"), outcomes
    assert outcomes[1] == "ok", outcomes
    slot.refresh_from_db()
    assert slot.booked == 1
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_two_bookings_of_one_agent_at_the_same_time_never_both_pass(
    allow_flush: None, cast: Cast, monkeypatch: Any
) -> None:
    """Two people booked in the same agent's free time at the same hour, both transactions open
    at once (the overlap check every booking path now makes, under a race). The lock on the
    agent's row makes the second wait and then see the first appointment: one succeeds, the
    other gets the French refusal, the agent never holds two overlapping appointments."""
    agenda = agenda_for(cast)
    starts = next_open_day(agenda)
    other = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    both_inside = threading.Barrier(2, timeout=20)
    lock_agent = services._lock_agent

    def slow_lock(agent_id: int | None) -> None:
        both_inside.wait()  # both bookings are inside their transaction
        lock_agent(agent_id)
        time.sleep(0.3)  # the winner holds the agent's row while the other one asks for it

    monkeypatch.setattr(services, "_lock_agent", slow_lock)
    results: dict[str, str] = {}

    def book(name: str, person: Any) -> None:
        try:
            services.book(
                acting_user=cast.cpip,
                req=BookingRequest(
                    person=person,
                    appointment_type=appointment_type(),
                    agenda=agenda,
                    starts_at=starts,
                    duration=45,
                ),
            )
            results[name] = "ok"
        except BookingRefused as refused:
            results[name] = str(refused)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=("first", cast.person)),
        threading.Thread(target=book, args=("second", other)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["first", "second"]
    outcomes = sorted(results.values())
    assert outcomes[0].startswith("L'agent a déjà un rendez-vous à cette heure-là"), outcomes
    assert outcomes[1] == "ok", outcomes
    assert Appointment.objects.filter(agent=cast.cpip, starts_at=starts).count() == 1
