"""Import of a detention extract (CSV): one line per sentence of an écrou, plus optional lines
of reduction decisions and of custody to deduct (`type_ligne`). The columns (French headers) are
documented in docs/operations.md, "Import des extraits de détention".

Idempotent: an écrou is found by its establishment and number, a sentence by its écrou and rank,
a reduction decision and a custody to deduct by all their values; re-importing the same file
changes nothing. Every line is checked before anything is written; a rejected line (a French
reason, its line number and column) is reported and skipped, the others are written in one
transaction (`run_import`), each écrou touched journaled, and the sentence situations of the
écrous touched recomputed after the commit (detention.situations.refresh, when it exists).

The people and the establishments are looked up in the importing SPIP only: a person of another
SPIP answers exactly as an unknown one (no leak).
"""

from __future__ import annotations

import csv
import importlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction

from parcours.accounts.models import Organisation, OrganisationKind
from parcours.audit.services import record
from parcours.people.models import IncarcerationPeriod, Person
from parcours.rules.detention import CustodyKind, ReductionKind, ReleaseKind, SentenceFlag
from parcours.rules.identity import normalise_appi
from parcours.rules.sentences import Duration, sentence_problems
from parcours.rules.timeline import Nature
from parcours.rules.vocabulary import AuditAction

from .models import Ecrou, PriorCustody, ReductionDecision, SentenceLine, mark_detained

MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 50_000
SOURCE = "Import de l'extrait de détention"

PEINE, REDUCTION, DETENTION = "peine", "reduction", "detention_anterieure"
LINE_KINDS = (PEINE, REDUCTION, DETENTION)

# The headers, by line kind (docs/operations.md). Every line names its écrou.
ECROU_COLUMNS = ("numero_appi", "code_etablissement", "numero_ecrou", "date_ecrou")
OPTIONAL_ECROU_COLUMNS = ("date_liberation", "mode_sortie")
SENTENCE_COLUMNS = (
    "rang",
    "annees",
    "mois",
    "jours",
    "date_definitive",
    "nature",
    "recidive",
    "faits",
    "surete_annees",
    "surete_mois",
    "surete_jours",
    "juridiction",
    "date_decision",
    "infraction",
)
REDUCTION_COLUMNS = ("type_reduction", "date_decision", "mois", "jours", "retiree", "precision")
CUSTODY_COLUMNS = ("nature_detention", "debut", "fin", "precision")
KNOWN_COLUMNS = frozenset(
    (
        "type_ligne",
        *ECROU_COLUMNS,
        *OPTIONAL_ECROU_COLUMNS,
        *SENTENCE_COLUMNS,
        *REDUCTION_COLUMNS,
        *CUSTODY_COLUMNS,
    )
)
REQUIRED_HEADERS = ECROU_COLUMNS

