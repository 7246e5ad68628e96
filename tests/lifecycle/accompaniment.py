"""One row of every kind of issues 17 and 18 for a person (synthetic), each carrying a marker
the right-of-access and purge tests look for: assessments, plan, referral with a session,
received SMS, check-in with a stored proof, reply to a convocation, the space's account,
notice, session, sign-in code and log."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from parcours.agenda.models import AppointmentReply
from parcours.assessments import services as assessment_services
from parcours.checkins.models import Checkin
from parcours.notifications.models import InboundMessage
from parcours.obligations import storage
from parcours.partners.models import ReferralSession
from parcours.plans import services as plan_services
from parcours.plans.services import StepData
from parcours.rules.vocabulary import AttemptKind, DigitalChannel, StepActor
from parcours.space.models import (
    PersonSession,
    SignInAttempt,
    SignInChallenge,
    SpaceAccount,
    SpaceNotice,
)

from ..agenda.factories import make_appointment
from ..assessments.factories import ALL_JUDGED, finished
from ..checkins.factories import make_plan
from ..obligations.factories import tiny_image
from ..partners.factories import make_referral


@dataclass
class Markers:
    """The texts written for one person, and the secrets that must never be exported."""

    texts: dict[str, str]
    secrets: list[str]
    checkin_proof: str


def fill(cast: Any, person: Any, tag: str) -> Markers:
    texts = {
        "person_view": f"{tag} : je veux un logement à moi",
        "reasons": f"{tag} : hébergé chez un tiers depuis six mois",
        "goal": f"{tag} : trouver un logement stable",
        "step": f"{tag} : déposer une demande SIAO",
        "referral": f"{tag} : orientation vers l'emploi",
        "session": f"{tag} : présent et motivé",
        "sms": f"{tag} : je serai en retard",
        "checkin": f"{tag} : j'ai commencé ma formation",
        "review": f"{tag} : vu, rien à signaler",
        "reply": f"{tag} : je travaille ce jour-là",
        "notice": f"{tag} : pensez à votre justificatif",
    }
    author = person.referent or cast.cpip
    judgements = dict(ALL_JUDGED)
    judgements["logement"] = {
        "need": "important",
        "person_view": texts["person_view"],
        "reasons": texts["reasons"],
    }
    finished(person, author=author, judgements=judgements)
    assessment_services.record_digital_self_assessment(
        person,
        {"numerique.acces": "oui", "numerique.courriel": "aide"},
        DigitalChannel.PAPIER,
        None,
    )
    plan = plan_services.start_plan(author, person)
    goal = plan_services.add_goal(author, plan, domain="logement", text=texts["goal"])
    plan_services.add_step(author, goal, StepData(text=texts["step"], actor=StepActor.PERSONNE))
    referral = make_referral(cast, person=person, reason=texts["referral"])
    ReferralSession.objects.create(
        referral=referral,
        day=date(2027, 3, 2),
        attended=True,
        note=texts["session"],
        recorded_by=cast.cpip,
    )
    now = timezone.now()
    InboundMessage.objects.create(
        provider_message_id=f"sms-{tag}",
        number="+33600000000",
        text=texts["sms"],
        received_at=now,
        keyword="autre",
        match="personne",
        person=person,
    )
    checkin = Checkin.objects.create(
        plan=make_plan(person, created_by=author),
        person=person,
        due_date=timezone.localdate() - timedelta(days=1),
        answered_at=now,
        message=texts["checkin"],
        review="vu",
        review_comment=texts["review"],
        proof_path=storage.write(tiny_image(), "png", "controles"),
        proof_name="attestation.png",
    )
    AppointmentReply.objects.create(
        appointment=make_appointment(cast, person=person),
        answer="empeche",
        reason=texts["reply"],
        channel="espace",
    )
    SpaceAccount.objects.create(person=person, enabled=True, last_sign_in_at=now)
    SpaceNotice.objects.create(person=person, author=author, text=texts["notice"], created_at=now)

    def digest(what: str) -> str:
        return hashlib.sha256(f"{tag}-{what}".encode()).hexdigest()

    secrets = [digest("session"), digest("challenge"), digest("identifier"), digest("code")]
    secrets.append("203.0.113.77")
    PersonSession.objects.create(
        token_hash=secrets[0],
        person=person,
        created_at=now - timedelta(hours=3),
        last_seen_at=now - timedelta(hours=2),
        ended_at=now - timedelta(hours=2),
        ip=secrets[4],
    )
    SignInChallenge.objects.create(
        token_hash=secrets[1],
        identifier_hash=secrets[2],
        person=person,
        code_hash=secrets[3],
        created_at=now - timedelta(hours=3),
        expires_at=now - timedelta(hours=3) + timedelta(minutes=10),
        used_at=now - timedelta(hours=3),
    )
    SignInAttempt.objects.create(
        kind=AttemptKind.REUSSI,
        identifier_hash=secrets[2],
        ip=secrets[4],
        person=person,
        at=now - timedelta(hours=3),
    )
    return Markers(texts, secrets, checkin.proof_path)
