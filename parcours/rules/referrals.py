"""Referrals (orientations) to partners, pure rules: the referral kinds as data and their
minimal data sets, and the status machine as a table.

- Each kind names the partner kinds that deliver it, the EXACT fields a partner may see
  (`fields`, the minimal data set: loi n° 78-17 art. 4 3° and RGPD art. 5 1 c), minimisation,
  row R-REFERRAL-MINIMISATION of docs/legal-sources.md; ADR 0019), whether the person's consent
  is required before sending (not when the referral serves an obligation the court imposed,
  e.g. CP art. 132-45 1° or 3°), which obligation types an attestation of the partner proves
  (it lands as a justificatif pending the CPIP's decision), and whether the partner records TIG
  hours (CP art. 131-8, 131-22: hours pending the CPIP's validation, row R-REFERRAL-TIG).
- The transitions are a table (TRANSITIONS): (status, action) → (new status, who may do it).
  `next_status` answers the new status or raises ValueError with a French reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parcours.rules.choices import Choices
from parcours.rules.vocabulary import PartnerKind, ReferralStatus, StepStatus


class Field(Choices):
    """What a partner may be shown of the person's file, one item of a data set."""

    IDENTITE = "identite", "Identité (nom, prénoms, date de naissance)"
    CONTACT = "contact", "Coordonnées (téléphone, adresse électronique)"
    ADRESSE = "adresse", "Adresse actuelle"
    LOGEMENT = "logement", "Situation de logement"
    OBLIGATION = "obligation", "L'obligation que l'orientation sert (intitulé et article)"
    TIG = "tig", "Travail d'intérêt général (heures ordonnées, délai)"


@dataclass(frozen=True)
class ReferralKind:
    code: str
    label: str
    partner_kinds: frozenset[str]
    fields: frozenset[Field]
    consent_required: bool
    proof_obligations: tuple[str, ...] = ()  # obligation type codes an attestation proves
    tig_hours: bool = False
    help: str = ""


# Every data set has the identity (the partner must know whom it receives); the CPIP's text for
# the partner (`reason`) is always shown and written for it. Never: the offence, the measure's
# details, the notes, the reports, health details, the victims.
KINDS: tuple[ReferralKind, ...] = (
    ReferralKind(
        "france_travail_emploi",
        "France Travail — accompagnement vers l'emploi",
        frozenset({PartnerKind.FRANCE_TRAVAIL}),
        frozenset({Field.IDENTITE, Field.CONTACT, Field.OBLIGATION}),
        consent_required=False,
        proof_obligations=("cp_132_45_1",),
        help="Identité, coordonnées et l'obligation de travailler ; rien de l'infraction.",
    ),
    ReferralKind(
        "mission_locale",
        "Mission locale — insertion des 16-25 ans",
        frozenset({PartnerKind.MISSION_LOCALE}),
        frozenset({Field.IDENTITE, Field.CONTACT, Field.OBLIGATION}),
        consent_required=True,
        proof_obligations=("cp_132_45_1",),
        help="Identité, coordonnées, l'obligation de formation s'il y en a une ; accord requis.",
    ),
    ReferralKind(
        "siao_hebergement",
        "SIAO — demande d'hébergement",
        frozenset({PartnerKind.SIAO}),
        frozenset({Field.IDENTITE, Field.CONTACT, Field.ADRESSE, Field.LOGEMENT}),
        consent_required=True,
        proof_obligations=("cp_132_45_2",),
        help="Identité, coordonnées, adresse et situation de logement ; accord requis.",
    ),
    ReferralKind(
        "csapa_soins",
        "CSAPA — soins en addictologie",
        frozenset({PartnerKind.CSAPA}),
        frozenset({Field.IDENTITE, Field.CONTACT, Field.OBLIGATION}),
        consent_required=False,
        proof_obligations=("cp_132_45_3",),
        help="Identité, coordonnées et l'obligation de soins ; aucun détail de santé du dossier.",
    ),
    ReferralKind(
        "accompagnement_associatif",
        "Association — accompagnement social",
        frozenset({PartnerKind.ASSOCIATION, PartnerKind.AUTRE}),
        frozenset({Field.IDENTITE, Field.CONTACT}),
        consent_required=True,
        proof_obligations=("cp_132_45_15", "cp_132_45_20"),
        help="Identité et coordonnées seulement ; accord requis.",
    ),
    ReferralKind(
        "tig",
        "Travail d'intérêt général — placement",
        frozenset({PartnerKind.TIG}),
        frozenset({Field.IDENTITE, Field.CONTACT, Field.TIG}),
        consent_required=False,
        tig_hours=True,
        help="Identité, coordonnées, heures ordonnées et délai ; la structure saisit les heures.",
    ),
)
BY_CODE = {kind.code: kind for kind in KINDS}
KIND_CHOICES = [(kind.code, kind.label) for kind in KINDS]