YES = {"oui", "o", "1", "vrai", "x", "yes"}
NO = {"non", "n", "0", "faux", "", "no"}
NATURES = {"crime": Nature.CRIME, "delit": Nature.DELIT, "délit": Nature.DELIT}
FLAG_SPLIT = re.compile(r"[|,;+\s]+")


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, headers, size): a French message."""


@dataclass(frozen=True)
class Rejection:
    line: int
    column: str
    reason: str


class LineError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass
class EcrouKey:
    appi: str
    establishment_code: str
    number: str
    start: date
    released_on: date | None
    release_kind: str


@dataclass
class ParsedLine:
    line: int
    kind: str
    ecrou: EcrouKey
    values: dict[str, Any]


@dataclass
class ImportReport:
    """What an import did (or would do, in a preview): counts by kind, rejected lines."""

    lines: int = 0
    created: dict[str, int] = field(
        default_factory=lambda: {"ecrous": 0, "peines": 0, "reductions": 0, "detentions": 0}
    )
    updated: dict[str, int] = field(default_factory=lambda: {"ecrous": 0, "peines": 0})
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    ecrou_ids: set[int] = field(default_factory=set)
    applied: bool = False

    @property
    def accepted(self) -> int:
        return self.lines - len({r.line for r in self.rejected})

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def as_text(self) -> str:
        verb = "Import effectué" if self.applied else "Aperçu (rien n'est enregistré)"
        lines = [
            f"{verb} : {self.lines} ligne(s) lue(s), {self.accepted} acceptée(s), "
            f"{len(self.rejected)} rejet(s).",
            "Créés : {ecrous} écrou(s), {peines} peine(s), {reductions} décision(s) de "
            "réduction, {detentions} détention(s) à imputer.".format(**self.created),
            "Modifiés : {ecrous} écrou(s), {peines} peine(s).".format(**self.updated),
            f"Lignes déjà à jour : {self.unchanged}.",
        ]
        for rejection in self.rejected:
            lines.append(
                f"  Ligne {rejection.line}, colonne « {rejection.column} » : {rejection.reason}"
            )
        return "\n".join(lines)


# Reading


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFileError("Le fichier dépasse 5 Mo : découpez l'extrait en plusieurs fichiers.")
    if b"\x00" in data[:4096]:
        raise ImportFileError("Le fichier n'est pas un fichier CSV (texte) : contenu binaire.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save CSV in Windows-1252.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "Le fichier n'est pas un texte lisible (UTF-8 ou Windows-1252 attendus)."
            ) from exc


def read_rows(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The normalised headers and the rows with their line number (the header is line 1)."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        raw_headers = next(reader)
    except StopIteration:
        raise ImportFileError("Le fichier est vide.") from None
    except csv.Error as exc:
        raise ImportFileError(f"Le fichier n'est pas un CSV lisible : {exc}.") from None
    headers = [h.strip().lower().replace(" ", "_") for h in raw_headers]
    missing = [h for h in REQUIRED_HEADERS if h not in headers]
    if missing:
        raise ImportFileError(
            "Colonnes obligatoires absentes : " + ", ".join(missing) + ". "
            "La première ligne doit donner les en-têtes (voir le guide d'exploitation)."
        )
    unknown = [h for h in headers if h and h not in KNOWN_COLUMNS]
    if unknown:
        raise ImportFileError("Colonnes inconnues : " + ", ".join(unknown) + ".")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                cells = [*row, *[""] * (len(headers) - len(row))]
                values = {h: cells[i].strip() for i, h in enumerate(headers)}
                yield reader.line_num, values
        except csv.Error as exc:
            raise ImportFileError(
                f"Le fichier n'est pas un CSV lisible (ligne {reader.line_num}) : {exc}."
            ) from None

    return headers, rows()


def _date(values: dict[str, str], column: str, *, required: bool = False) -> date | None:
    raw = values.get(column, "")
    if not raw:
        if required:
            raise LineError(column, "Date obligatoire.")
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise LineError(column, f"Date illisible « {raw[:20]} » : JJ/MM/AAAA attendu.")


def _int(values: dict[str, str], column: str, *, maximum: int = 999) -> int:
    raw = values.get(column, "")
    if not raw:
        return 0
    if not raw.isdigit():
        raise LineError(column, f"Nombre entier positif attendu, pas « {raw[:20]} ».")
    number = int(raw)
    if number > maximum:
        raise LineError(column, f"Valeur trop grande ({number}) : {maximum} au plus.")
    return number


def _bool(values: dict[str, str], column: str) -> bool:
    raw = values.get(column, "").lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise LineError(column, f"« oui » ou « non » attendu, pas « {raw[:20]} ».")


def _choice(values: dict[str, str], column: str, allowed: Iterable[str], default: str) -> str:
    raw = values.get(column, "").lower()
    if not raw:
        return default
    allowed = list(allowed)
    if raw not in allowed:
        raise LineError(
            column, f"Valeur inconnue « {raw[:30]} » (valeurs admises : {', '.join(allowed)})."
        )
    return raw


def parse_line(line: int, values: dict[str, str]) -> ParsedLine:
    """One row checked for its own content (not the database): a ParsedLine or a LineError."""
    kind = _choice(values, "type_ligne", LINE_KINDS, PEINE)
    appi = normalise_appi(values.get("numero_appi", ""))
    if not appi:
        raise LineError("numero_appi", "Numéro APPI obligatoire.")
    code = values.get("code_etablissement", "")
    if not code:
        raise LineError("code_etablissement", "Code de l'établissement obligatoire.")
    number = values.get("numero_ecrou", "")
    if not number:
        raise LineError("numero_ecrou", "Numéro d'écrou obligatoire.")
    if len(number) > 30:
        raise LineError("numero_ecrou", "Numéro d'écrou trop long (30 caractères au plus).")
    start = _date(values, "date_ecrou", required=True)
    assert start is not None
    released_on = _date(values, "date_liberation")
    if released_on is not None and released_on <= start:
        raise LineError("date_liberation", "La date de libération doit suivre la date d'écrou.")
    release_kind = _choice(values, "mode_sortie", ReleaseKind.values, "")
    if release_kind and released_on is None:
        raise LineError("mode_sortie", "Un mode de sortie suppose une date de libération.")
    ecrou = EcrouKey(appi, code, number, start, released_on, release_kind)
    if kind == PEINE:
        parsed = _sentence(values)
        _check_bounds(parsed, start)
    elif kind == REDUCTION:
        parsed = _reduction(values)
    else:
        parsed = _custody(values)
    return ParsedLine(line, kind, ecrou, parsed)


def _sentence(values: dict[str, str]) -> dict[str, Any]:
    rank = _int(values, "rang", maximum=99)
    if rank < 1:
        raise LineError("rang", "Rang d'exécution obligatoire (1, 2, 3…).")
    years, months, days = (_int(values, c) for c in ("annees", "mois", "jours"))
    if not (years or months or days):
        raise LineError("annees", "La durée de la peine est nulle (années, mois, jours).")
    flags = [f.lower() for f in FLAG_SPLIT.split(values.get("faits", "")) if f]
    for flag in flags:
        if flag not in SentenceFlag.values:
            allowed = ", ".join(SentenceFlag.values)
            raise LineError("faits", f"Fait inconnu « {flag[:30]} » (valeurs admises : {allowed}).")
    nature_raw = values.get("nature", "").lower() or "delit"
    if nature_raw not in NATURES:
        raise LineError("nature", f"Nature inconnue « {nature_raw[:20]} » : crime ou délit.")
    return {
        "rank": rank,
        "years": years,
        "months": months,
        "days": days,
        "definitive_on": _date(values, "date_definitive"),
        "nature": str(NATURES[nature_raw]),
        "recidive": _bool(values, "recidive"),
        "flags": sorted(set(flags)),
        "surete_years": _int(values, "surete_annees"),
        "surete_months": _int(values, "surete_mois"),
        "surete_days": _int(values, "surete_jours"),
        "court": values.get("juridiction", "")[:200],
        "judged_on": _date(values, "date_decision"),
        "offence": values.get("infraction", "")[:300],
    }


# The columns of the fields rules.sentences.sentence_problems names.
PROBLEM_COLUMNS = {
    "years": "annees",
    "months": "mois",
    "days": "jours",
    "nature": "nature",
    "surete_years": "surete_annees",
    "surete_months": "surete_mois",
    "surete_days": "surete_jours",
}


def _check_bounds(sentence: dict[str, Any], start: date) -> None:
    """The bounds of an entered sentence (rules.sentences: at most 99 years, a sûreté no longer
    than the sentence…), as for the forms."""
    length = Duration(sentence["years"], sentence["months"], sentence["days"])
    surete = Duration(sentence["surete_years"], sentence["surete_months"], sentence["surete_days"])
    for name, message in sentence_problems(length, sentence["nature"], surete, start):
        raise LineError(PROBLEM_COLUMNS.get(name, name), message)


def _reduction(values: dict[str, str]) -> dict[str, Any]:
    kind = _choice(values, "type_reduction", ReductionKind.values, ReductionKind.RP)
    granted_on = _date(values, "date_decision", required=True)
    months, days = _int(values, "mois"), _int(values, "jours")
    if not (months or days):
        raise LineError("mois", "Le quantum de la réduction est nul (mois, jours).")
    return {
        "kind": kind,
        "granted_on": granted_on,
        "months": months,
        "days": days,
        "withdrawn": _bool(values, "retiree"),
        "note": values.get("precision", "")[:200],
    }


def _custody(values: dict[str, str]) -> dict[str, Any]:
    kind = _choice(values, "nature_detention", CustodyKind.values, "")
    if not kind:
        raise LineError("nature_detention", "Nature de la détention à imputer obligatoire.")
    start = _date(values, "debut", required=True)
    end = _date(values, "fin", required=True)
    assert start is not None and end is not None
    if end <= start:
        raise LineError("fin", "La fin (premier jour libre) doit suivre le début.")
    return {"kind": kind, "start": start, "end": end, "note": values.get("precision", "")[:200]}


# Writing


def establishments(spip: Organisation) -> dict[str, Organisation]:
    """The SPIP's prisons by code."""
    found = Organisation.objects.filter(kind=OrganisationKind.ETABLISSEMENT, spip=spip).exclude(
        code=""
    )
    return {org.code: org for org in found}


