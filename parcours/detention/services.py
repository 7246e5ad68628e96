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
from django.db.models import F, Model, QuerySet
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
from parcours.rules.sentences import (
    REDUCTION_UNIT_MAX,
    UNIT_WORDS,
    Duration,
    custody_problem,
    reduction_ceiling_problem,
    sentence_problems,
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
from .selectors import next_sentence_rank
from .signals import ecrou_changed
from .situations import case_with_reduction, refresh_on_commit

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
    for _field, message in sentence_problems(
        Duration(values["years"], values["months"], values["days"]),
        values["nature"],
        Duration(values["surete_years"], values["surete_months"], values["surete_days"]),
        ecrou.start,
    ):
        raise Refused(message)
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
        values["rank"] = next_sentence_rank(ecrou)
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
# Each is added, corrected (optimistic locking on its `version`) or deleted (journaled as a
# change of the écrou); the sentence dates are recomputed after each write (`_recorded`).

CUSTODY_FIELDS = ("kind", "start", "end", "note")
REDUCTION_FIELDS = ("kind", "granted_on", "months", "days", "withdrawn", "note")
SANCTION_FIELDS = ("on", "violence", "description")
TRANSFER_FIELDS = ("on", "to_establishment")
TEXT_FIELDS = frozenset({"note", "description"})
Entry = PriorCustody | ReductionDecision | DisciplinarySanction | Transfer


def _overlaps(start: date, end: date, spans: Iterable[tuple[date, date]]) -> bool:
    return any(s < end and e > start for s, e in spans)


def _entry_values(entry: Entry, fields: tuple[str, ...], values: dict[str, Any]) -> dict[str, Any]:
    """The entry's `fields` with the `values` changed (text stripped)."""
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"Champs inconnus : {sorted(unknown)}")
    merged = {name: values.get(name, getattr(entry, name)) for name in fields}
    for name in TEXT_FIELDS & set(fields):
        merged[name] = (merged[name] or "").strip()
    return merged


def _save_entry(
    actor: User,
    entry: Entry,
    fields: tuple[str, ...],
    merged: dict[str, Any],
    expected_version: int | None,
) -> None:
    """Writes a corrected entry if it is still at `expected_version` (ConflictError otherwise),
    journaled with the fields changed; the dates are recomputed after commit."""
    if expected_version is None:
        raise ConflictError
    changed = [name for name in fields if merged[name] != getattr(entry, name)]
    for name, value in merged.items():
        setattr(entry, name, value)
    entry.version = save_if_version(entry, fields, expected_version)
    _recorded(AuditAction.MODIFICATION, actor, entry, entry.ecrou, champs=changed)


def _check_prior_custody(
    ecrou: Ecrou, *, kind: str, start: date, end: date, pk: int | None, **_: Any
) -> None:
    if kind not in CustodyKind.values:
        raise Refused("Nature de détention inconnue.")
    if end <= start:
        raise Refused("La fin (premier jour libre) doit être postérieure au début.")
    problem = custody_problem(start, ecrou.person.birth_date)
    if problem:
        raise Refused(problem)
    _not_future(end, "La fin de la détention à imputer", ecrou.person)
    if _overlaps(start, end, [(ecrou.start, ecrou.released_on or FAR)]):
        raise Refused(
            f"Cette période chevauche l'écrou en cours (depuis le {_fr(ecrou.start)}) : elle est "
            "déjà comptée dans la détention."
        )
    others = _others(PriorCustody.objects.filter(ecrou=ecrou), pk).values_list("start", "end")
    if _overlaps(start, end, others):
        raise Refused("Cette période chevauche une autre détention à imputer déjà saisie.")


@transaction.atomic
def add_prior_custody(
    actor: User, ecrou: Ecrou, *, kind: str, start: date, end: date, note: str = ""
) -> PriorCustody:
    """Custody served outside the écrou, to deduct (CPP art. 716-4); half-open [start, end)."""
    _check_prior_custody(ecrou, kind=kind, start=start, end=end, pk=None)
    entry = PriorCustody.objects.create(
        ecrou=ecrou, kind=kind, start=start, end=end, note=note.strip()
    )
    _recorded(AuditAction.CREATION, actor, entry, ecrou)
    return entry


