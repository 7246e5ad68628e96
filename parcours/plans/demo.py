"""Demo plans d'accompagnement: about a third of the Lille antenna's caseload (every third person
with a referent), built through the services so that the journal and "À traiter" follow:

- most plans in force (agreed in interview, on paper or in the personal space), some in their
  second version (the first one replaced), with steps in every status — done, in progress, to do
  (some past due: "À traiter"), abandoned with a reason — a few given to a partner (France Travail
  Lille, org code ft-lille, and the other partner organisations present);
- some drafts still being prepared;
- the demo SPIP (SPIP du Nord) asks for the DPIP's countersignature (`PlanSettings`, turned on
  once the plans above are in force): a few plans agreed last wait in "Plans à contresigner".

Idempotent: a person who already has a plan is left alone. Composed by parcours.demo.seed (after
the people and their referents), `seed(orgs, users) -> counts`."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind, User
from parcours.people.models import Person
from parcours.rules.vocabulary import AgreementMode, StepActor, StepStatus

from . import services
from .models import Plan, Step
from .services import StepData

SEED = 1717
SHARE = 3  # one person in three
PARTNER_KEY = "ft-lille"  # parcours.accounts.demo.ORGANISATIONS

# (domain, goal, steps: (text, actor)), in the person's words as far as possible.
GOALS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "logement",
        "Trouver un logement stable à mon nom",
        [
            ("Déposer une demande de logement social", StepActor.PERSONNE),
            ("Orienter vers le SIAO pour un hébergement temporaire", StepActor.CPIP),
        ],
    ),
    (
        "emploi",
        "Reprendre une activité professionnelle",
        [
            ("S'inscrire à France Travail et rencontrer un conseiller", StepActor.PARTENAIRE),
            ("Mettre à jour mon CV", StepActor.PERSONNE),
            ("Point sur les démarches d'emploi en entretien", StepActor.CPIP),
        ],
    ),
    (
        "ressources",
        "Remettre de l'ordre dans mes dettes",
        [
            ("Rassembler les courriers des créanciers", StepActor.PERSONNE),
            ("Prendre rendez-vous avec l'assistante sociale du SPIP", StepActor.CPIP),
        ],
    ),
    (
        "sante",
        "Prendre soin de ma santé",
        [
            ("Prendre rendez-vous au CSAPA", StepActor.PERSONNE),
            ("Faire le point sur le suivi engagé", StepActor.CPIP),
        ],
    ),
    (
        "famille",
        "Renouer avec mes enfants",
        [("Contacter le service de médiation familiale", StepActor.PERSONNE)],
    ),
    (
        "numerique",
        "Faire mes démarches en ligne seul",
        [
            ("Participer à un atelier d'inclusion numérique", StepActor.PARTENAIRE),
            ("Créer mon adresse électronique", StepActor.PERSONNE),
        ],
    ),
    (
        "forces",
        "M'appuyer sur mon engagement sportif",
        [("Reprendre l'entraînement au club de boxe", StepActor.PERSONNE)],
    ),
]
WORDS = [
    "Je veux m'en sortir et avoir un chez-moi.",
    "Le travail, c'est ce qui compte pour moi maintenant.",
    "Je préfère avancer une étape après l'autre.",
    "",
]
MODES = [AgreementMode.ENTRETIEN, AgreementMode.SIGNATURE_PAPIER, AgreementMode.ESPACE_PERSONNEL]


def _partners(orgs: dict[str, Organisation]) -> list[Organisation]:
    """The active partner organisations, France Travail Lille (the walk-through's partner, demo
    key ft-lille) first."""
    first = orgs.get(PARTNER_KEY)
    rows = Organisation.objects.filter(kind=OrganisationKind.PARTENAIRE, is_active=True)
    others = [org for org in rows.order_by("name") if first is None or org.pk != first.pk]
    return ([first] if first is not None else []) + others


def _people(orgs: dict[str, Organisation]) -> list[Person]:
    lille = orgs.get("lille")
    if lille is None:
        return []
    rows = Person.objects.filter(antenna=lille, referent__isnull=False).select_related(
        "referent", "spip"
    )
    return [p for rank, p in enumerate(rows.order_by("pk")) if rank % SHARE == 0]


def _referent(person: Person) -> User:
    assert person.referent is not None  # _people keeps the people with a referent
    return person.referent


def _build(rng: random.Random, person: Person, partners: list[Organisation]) -> Plan:
    actor = _referent(person)
    plan = services.start_plan(actor, person)
    today = timezone.localdate()
    for domain, text, steps in rng.sample(GOALS, rng.randint(2, 4)):
        goal = services.add_goal(actor, plan, domain=domain, text=text)
        for step_text, who in steps:
            partner = partners[rng.randrange(min(len(partners), 3))] if partners else None
            if who == StepActor.PARTENAIRE and partner is None:
                who = StepActor.PERSONNE
            services.add_step(
                actor,
                goal,
                StepData(
                    text=step_text,
                    actor=who,
                    partner_id=partner.pk if who == StepActor.PARTENAIRE and partner else None,
                    due_on=today + timedelta(days=rng.randint(-30, 75)),
                ),
            )
    return plan


def _agree(rng: random.Random, plan: Plan, days_ago: int) -> Plan:
    plan.refresh_from_db()
    return services.record_agreement(
        _referent(plan.person),
        plan,
        agreed_on=timezone.localdate() - timedelta(days=days_ago),
        mode=rng.choice(MODES),
        person_words=rng.choice(WORDS),
        expected_version=plan.version,
    )


def _progress(rng: random.Random, plan: Plan) -> None:
    """Steps in every status: the past ones mostly done, some in progress, one abandoned."""
    today = timezone.localdate()
    steps = list(Step.objects.filter(goal__plan=plan).order_by("due_on", "pk"))
    for index, step in enumerate(steps):
        roll = rng.random()
        if step.due_on and step.due_on < today and roll < 0.6:
            status, reason = StepStatus.FAIT, ""
        elif roll < 0.3:
            status, reason = StepStatus.EN_COURS, ""
        elif index == len(steps) - 1 and roll > 0.85:
            status, reason = StepStatus.ABANDONNE, "La personne a trouvé une autre solution."
        else:
            continue
        done_on = min(step.due_on or today, today) if status == StepStatus.FAIT else None
        services.set_step_status(
            _referent(plan.person),
            step,
            status=status,
            reason=reason,
            done_on=done_on,
            expected_version=step.version,
        )


def seed(orgs: dict[str, Organisation], users: Any = None) -> dict[str, int]:
    rng = random.Random(SEED)
    partners = _partners(orgs)
    people = [p for p in _people(orgs) if not Plan.objects.filter(person=p).exists()]
    spip = orgs.get("spip59")
    counts = {"plans": 0, "plans_drafts": 0, "plans_to_countersign": 0}
    if not people:
        return counts
    with transaction.atomic():
        if spip is not None:
            services.update_settings(None, spip, countersignature_required=False)
        waiting: list[Plan] = []
        for rank, person in enumerate(people):
            plan = _build(rng, person, partners)
            kind = rank % 6
            if kind == 5:  # a draft being prepared
                counts["plans_drafts"] += 1
                continue
            if kind == 4:  # agreed last: waits for the DPIP once the setting is on
                waiting.append(plan)
                continue
            plan = _agree(rng, plan, days_ago=rng.randint(20, 120))
            _progress(rng, plan)
            if kind == 3:  # reviewed: a second version in force, the first one replaced
                second = services.start_plan(_referent(person), person)
                plan = _agree(rng, second, days_ago=rng.randint(0, 15))
            counts["plans"] += 1
        if spip is not None:
            services.update_settings(None, spip, countersignature_required=True)
        for plan in waiting:
            _agree(rng, plan, days_ago=rng.randint(0, 10))
            counts["plans_to_countersign"] += 1
    return counts