def run_import(
    actor: Any, spip: Organisation, data: bytes, *, apply: bool, file_name: str = ""
) -> ImportReport:
    """Checks every line, then writes the accepted ones (in one transaction) when `apply`; a
    preview (`apply=False`) runs the same writes and rolls them back, so its counts are the
    import's. Raises ImportFileError when the file as a whole is unreadable."""
    text = decode(data)
    _headers, rows = read_rows(text)
    report = ImportReport()
    parsed: list[ParsedLine] = []
    for line, values in rows:
        report.lines += 1
        if report.lines > MAX_LINES:
            raise ImportFileError(f"Le fichier dépasse {MAX_LINES} lignes : découpez l'extrait.")
        try:
            parsed.append(parse_line(line, values))
        except LineError as error:
            report.rejected.append(Rejection(line, error.column, error.reason))
    if report.lines == 0:
        raise ImportFileError("Le fichier ne contient aucune ligne après les en-têtes.")

    prisons = establishments(spip)
    appis = {p.ecrou.appi for p in parsed}
    people = {
        person.appi_number: person
        for person in Person.objects.filter(spip=spip, appi_number__in=appis)
    }
    with transaction.atomic():
        _write(actor, parsed, prisons, people, report)
        report.rejected.sort(key=lambda r: r.line)
        if apply:
            record(
                AuditAction.CREATION,
                actor=actor,
                spip_id=spip.pk,
                object_type="import_detention",
                object_label=f"Import d'un extrait de détention ({file_name[:80] or 'fichier'})",
                details={
                    "lignes": report.lines,
                    "rejets": len(report.rejected),
                    "crees": report.created,
                    "modifies": report.updated,
                },
            )
            touched = sorted(report.ecrou_ids)
            transaction.on_commit(lambda: refresh_situations(touched))
        else:
            transaction.set_rollback(True)
    report.applied = apply
    return report