@transaction.atomic
def update_prior_custody(
    actor: User, entry: PriorCustody, *, expected_version: int | None, **values: Any
) -> PriorCustody:
    merged = _entry_values(entry, CUSTODY_FIELDS, values)
    _check_prior_custody(entry.ecrou, pk=entry.pk, **merged)
    _save_entry(actor, entry, CUSTODY_FIELDS, merged, expected_version)
    return entry


def _check_reduction(
    ecrou: Ecrou,
    *,
    kind: str,
    granted_on: date,
    months: int,
    days: int,
    withdrawn: bool,
    pk: int | None,
    **_: Any,
) -> None:
    if kind not in ReductionKind.values:
        raise Refused("Type de réduction inconnu.")
    if months < 0 or days < 0 or not (months or days):
        raise Refused("Le quantum de la décision doit être d'au moins un jour.")
    for name, value in (("months", months), ("days", days)):
        if value > REDUCTION_UNIT_MAX[name]:
            raise Refused(
                f"Une décision de réduction compte au plus {REDUCTION_UNIT_MAX[name]} "
                f"{UNIT_WORDS[name]} ({value} saisis) : vérifiez le quantum."
            )
    _not_future(granted_on, "La date de la décision", ecrou.person)
    _within_ecrou(granted_on, "La date de la décision", ecrou)
    if withdrawn:
        return
    case = case_with_reduction(
        ecrou, replacing=pk, kind=kind, granted_on=granted_on, months=months, days=days
    )
    problem = reduction_ceiling_problem(case)
    if problem is not None:
        raise Refused(problem.message)


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
    """A JAP decision on reductions, granted or (withdrawn) a withdrawal, by its date; refused
    above the ceiling the engine applies (rules.sentences.reduction_ceiling_problem)."""
    _check_reduction(
        ecrou,
        kind=kind,
        granted_on=granted_on,
        months=months,
        days=days,
        withdrawn=withdrawn,
        pk=None,
    )
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
def update_reduction(
    actor: User, entry: ReductionDecision, *, expected_version: int | None, **values: Any
) -> ReductionDecision:
    merged = _entry_values(entry, REDUCTION_FIELDS, values)
    _check_reduction(entry.ecrou, pk=entry.pk, **merged)
    _save_entry(actor, entry, REDUCTION_FIELDS, merged, expected_version)
    return entry


def _check_sanction(ecrou: Ecrou, on: date) -> None:
    _not_future(on, "La date de la sanction", ecrou.person)
    _within_ecrou(on, "La date de la sanction", ecrou)


@transaction.atomic
def record_sanction(
    actor: User, ecrou: Ecrou, *, on: date, violence: bool = False, description: str = ""
) -> DisciplinarySanction:
    _check_sanction(ecrou, on)
    entry = DisciplinarySanction.objects.create(
        ecrou=ecrou, on=on, violence=violence, description=description.strip()
    )
    _recorded(AuditAction.CREATION, actor, entry, ecrou)
    return entry


@transaction.atomic
def update_sanction(
    actor: User, entry: DisciplinarySanction, *, expected_version: int | None, **values: Any
) -> DisciplinarySanction:
    merged = _entry_values(entry, SANCTION_FIELDS, values)
    _check_sanction(entry.ecrou, merged["on"])
    _save_entry(actor, entry, SANCTION_FIELDS, merged, expected_version)
    return entry


def _check_transfer_date(ecrou: Ecrou, on: date) -> None:
    _not_future(on, "La date du transfert", ecrou.person)
    _within_ecrou(on, "La date du transfert", ecrou)
    if on == ecrou.start:
        raise Refused("Un transfert le jour de l'écrou : corrigez plutôt l'établissement d'écrou.")


def _move_ecrou(actor: User, ecrou: Ecrou, current: Ecrou, establishment: Organisation) -> None:
    """The écrou (read locked as `current`) is now in `establishment`, and so is the person's
    incarceration period."""
    Ecrou.objects.filter(pk=ecrou.pk).update(
        establishment=establishment, version=F("version") + 1, updated_at=timezone.now()
    )
    ecrou.establishment = establishment
    ecrou.version = current.version + 1
    _sync_incarceration(actor, ecrou)


def _latest_transfer(ecrou: Ecrou, *, excluding: int | None = None) -> Transfer | None:
    rows = _others(Transfer.objects.filter(ecrou=ecrou), excluding)
    return rows.select_related("to_establishment").order_by("-on", "-pk").first()