def kind(code: str) -> ReferralKind:
    """The kind of `code`; ValueError (French) for an unknown one."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValueError(f"Type d'orientation inconnu : « {code} ».") from None


def kinds_for_partner(partner_kind: str) -> list[ReferralKind]:
    return [k for k in KINDS if partner_kind in k.partner_kinds]


# --- The status machine -------------------------------------------------------------------------


class Actor(Choices):
    SPIP = "spip", "Le SPIP"
    PARTENAIRE = "partenaire", "Le partenaire"


class Action(Choices):
    ENVOYER = "envoyer", "Envoyer au partenaire"
    ANNULER = "annuler", "Annuler"
    ACCEPTER = "accepter", "Accepter"
    REFUSER = "refuser", "Refuser"
    DEBUTER = "debuter", "Commencer l'accompagnement"
    TERMINER = "terminer", "Terminer l'accompagnement"
    CLOTURER = "cloturer", "Clôturer"


S = ReferralStatus
TRANSITIONS: dict[tuple[str, str], tuple[str, Actor]] = {
    (S.BROUILLON, Action.ENVOYER): (S.ENVOYEE, Actor.SPIP),
    (S.BROUILLON, Action.ANNULER): (S.ANNULEE, Actor.SPIP),
    (S.ENVOYEE, Action.ANNULER): (S.ANNULEE, Actor.SPIP),
    (S.ENVOYEE, Action.ACCEPTER): (S.ACCEPTEE, Actor.PARTENAIRE),
    (S.ENVOYEE, Action.REFUSER): (S.REFUSEE, Actor.PARTENAIRE),
    (S.ACCEPTEE, Action.DEBUTER): (S.EN_COURS, Actor.PARTENAIRE),
    (S.EN_COURS, Action.TERMINER): (S.TERMINEE, Actor.PARTENAIRE),
    (S.TERMINEE, Action.CLOTURER): (S.CLOTUREE, Actor.SPIP),
    (S.REFUSEE, Action.CLOTURER): (S.CLOTUREE, Actor.SPIP),
}
# Sessions (and attestations, TIG hours) are recorded while the referral is accepted or running;
# the first session starts it (acceptée → en cours).
SESSION_STATUSES = frozenset({S.ACCEPTEE, S.EN_COURS})
# What a partner ever sees: a referral once sent (never a draft, never a cancelled draft).
PARTNER_VISIBLE = frozenset(s for s in S if s not in (S.BROUILLON, S.ANNULEE))
OPEN_STATUSES = frozenset({S.BROUILLON, S.ENVOYEE, S.ACCEPTEE, S.EN_COURS, S.TERMINEE})
# A session the partner recorded is corrected or deleted while the referral is not refused or
# closed, and only while its TIG hours (if any) wait for the CPIP's validation.
SESSION_CORRECTION_STATUSES = frozenset({S.ACCEPTEE, S.EN_COURS, S.TERMINEE})
# Once refused or closed, the partner keeps only what tells the referral existed: its kind, its
# status and dates, the person's initials; never the data set again (minimisation, ADR 0019).
# A cancelled referral is not shown to the partner at all (PARTNER_VISIBLE).
MINIMISED_STATUSES = frozenset({S.REFUSEE, S.CLOTUREE})


def next_status(status: str, action: str, actor: str) -> str:
    """The status after `action` by `actor`, or ValueError with the French reason."""
    found = TRANSITIONS.get((status, action))
    if found is None:
        label = S(status).label.lower() if status in S.values else status
        raise ValueError(f"Action impossible sur une orientation au statut « {label} ».")
    new, who = found
    if who != actor:
        raise ValueError(f"Seul {Actor(who).label.lower()} peut faire cette action.")
    return new


def actions_for(status: str, actor: str) -> list[str]:
    """The actions `actor` may take on a referral in `status` (the buttons shown)."""
    return [a for (s, a), (_new, who) in TRANSITIONS.items() if s == status and who == actor]


# The plan step a referral delivers moves with it (ADR 0020): the partner starting the
# accompaniment starts the step, ending it marks the step done. A refusal, a cancellation or a
# closing leaves the step to the CPIP (another partner, or the step dropped with its reason).
STEP_FOLLOWS: dict[str, str] = {S.EN_COURS: StepStatus.EN_COURS, S.TERMINEE: StepStatus.FAIT}
STEP_ORDER: tuple[str, ...] = (StepStatus.A_FAIRE, StepStatus.EN_COURS, StepStatus.FAIT)


def step_status_after(referral_status: str, step_status: str) -> str | None:
    """The step's new status when its referral reaches `referral_status`, or None to leave it:
    a step only moves forward (à faire → en cours → fait), and a dropped step stays dropped."""
    target = STEP_FOLLOWS.get(referral_status)
    if target is None or step_status not in STEP_ORDER:
        return None
    if STEP_ORDER.index(target) <= STEP_ORDER.index(step_status):
        return None
    return target


def needs_reason(action: str) -> bool:
    """A refusal, an end of service and a cancellation say why."""
    return action in (Action.REFUSER, Action.TERMINER, Action.ANNULER)


REASON_MAX_LENGTH = 2000


def reason_name(action: str) -> str:
    """What the action's text is called, in French ("le motif", "le bilan…")."""
    return "le bilan de fin d'accompagnement" if action == Action.TERMINER else "le motif"