def refresh_situations(ecrou_ids: list[int]) -> int | None:
    """Recomputes the sentence situations of `ecrou_ids` with detention.situations.refresh when
    that module exists (helper D1's); None when it does not (the nightly will)."""
    if not ecrou_ids:
        return 0
    try:
        situations = importlib.import_module("parcours.detention.situations")
    except ImportError:
        return None
    written: int = situations.refresh(ecrou_ids)
    return written


class Batch:
    """The écrous of the file and what they already hold, read in a few queries, and the new
    rows, written together at the end (an import of 50,000 lines stays a matter of seconds)."""

    def __init__(self, parsed: list[ParsedLine], prisons: dict[str, Organisation]) -> None:
        wanted = {(p.ecrou.establishment_code, p.ecrou.number) for p in parsed}
        numbers = {number for _code, number in wanted}
        codes = {org.pk: code for code, org in prisons.items()}
        self.ecrous: dict[tuple[str, str], Ecrou] = {}
        found = Ecrou.objects.filter(establishment_id__in=codes, number__in=numbers)
        for ecrou in found.select_related("incarceration"):
            self.ecrous[(codes[ecrou.establishment_id], ecrou.number)] = ecrou
        ids = [e.pk for e in self.ecrous.values()]
        self.sentences = {
            (line.ecrou_id, line.rank): line
            for line in SentenceLine.objects.filter(ecrou_id__in=ids)
        }
        self.reductions = {
            (r.ecrou_id, *(getattr(r, name) for name in REDUCTION_KEY))
            for r in ReductionDecision.objects.filter(ecrou_id__in=ids)
        }
        self.custody = {
            (c.ecrou_id, *(getattr(c, name) for name in CUSTODY_KEY))
            for c in PriorCustody.objects.filter(ecrou_id__in=ids)
        }
        self.first_line: dict[tuple[str, str], int] = {}
        self.rank_line: dict[tuple[int, int], int] = {}
        self.new_periods: list[IncarcerationPeriod] = []
        self.new_ecrous: list[Ecrou] = []
        self.new_sentences: list[SentenceLine] = []
        self.new_reductions: list[ReductionDecision] = []
        self.new_custody: list[PriorCustody] = []
        self.changed: dict[tuple[str, str], dict[str, int]] = {}

    def count(self, item: ParsedLine, outcome: str, report: ImportReport) -> None:
        natural = (item.ecrou.establishment_code, item.ecrou.number)
        counts = self.changed.setdefault(natural, {})
        counts[outcome] = counts.get(outcome, 0) + 1
        bucket = report.created if outcome.startswith("+") else report.updated
        bucket[outcome[1:]] += 1