@transaction.atomic
def record_transfer(
    actor: User, ecrou: Ecrou, *, on: date, to_establishment: Organisation
) -> Transfer:
    """A move to another establishment of the SPIP; the latest transfer sets the écrou's
    establishment (and the incarceration period's)."""
    person = ecrou.person
    _check_establishment(person, to_establishment)
    _check_transfer_date(ecrou, on)
    current = Ecrou.objects.select_for_update().get(pk=ecrou.pk)
    latest = _latest_transfer(ecrou)
    if latest is not None and on < latest.on:
        raise Refused(
            f"Un transfert plus récent est déjà enregistré (le {_fr(latest.on)}) : saisissez "
            "les transferts dans l'ordre."
        )
    if to_establishment.pk == current.establishment_id:
        raise Refused("La personne est déjà dans cet établissement.")
    entry = Transfer.objects.create(
        ecrou=ecrou,
        on=on,
        to_establishment=to_establishment,
        from_establishment_id=current.establishment_id,
    )
    _move_ecrou(actor, ecrou, current, to_establishment)
    _recorded(AuditAction.CREATION, actor, entry, ecrou)
    return entry


def _only_latest_transfer(entry: Transfer, verb: str) -> Transfer | None:
    """Only the latest transfer is corrected or deleted (the later ones start where it ends);
    returns the transfer before it."""
    latest = _latest_transfer(entry.ecrou)
    if latest is not None and latest.pk != entry.pk:
        raise Refused(
            f"Seul le transfert le plus récent (le {_fr(latest.on)}) peut être {verb} : "
            "supprimez d'abord les transferts suivants."
        )
    return _latest_transfer(entry.ecrou, excluding=entry.pk)


def _origin(entry: Transfer, previous: Transfer | None) -> Organisation | None:
    """Where the person was before `entry`: kept on it, else the previous transfer's arrival."""
    if entry.from_establishment_id is not None:
        return entry.from_establishment
    return previous.to_establishment if previous is not None else None


@transaction.atomic
def update_transfer(
    actor: User, entry: Transfer, *, expected_version: int | None, **values: Any
) -> Transfer:
    """Corrects the latest transfer (its date, its establishment); the écrou follows."""
    ecrou = entry.ecrou
    merged = _entry_values(entry, TRANSFER_FIELDS, values)
    current = Ecrou.objects.select_for_update().get(pk=ecrou.pk)
    previous = _only_latest_transfer(entry, "modifié")
    _check_establishment(ecrou.person, merged["to_establishment"])
    _check_transfer_date(ecrou, merged["on"])
    if previous is not None and merged["on"] < previous.on:
        raise Refused(
            f"Ce transfert ne peut précéder le transfert précédent (le {_fr(previous.on)})."
        )
    origin = _origin(entry, previous)
    if origin is not None and merged["to_establishment"].pk == origin.pk:
        raise Refused("La personne était déjà dans cet établissement avant ce transfert.")
    _save_entry(actor, entry, TRANSFER_FIELDS, merged, expected_version)
    if merged["to_establishment"].pk != current.establishment_id:
        _move_ecrou(actor, ecrou, current, merged["to_establishment"])
    return entry


@transaction.atomic
def delete_entry(actor: User, entry: Entry, *, expected_version: int | None) -> None:
    """Removes an entry of the écrou recorded by mistake (journaled as a change of the écrou;
    the dates are recomputed). A transfer: only the latest, and the écrou goes back to the
    establishment the person was in before it."""
    ecrou = entry.ecrou
    if expected_version is None:
        raise ConflictError
    origin: Organisation | None = None
    if isinstance(entry, Transfer):
        origin = _origin(entry, _only_latest_transfer(entry, "supprimé"))
        if origin is None:
            raise Refused(
                "L'établissement de départ de ce transfert n'est pas connu : corrigez plutôt "
                "sa date ou son établissement d'arrivée."
            )
    label = str(entry)
    kind = str(type(entry)._meta.verbose_name)
    deleted, _ = type(entry).objects.filter(pk=entry.pk, version=expected_version).delete()
    if not deleted:
        raise ConflictError
    if origin is not None:
        current = Ecrou.objects.select_for_update().get(pk=ecrou.pk)
        _move_ecrou(actor, ecrou, current, origin)
    _recorded(AuditAction.MODIFICATION, actor, ecrou, ecrou, entree_supprimee=f"{kind} : {label}")
