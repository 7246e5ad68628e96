"""Demo dessaisissements: two files of La Réunion asked to the Nord SPIP by cpip.autre.demo, one
of them waiting for more than WAITING_DAYS days, so that dpip.demo sees "Reçus" with a late
one. Idempotent: nothing is created when a handover exists. Composed by parcours.demo,
`seed(orgs, users) -> counts`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from parcours.detention.models import Ecrou
from parcours.people.models import Person
from parcours.rules.handovers import WAITING_DAYS

from .models import Handover
from .services import request_handover

REQUESTS = (
    ("Déménagement à Lille pour un emploi en CDI (attestation de l'employeur au dossier).", 2),
    ("Installation chez sa compagne à Roubaix ; ordonnance de dessaisissement du JAP.", 14),
)


def seed(orgs: dict[str, Any], users: dict[str, Any]) -> dict[str, int]:
    if Handover.objects.exists():
        return {"handovers": 0}
    asker = users["cpip.autre.demo"]
    held = Ecrou.objects.filter(released_on__isnull=True).values("person_id")
    people = (
        Person.objects.filter(spip=orgs["spip974"], referent=asker)
        .exclude(pk__in=held)
        .order_by("pk")[: len(REQUESTS)]
    )
    fake = Faker("fr_FR")
    fake.seed_instance(2026)
    today = timezone.localdate()
    with transaction.atomic():
        for person, (reason, days_ago) in zip(people, REQUESTS, strict=False):
            handover = request_handover(
                acting_user=asker,
                person=person,
                to_spip=orgs["spip59"],
                reason=reason,
                new_address=f"{fake.street_address()}\n59000 Lille",
                jap_order_on=today - timedelta(days=days_ago + 1)
                if days_ago > WAITING_DAYS
                else None,
            )
            Handover.objects.filter(pk=handover.pk).update(
                created_at=timezone.now() - timedelta(days=days_ago)
            )
    return {"handovers": len(people)}