def ident(ecrou: Ecrou) -> int:
    """The écrou's key in the batch's sets: its id, or (not written yet) the object's identity."""
    return int(ecrou.pk) if ecrou.pk else -id(ecrou)


REDUCTION_KEY = ("kind", "granted_on", "months", "days", "withdrawn", "note")
CUSTODY_KEY = ("kind", "start", "end", "note")


def _write(
    actor: Any,
    parsed: list[ParsedLine],
    prisons: dict[str, Organisation],
    people: dict[str, Person],
    report: ImportReport,
) -> None:
    batch = Batch(parsed, prisons)
    try:
        for item in parsed:
            try:
                ecrou = _ecrou_for(actor, item, prisons, people, batch, report)
                outcome = WRITERS[item.kind](batch, ecrou, item)
            except LineError as error:
                report.rejected.append(Rejection(item.line, error.column, error.reason))
                continue
            if outcome:
                batch.count(item, outcome, report)
            else:
                report.unchanged += 1
        IncarcerationPeriod.objects.bulk_create(batch.new_periods, batch_size=1000)
        Ecrou.objects.bulk_create(batch.new_ecrous, batch_size=1000)
        mark_detained([e.person_id for e in batch.new_ecrous])  # bulk_create skips save()
        SentenceLine.objects.bulk_create(batch.new_sentences, batch_size=1000)
        ReductionDecision.objects.bulk_create(batch.new_reductions, batch_size=1000)
        PriorCustody.objects.bulk_create(batch.new_custody, batch_size=1000)
    except IntegrityError as exc:
        raise ImportFileError(
            "L'import a croisé une autre écriture sur les mêmes écrous : relancez-le."
        ) from exc
    for natural, counts in batch.changed.items():
        ecrou = batch.ecrous[natural]
        report.ecrou_ids.add(ecrou.pk)
        created = counts.get("+ecrous", 0) > 0
        record(
            AuditAction.CREATION if created else AuditAction.MODIFICATION,
            actor=actor,
            obj=ecrou,
            person=ecrou.person,
            details={"source": SOURCE, **{k.lstrip("+~"): v for k, v in counts.items()}},
        )


