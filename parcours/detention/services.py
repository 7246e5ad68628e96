"""Verb-first writes on the detention record: the acting user first, plain data, one
transaction with its journal row; the écrou's computed situation is recomputed after commit
(situations.refresh_on_commit). A refusal the user can act on is a French `Refused`; a stale
version a `ConflictError` (409).

The écrou keeps the person's `people.IncarcerationPeriod` in step (start = date d'écrou, end =
date de libération, the establishment's name), so the suspension of probation measures stays
single-sourced: an unlinked period of the person starting the same day is adopted, otherwise one
is created."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F, Max, Model, QuerySet
from django.utils import timezone

from parcours.accounts.models import Organisation, OrganisationKind, User
from parcours.audit.models import AuditAction
from parcours.core.errors import ConflictError, Refused
from parcours.core.locking import save_if_version
from parcours.people.models import IncarcerationPeriod, Person
from parcours.people.services import journal_details
from parcours.rules.dates import local_date
from parcours.rules.detention import (
    CustodyKind,
    Execution,
    ReductionKind,
    ReleaseKind,
    SentenceFlag,
)
from parcours.rules.timeline import Nature

from .models import (
    DisciplinarySanction,
    Ecrou,
    PriorCustody,
    ReductionDecision,
    SentenceLine,
    Transfer,
)
from .signals import ecrou_changed
from .situations import refresh_on_commit

ECROU_FIELDS = ("establishment", "number", "start", "parent_enfant_moins_10", "hebergement")
SENTENCE_FIELDS = (
    "rank",
    "years",
    "months",
    "days",
    "execution",
    "definitive_on",
    "nature",
    "recidive",
    "flags",
    "surete_years",
    "surete_months",
    "surete_days",
    "court",
    "judged_on",
    "offence",
)
FAR = date.max
M = TypeVar("M", bound=Model)


def spip_today(person: Person) -> date:
    """The local date of the person's SPIP (R-DATES-LOCAL)."""
    zone = person.spip.timezone if person.spip_id else "Europe/Paris"
    return local_date(timezone.now(), zone)


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _recorded(action: str, actor: User, obj: Any, ecrou: Ecrou, **details: Any) -> None:
    """A write of the écrou's record: journaled on the person, and the sentence dates recomputed
    once the transaction commits."""
    journal_details(action, actor, obj, ecrou.person, **details)
    refresh_on_commit(ecrou.pk)


def _not_future(day: date | None, what: str, person: Person) -> None:
    if day is not None and day > spip_today(person):
        raise Refused(f"{what} ne peut pas être dans le futur ({_fr(day)}).")


def _within_ecrou(day: date, what: str, ecrou: Ecrou) -> None:
    if day < ecrou.start:
        raise Refused(f"{what} ({_fr(day)}) est antérieure à l'écrou du {_fr(ecrou.start)}.")
    if ecrou.released_on is not None and day >= ecrou.released_on:
        raise Refused(
            f"{what} ({_fr(day)}) est postérieure à la libération du {_fr(ecrou.released_on)}."
        )


def _others(rows: QuerySet[M], pk: int | None) -> QuerySet[M]:
    """`rows` without the record being edited (none when creating)."""
    return rows if pk is None else rows.exclude(pk=pk)


def _check_establishment(person: Person, establishment: Organisation) -> None:
    if establishment.kind != OrganisationKind.ETABLISSEMENT or establishment.spip_id != (
        person.spip_id
    ):
        raise Refused(
            "Choisissez un établissement pénitentiaire du SPIP de la personne "
            "(un transfert vers un autre SPIP passe d'abord par le transfert du dossier)."
        )


def _check_ecrou(
    person: Person,
    *,
    establishment: Organisation,
    number: str,
    start: date,
    released_on: date | None,
    pk: int | None,
) -> None:
    _check_establishment(person, establishment)
    if not number.strip():
        raise Refused("Le numéro d'écrou est obligatoire.")
    _not_future(start, "La date d'écrou", person)
    duplicate = Ecrou.objects.filter(establishment=establishment, number=number.strip())
    if _others(duplicate, pk).exists():
        raise Refused(f"Le numéro d'écrou {number} existe déjà dans cet établissement.")
    end = released_on or FAR
    for other in _others(Ecrou.objects.filter(person=person), pk):
        if other.start < end and (other.released_on or FAR) > start:
            until = f"au {_fr(other.released_on)}" if other.released_on else "en cours"
            raise Refused(
                f"Cette détention chevaucherait l'écrou n° {other.number} "
                f"(du {_fr(other.start)} {until})."
            )