def reason_problem(action: str, reason: str) -> str | None:
    """The one French message about the text of `action` (missing or too long), or None."""
    if not needs_reason(action):
        return None
    name = reason_name(action)
    text = reason.strip()
    if not text:
        return f"Indiquez {name} : il est obligatoire."
    if len(text) > REASON_MAX_LENGTH:
        return (
            f"{name[0].upper()}{name[1:]} est trop long : {REASON_MAX_LENGTH} caractères au plus "
            f"(vous en avez saisi {len(text)})."
        )
    return None


# --- Sessions -----------------------------------------------------------------------------------


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def hours_label(hours: Decimal) -> str:
    """6 → "6 h", 3.5 → "3,5 h" (French decimal comma)."""
    return f"{hours.normalize():f}".replace(".", ",") + " h"


def session_label(day: date, attended: bool, hours: Decimal | None) -> str:
    """A session in a few French words, for messages and the journal: "05/12/2026, présent, 6 h"."""
    parts = [_fr(day), "présent" if attended else "absent"]
    if hours is not None:
        parts.append(hours_label(hours))
    return ", ".join(parts)


HOURS_VALIDATED = (
    "Les heures de cette séance ont été validées par le SPIP : elle ne peut plus être modifiée "
    "ni supprimée. Pour une erreur, prévenez le conseiller ou la conseillère du SPIP."
)


def session_correction_problem(referral_status: str, hours_validated: bool) -> str | None:
    """Why the partner may no longer correct or delete a session it recorded (French), or None:
    the referral refused or closed, or the session's TIG hours validated by the CPIP."""
    if referral_status not in SESSION_CORRECTION_STATUSES:
        label = S(referral_status).label.lower() if referral_status in S.values else ""
        return f"L'orientation est {label} : ses séances ne peuvent plus être modifiées."
    if hours_validated:
        return HOURS_VALIDATED
    return None


def session_date_problem(
    day: date,
    *,
    today: date,
    sent_on: date | None,
    tig_enforceable_from: date | None = None,
) -> str | None:
    """Why a session cannot be dated `day` (French), or None: not in the future, not before the
    referral was sent to the partner, and TIG hours not before the measure is enforceable
    (CP art. 131-22: the delay runs from then; row R-REFERRAL-TIG)."""
    if day > today:
        return "La date de la séance ne peut pas être dans le futur."
    if sent_on is not None and day < sent_on:
        return (
            f"La séance ne peut pas être datée avant l'envoi de l'orientation, le {_fr(sent_on)}."
        )
    if tig_enforceable_from is not None and day < tig_enforceable_from:
        return (
            f"La mesure de TIG n'est exécutoire qu'à compter du {_fr(tig_enforceable_from)} : "
            "des heures ne peuvent pas être déclarées avant."
        )
    return None


def consent_problem(referral_kind: ReferralKind, consent_given_on: object) -> str | None:
    """A referral whose kind requires the person's consent is not sent without it."""
    if referral_kind.consent_required and consent_given_on is None:
        return (
            "Ce type d'orientation exige l'accord de la personne : indiquez la date et la forme "
            "de son accord avant l'envoi."
        )
    return None