def _ecrou_for(
    actor: Any,
    item: ParsedLine,
    prisons: dict[str, Organisation],
    people: dict[str, Person],
    batch: Batch,
    report: ImportReport,
) -> Ecrou:
    key = item.ecrou
    prison = prisons.get(key.establishment_code)
    if prison is None:
        raise LineError("code_etablissement", "Établissement inconnu dans votre SPIP.")
    person = people.get(key.appi)
    if person is None:
        raise LineError("numero_appi", "Personne inconnue dans votre SPIP (numéro APPI).")
    natural = (key.establishment_code, key.number)
    dates = (key.start, key.released_on, key.release_kind)
    ecrou_or_none = batch.ecrous.get(natural)
    first = batch.first_line.get(natural)
    if first is not None:
        assert ecrou_or_none is not None
        if ecrou_or_none.person_id != person.pk:
            raise LineError(
                "numero_appi", f"L'écrou est attribué à une autre personne à la ligne {first}."
            )
        if (ecrou_or_none.start, ecrou_or_none.released_on, ecrou_or_none.release_kind) != dates:
            raise LineError(
                "date_ecrou",
                f"Dates de l'écrou différentes de celles de la ligne {first} (même écrou).",
            )
        return ecrou_or_none
    if ecrou_or_none is None:
        incarceration = IncarcerationPeriod(
            person=person,
            start=key.start,
            end=key.released_on,
            establishment=prison.name[:200],
            source=SOURCE,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        ecrou = Ecrou(
            person=person,
            establishment=prison,
            number=key.number,
            start=key.start,
            released_on=key.released_on,
            release_kind=key.release_kind,
            incarceration=incarceration,
        )
        batch.new_periods.append(incarceration)
        batch.new_ecrous.append(ecrou)
        batch.ecrous[natural] = ecrou
        batch.count(item, "+ecrous", report)
    else:
        ecrou = ecrou_or_none
        if ecrou.person_id != person.pk:
            raise LineError(
                "numero_ecrou", "Ce numéro d'écrou est déjà attribué à une autre personne."
            )
        ecrou.person = person
        if (ecrou.start, ecrou.released_on, ecrou.release_kind) != dates:
            ecrou.start, ecrou.released_on, ecrou.release_kind = dates
            ecrou.version += 1
            ecrou.save(update_fields=["start", "released_on", "release_kind", "version"])
            if ecrou.incarceration is not None:
                ecrou.incarceration.start, ecrou.incarceration.end = key.start, key.released_on
                ecrou.incarceration.version += 1
                ecrou.incarceration.save(update_fields=["start", "end", "version", "updated_at"])
            batch.count(item, "~ecrous", report)
    batch.first_line[natural] = item.line
    return ecrou


def _write_sentence(batch: Batch, ecrou: Ecrou, item: ParsedLine) -> str:
    values = item.values
    key = (ident(ecrou), values["rank"])
    if key in batch.rank_line:
        raise LineError("rang", f"Rang déjà donné à la ligne {batch.rank_line[key]} (même écrou).")
    batch.rank_line[key] = item.line
    line = batch.sentences.get(key)
    if line is None:
        batch.new_sentences.append(SentenceLine(ecrou=ecrou, **values))
        return "+peines"
    differing = [name for name, value in values.items() if getattr(line, name) != value]
    if not differing:
        return ""
    for name in differing:
        setattr(line, name, values[name])
    line.version += 1
    line.save(update_fields=[*differing, "version", "updated_at"])
    return "~peines"


def _added_once(seen: set[Any], rows: list[Any], key: tuple[Any, ...], row: Any, what: str) -> str:
    """Queues `row` unless an equal entry (same `key`) is already known; the counter to bump."""
    if key in seen:
        return ""
    seen.add(key)
    rows.append(row)
    return what


def _write_reduction(batch: Batch, ecrou: Ecrou, item: ParsedLine) -> str:
    key = (ident(ecrou), *(item.values[name] for name in REDUCTION_KEY))
    row = ReductionDecision(ecrou=ecrou, **item.values)
    return _added_once(batch.reductions, batch.new_reductions, key, row, "+reductions")


def _write_custody(batch: Batch, ecrou: Ecrou, item: ParsedLine) -> str:
    key = (ident(ecrou), *(item.values[name] for name in CUSTODY_KEY))
    row = PriorCustody(ecrou=ecrou, **item.values)
    return _added_once(batch.custody, batch.new_custody, key, row, "+detentions")


WRITERS = {PEINE: _write_sentence, REDUCTION: _write_reduction, DETENTION: _write_custody}