def _sync_incarceration(actor: User, ecrou: Ecrou) -> None:
    """The person's incarceration period follows the écrou (created, adopted or updated)."""
    values = {
        "start": ecrou.start,
        "end": ecrou.released_on,
        "establishment": ecrou.establishment.name[:200],
        "source": f"Écrou n° {ecrou.number}"[:200],
    }
    period = ecrou.incarceration
    if period is None:
        period = (
            IncarcerationPeriod.objects.filter(
                person_id=ecrou.person_id, start=ecrou.start, ecrou__isnull=True
            )
            .order_by("pk")
            .first()
        )
        if period is None:
            period = IncarcerationPeriod.objects.create(
                person_id=ecrou.person_id, created_by=actor, **values
            )
        Ecrou.objects.filter(pk=ecrou.pk).update(incarceration=period)
        ecrou.incarceration = period
    IncarcerationPeriod.objects.filter(pk=period.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    ecrou_changed.send(sender=Ecrou, person_ids=[ecrou.person_id])


# --- The écrou -----------------------------------------------------------------------------


@transaction.atomic
def create_ecrou(
    actor: User,
    person: Person,
    *,
    establishment: Organisation,
    number: str,
    start: date,
    parent_enfant_moins_10: bool = False,
    hebergement: bool = False,
) -> Ecrou:
    _check_ecrou(
        person, establishment=establishment, number=number, start=start, released_on=None, pk=None
    )
    ecrou = Ecrou.objects.create(
        person=person,
        establishment=establishment,
        number=number.strip(),
        start=start,
        parent_enfant_moins_10=parent_enfant_moins_10,
        hebergement=hebergement,
    )
    _sync_incarceration(actor, ecrou)
    _recorded(AuditAction.CREATION, actor, ecrou, ecrou)
    return ecrou


@transaction.atomic
def update_ecrou(
    actor: User, ecrou: Ecrou, *, expected_version: int | None, **values: Any
) -> Ecrou:
    """Changes some of ECROU_FIELDS (`values`); a stale `expected_version` is a conflict."""
    unknown = set(values) - set(ECROU_FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus : {sorted(unknown)}")
    if expected_version is None:
        raise ConflictError
    merged = {name: values.get(name, getattr(ecrou, name)) for name in ECROU_FIELDS}
    _check_ecrou(
        ecrou.person,
        establishment=merged["establishment"],
        number=merged["number"],
        start=merged["start"],
        released_on=ecrou.released_on,
        pk=ecrou.pk,
    )
    if ecrou.released_on is not None and merged["start"] >= ecrou.released_on:
        raise Refused("La date d'écrou doit précéder la date de libération.")
    merged["number"] = merged["number"].strip()
    changed = [name for name in ECROU_FIELDS if merged[name] != getattr(ecrou, name)]
    for name, value in merged.items():
        setattr(ecrou, name, value)
    ecrou.version = save_if_version(ecrou, ECROU_FIELDS, expected_version)
    _sync_incarceration(actor, ecrou)
    _recorded(AuditAction.MODIFICATION, actor, ecrou, ecrou, champs=changed)
    return ecrou


@transaction.atomic
def record_release(
    actor: User,
    ecrou: Ecrou,
    *,
    released_on: date,
    kind: str,
    expected_version: int | None = None,
) -> Ecrou:
    """The end of the écrou (first day out) and its kind; the incarceration period ends the
    same day. Without `expected_version` the row is locked and read again."""
    if kind not in ReleaseKind.values:
        raise Refused("Mode de sortie inconnu.")
    current = Ecrou.objects.select_for_update().get(pk=ecrou.pk)
    if current.released_on is not None:
        raise Refused(f"Cet écrou est déjà levé (libération le {_fr(current.released_on)}).")
    if released_on <= ecrou.start:
        raise Refused(
            f"La libération ({_fr(released_on)}) doit être postérieure à la date d'écrou "
            f"({_fr(ecrou.start)})."
        )
    _not_future(released_on, "La date de libération", ecrou.person)
    late = [
        ("un transfert", Transfer.objects.filter(ecrou=ecrou, on__gte=released_on)),
        ("une sanction", DisciplinarySanction.objects.filter(ecrou=ecrou, on__gte=released_on)),
    ]
    for what, rows in late:
        if rows.exists():
            raise Refused(f"La libération ne peut précéder {what} enregistré sur l'écrou.")
    ecrou.released_on = released_on
    ecrou.release_kind = kind
    version = current.version if expected_version is None else expected_version
    ecrou.version = save_if_version(ecrou, ("released_on", "release_kind"), version)
    _sync_incarceration(actor, ecrou)
    _recorded(AuditAction.MODIFICATION, actor, ecrou, ecrou, champs=["released_on"])
    return ecrou


# --- Sentences -------------------------------------------------------------------------------


def _check_sentence(ecrou: Ecrou, values: dict[str, Any], pk: int | None) -> None:
    person = ecrou.person
    if not (values["years"] or values["months"] or values["days"]):
        raise Refused("La durée de la peine doit être d'au moins un jour.")
    if values["execution"] not in Execution.values:
        raise Refused("Mode d'exécution inconnu.")
    if values["nature"] not in Nature.values:
        raise Refused("Nature de l'infraction inconnue.")
    unknown = set(values["flags"] or ()) - set(SentenceFlag.values)
    if unknown:
        raise Refused("Fait retenu inconnu : " + ", ".join(sorted(unknown)) + ".")
    _not_future(values["definitive_on"], "La date où la condamnation est définitive", person)
    _not_future(values["judged_on"], "La date de la décision", person)
    if (
        values["judged_on"]
        and values["definitive_on"]
        and values["definitive_on"] < values["judged_on"]
    ):
        raise Refused("La condamnation ne peut pas être définitive avant la décision.")
    if values["rank"] < 1:
        raise Refused("L'ordre d'exécution commence à 1.")
    taken = _others(SentenceLine.objects.filter(ecrou=ecrou, rank=values["rank"]), pk)
    if taken.exists():
        raise Refused(
            f"Une autre peine de l'écrou est déjà au rang {values['rank']} : choisissez un "
            "autre ordre d'exécution."
        )


def _sentence_values(values: dict[str, Any], base: SentenceLine) -> dict[str, Any]:
    unknown = set(values) - set(SENTENCE_FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus : {sorted(unknown)}")
    merged = {name: values.get(name, getattr(base, name)) for name in SENTENCE_FIELDS}
    merged["flags"] = sorted(set(merged["flags"] or ()))
    for name in ("court", "offence"):
        merged[name] = (merged[name] or "").strip()
    return merged


@transaction.atomic
def add_sentence(actor: User, ecrou: Ecrou, **values: Any) -> SentenceLine:
    """A sentence executed on the écrou (SENTENCE_FIELDS; `rank` defaults to the next one)."""
    if values.get("rank") is None:
        top = SentenceLine.objects.filter(ecrou=ecrou).aggregate(top=Max("rank"))["top"]
        values["rank"] = (top or 0) + 1
    merged = _sentence_values(values, SentenceLine())
    _check_sentence(ecrou, merged, None)
    line = SentenceLine.objects.create(ecrou=ecrou, **merged)
    _recorded(AuditAction.CREATION, actor, line, ecrou)
    return line


@transaction.atomic
def update_sentence(
    actor: User, sentence: SentenceLine, *, expected_version: int | None, **values: Any
) -> SentenceLine:
    if expected_version is None:
        raise ConflictError
    ecrou = sentence.ecrou
    merged = _sentence_values(values, sentence)
    _check_sentence(ecrou, merged, sentence.pk)
    changed = [name for name in SENTENCE_FIELDS if merged[name] != getattr(sentence, name)]
    for name, value in merged.items():
        setattr(sentence, name, value)
    sentence.version = save_if_version(sentence, SENTENCE_FIELDS, expected_version)
    _recorded(AuditAction.MODIFICATION, actor, sentence, ecrou, champs=changed)
    return sentence


@transaction.atomic
def delete_sentence(actor: User, sentence: SentenceLine, *, expected_version: int | None) -> None:
    """Removes a sentence entered by mistake (journaled as a change of the écrou)."""
    ecrou = sentence.ecrou
    label = _sentence_label(sentence)
    if expected_version is None:
        raise ConflictError
    deleted, _ = SentenceLine.objects.filter(pk=sentence.pk, version=expected_version).delete()
    if not deleted:
        raise ConflictError
    _recorded(AuditAction.MODIFICATION, actor, ecrou, ecrou, peine_supprimee=label)


def _sentence_label(line: SentenceLine) -> str:
    parts = [
        f"{n} {unit}"
        for n, unit in ((line.years, "an(s)"), (line.months, "mois"), (line.days, "jour(s)"))
        if n
    ]
    return f"rang {line.rank} : " + " ".join(parts)


# --- Entries of the écrou: custody to deduct, reductions, sanctions, transfers ----------------


def _overlaps(start: date, end: date, spans: Iterable[tuple[date, date]]) -> bool:
    return any(s < end and e > start for s, e in spans)


@transaction.atomic
def add_prior_custody(
    actor: User, ecrou: Ecrou, *, kind: str, start: date, end: date, note: str = ""
) -> PriorCustody:
    """Custody served outside the écrou, to deduct (CPP art. 716-4); half-open [start, end)."""
    if kind not in CustodyKind.values:
        raise Refused("Nature de détention inconnue.")
    if end <= start:
        raise Refused("La fin (premier jour libre) doit être postérieure au début.")
    _not_future(end, "La fin de la détention à imputer", ecrou.person)
    if _overlaps(start, end, [(ecrou.start, ecrou.released_on or FAR)]):
        raise Refused(
            f"Cette période chevauche l'écrou en cours (depuis le {_fr(ecrou.start)}) : elle est "
            "déjà comptée dans la détention."
        )
    others = PriorCustody.objects.filter(ecrou=ecrou).values_list("start", "end")
    if _overlaps(start, end, others):
        raise Refused("Cette période chevauche une autre détention à imputer déjà saisie.")
    entry = PriorCustody.objects.create(
        ecrou=ecrou, kind=kind, start=start, end=end, note=note.strip()
    )
    _recorded(AuditAction.CREATION, actor, entry, ecrou)
    return entry


@transaction.atomic
def record_reduction(
    actor: User,
    ecrou: Ecrou,
    *,
    kind: str,
    granted_on: date,
    months: int = 0,
    days: int = 0,
    withdrawn: bool = False,
    note: str = "",
) -> ReductionDecision:
    """A JAP decision on reductions, granted or (withdrawn) a withdrawal, by its date."""
    if kind not in ReductionKind.values:
        raise Refused("Type de réduction inconnu.")
    if months < 0 or days < 0 or not (months or days):
        raise Refused("Le quantum de la décision doit être d'au moins un jour.")
    _not_future(granted_on, "La date de la décision", ecrou.person)
    _within_ecrou(granted_on, "La date de la décision", ecrou)
    entry = ReductionDecision.objects.create(
        ecrou=ecrou,
        kind=kind,
        granted_on=granted_on,
        months=months,
        days=days,
        withdrawn=withdrawn,
        note=note.strip(),
    )
    _recorded(AuditAction.CREATION, actor, entry, ecrou)
    return entry


@transaction.atomic
def record_sanction(
    actor: User, ecrou: Ecrou, *, on: date, violence: bool = False, description: str = ""
) -> DisciplinarySanction:
    _not_future(on, "La date de la sanction", ecrou.person)
    _within_ecrou(on, "La date de la sanction", ecrou)
    entry = DisciplinarySanction.objects.create(
        ecrou=ecrou, on=on, violence=violence, description=description.strip()
    )
    _recorded(AuditAction.CREATION, actor, entry, ecrou)
    return entry


@transaction.atomic
def record_transfer(
    actor: User, ecrou: Ecrou, *, on: date, to_establishment: Organisation
) -> Transfer:
    """A move to another establishment of the SPIP; the latest transfer sets the écrou's
    establishment (and the incarceration period's)."""
    person = ecrou.person
    _check_establishment(person, to_establishment)
    _not_future(on, "La date du transfert", person)
    _within_ecrou(on, "La date du transfert", ecrou)
    if on == ecrou.start:
        raise Refused("Un transfert le jour de l'écrou : corrigez plutôt l'établissement d'écrou.")
    current = Ecrou.objects.select_for_update().get(pk=ecrou.pk)
    latest = Transfer.objects.filter(ecrou=ecrou).order_by("-on", "-pk").first()
    if latest is not None and on < latest.on:
        raise Refused(
            f"Un transfert plus récent est déjà enregistré (le {_fr(latest.on)}) : saisissez "
            "les transferts dans l'ordre."
        )
    if to_establishment.pk == current.establishment_id:
        raise Refused("La personne est déjà dans cet établissement.")
    entry = Transfer.objects.create(ecrou=ecrou, on=on, to_establishment=to_establishment)
    Ecrou.objects.filter(pk=ecrou.pk).update(
        establishment=to_establishment, version=F("version") + 1, updated_at=timezone.now()
    )
    ecrou.establishment = to_establishment
    ecrou.version = current.version + 1
    _sync_incarceration(actor, ecrou)
    _recorded(AuditAction.CREATION, actor, entry, ecrou)
    return entry
