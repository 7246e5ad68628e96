"""Structured assessment (issue 17), pure rules: the questionnaire definitions (versioned data
files, parcours/assessments/data/questionnaires/*.json), their validation, the answers'
validation, what a finished assessment needs, the initial assessment's due date, the "délai
d'évaluation" indicator and the plan steps a digital-skills self-assessment suggests.

No score: an assessment records the CPIP's structured judgement per domain (rules.vocabulary
NeedLevel), the person's own view beside it, the strengths and the reasons (ADR 0021). A
judgement "besoin important" needs its reasons written.

The due date of the initial assessment is a *practice* parameter, not a law: the SPIP's
référentiel des pratiques opérationnelles (RPO 1, 2018) asks for an assessment of the situation
within the first months of the follow-up; Parcours takes 90 days by default (docs/legal-sources.md,
row P-EVAL-INITIALE). Each SPIP may document another value; the parameter is here, with its source.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from parcours.rules.choices import Choices
from parcours.rules.vocabulary import AssessmentDomain, NeedLevel

# --- Parameters ---------------------------------------------------------------------------------

# Days between the start of the measure (or the judgment when no start is known) and the due date
# of the initial assessment. Source: SPIP, référentiel des pratiques opérationnelles (practice,
# not a legal deadline); docs/legal-sources.md row P-EVAL-INITIALE.
INITIAL_ASSESSMENT_DAYS = 90
INITIAL_ASSESSMENT_SOURCE = (
    "Référentiel des pratiques opérationnelles des SPIP (RPO 1) : évaluation de la situation "
    "dans les premiers mois du suivi. Paramètre de pratique, pas un délai légal."
)
# A review (réexamen) is suggested this many days after the last completed assessment.
REVIEW_DAYS = 365

MAX_TEXT_CHARS = 4000  # a free text answer, a view, reasons
MAX_SHORT_TEXT_CHARS = 300
MAX_NUMBER = 10**9


def initial_due_on(start: date, days: int = INITIAL_ASSESSMENT_DAYS) -> date:
    """The due date of the initial assessment of a measure started on `start`."""
    return start + timedelta(days=days)


# --- Questionnaire definitions ------------------------------------------------------------------


class AnswerType(Choices):
    YES_NO = "yes_no", "Oui / non"
    SINGLE = "single_choice", "Choix unique"
    MULTIPLE = "multiple_choice", "Choix multiple"
    SHORT_TEXT = "short_text", "Texte court"
    NUMBER = "number", "Nombre"
    DATE = "date", "Date"


CHOICE_TYPES = {AnswerType.SINGLE, AnswerType.MULTIPLE}
YES, NO = "oui", "non"
YES_NO_OPTIONS = ((YES, "Oui"), (NO, "Non"))
QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
CODE = re.compile(r"^[a-z][a-z0-9_]*$")


class DefinitionError(ValueError):
    """A questionnaire file that does not follow the format; the message names the file and the
    field (e.g. "evaluation-2026-01.json: domains[2].questions[0].type: …")."""


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    type: AnswerType
    help: str = ""
    options: tuple[tuple[str, str], ...] = ()
    prefill: str = ""  # a key of the file's prefills (assessments/prefill.py), or ""

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        return YES_NO_OPTIONS if self.type == AnswerType.YES_NO else self.options

    def option_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)


@dataclass(frozen=True)
class Domain:
    code: str
    label: str
    intro: str
    questions: tuple[Question, ...]
    judged: bool = True  # the CPIP records a NeedLevel for it (not for "forces")


@dataclass(frozen=True)
class Questionnaire:
    code: str
    version: str
    effective_from: date
    title: str
    intro: str
    domains: tuple[Domain, ...]

    def domain(self, code: str) -> Domain | None:
        return next((d for d in self.domains if d.code == code), None)

    @property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for d in self.domains for q in d.questions}


def _need(data: Mapping[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if key not in data:
        raise DefinitionError(f"{where}.{key} : champ obligatoire absent.")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise DefinitionError(f"{where}.{key} : type incorrect ({type(value).__name__}).")
    if isinstance(value, str) and not value.strip():
        raise DefinitionError(f"{where}.{key} : ne doit pas être vide.")
    return value


def _question(data: Any, where: str, seen: set[str]) -> Question:
    if not isinstance(data, dict):
        raise DefinitionError(f"{where} : une question est un objet.")
    qid = _need(data, "id", where, str)
    if not QUESTION_ID.match(qid):
        raise DefinitionError(f"{where}.id : « {qid} » n'est pas un identifiant (domaine.nom).")
    if qid in seen:
        raise DefinitionError(f"{where}.id : « {qid} » est déjà utilisé.")
    seen.add(qid)
    label = _need(data, "label", where, str)
    raw_type = _need(data, "type", where, str)
    if raw_type not in AnswerType.values:
        raise DefinitionError(
            f"{where}.type : « {raw_type} » inconnu (attendu : {', '.join(AnswerType.values)})."
        )
    answer_type = AnswerType(raw_type)
    options: list[tuple[str, str]] = []
    if answer_type in CHOICE_TYPES:
        raw = _need(data, "options", where, list)
        if len(raw) < 2:
            raise DefinitionError(f"{where}.options : au moins deux choix.")
        for index, option in enumerate(raw):
            here = f"{where}.options[{index}]"
            if not isinstance(option, dict):
                raise DefinitionError(f"{here} : un choix est un objet (value, label).")
            value = _need(option, "value", here, str)
            if not CODE.match(value):
                raise DefinitionError(f"{here}.value : « {value} » n'est pas un code.")
            options.append((value, _need(option, "label", here, str)))
        if len({v for v, _ in options}) != len(options):
            raise DefinitionError(f"{where}.options : deux choix ont la même valeur.")
    elif "options" in data:
        raise DefinitionError(f"{where}.options : seulement pour un choix unique ou multiple.")
    help_text = data.get("help", "")
    if not isinstance(help_text, str):
        raise DefinitionError(f"{where}.help : texte attendu.")
    prefill = data.get("prefill", "")
    if not isinstance(prefill, str):
        raise DefinitionError(f"{where}.prefill : texte attendu.")
    return Question(qid, label, answer_type, help_text, tuple(options), prefill)


def parse_questionnaire(data: Any, source: str = "questionnaire") -> Questionnaire:
    """The questionnaire of a decoded file; DefinitionError naming `source` and the field."""
    where = source
    if not isinstance(data, dict):
        raise DefinitionError(f"{where} : le fichier doit contenir un objet JSON.")
    code = _need(data, "code", where, str)
    if not CODE.match(code):
        raise DefinitionError(f"{where}.code : « {code} » n'est pas un code.")
    version = _need(data, "version", where, str)
    raw_from = _need(data, "effective_from", where, str)
    try:
        effective_from = date.fromisoformat(raw_from)
    except ValueError:
        raise DefinitionError(
            f"{where}.effective_from : « {raw_from} » n'est pas une date AAAA-MM-JJ."
        ) from None
    title = _need(data, "title", where, str)
    intro = data.get("intro", "")
    if not isinstance(intro, str):
        raise DefinitionError(f"{where}.intro : texte attendu.")
    raw_domains = _need(data, "domains", where, list)
    if not raw_domains:
        raise DefinitionError(f"{where}.domains : au moins un domaine.")
    seen_questions: set[str] = set()
    seen_domains: set[str] = set()
    domains = []
    for index, raw in enumerate(raw_domains):
        here = f"{where}.domains[{index}]"
        if not isinstance(raw, dict):
            raise DefinitionError(f"{here} : un domaine est un objet.")
        domain_code = _need(raw, "code", here, str)
        if domain_code not in AssessmentDomain.values:
            raise DefinitionError(
                f"{here}.code : « {domain_code} » n'est pas un domaine d'évaluation "
                f"(attendu : {', '.join(AssessmentDomain.values)})."
            )
        if domain_code in seen_domains:
            raise DefinitionError(f"{here}.code : le domaine « {domain_code} » est en double.")
        seen_domains.add(domain_code)
        raw_questions = _need(raw, "questions", here, list)
        if not raw_questions:
            raise DefinitionError(f"{here}.questions : au moins une question.")
        questions = tuple(
            _question(q, f"{here}.questions[{i}]", seen_questions)
            for i, q in enumerate(raw_questions)
        )
        for question in questions:
            if question.id.split(".")[0] != domain_code:
                raise DefinitionError(
                    f"{here}.questions : « {question.id} » doit commencer par « {domain_code}. »."
                )
        judged = raw.get("judged", True)
        if not isinstance(judged, bool):
            raise DefinitionError(f"{here}.judged : true ou false.")
        intro_text = raw.get("intro", "")
        if not isinstance(intro_text, str):
            raise DefinitionError(f"{here}.intro : texte attendu.")
        domains.append(
            Domain(
                domain_code,
                AssessmentDomain(domain_code).label,
                intro_text,
                questions,
                judged,
            )
        )
    return Questionnaire(code, version, effective_from, title, intro, tuple(domains))


def load_text(text: str, source: str) -> tuple[Questionnaire, dict[str, Any], str]:
    """A file's text → (questionnaire, decoded content, SHA-256 of the canonical content)."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise DefinitionError(f"{source} : JSON illisible ({error}).") from None
    questionnaire = parse_questionnaire(data, source)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return questionnaire, data, hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_versions(questionnaires: Iterable[Questionnaire]) -> None:
    """Two files of one code never share a version or an effective date."""
    seen: dict[tuple[str, str], str] = {}
    dates: dict[tuple[str, date], str] = {}
    for q in questionnaires:
        if (q.code, q.version) in seen:
            raise DefinitionError(f"{q.code} : la version « {q.version} » est définie deux fois.")
        seen[(q.code, q.version)] = q.version
        if (q.code, q.effective_from) in dates:
            raise DefinitionError(
                f"{q.code} : deux versions en vigueur le {q.effective_from:%d/%m/%Y}."
            )
        dates[(q.code, q.effective_from)] = q.version


def in_force(questionnaires: Iterable[Questionnaire], code: str, on: date) -> Questionnaire | None:
    """The version of `code` in force on `on` (latest effective_from ≤ on)."""
    candidates = [q for q in questionnaires if q.code == code and q.effective_from <= on]
    return max(candidates, key=lambda q: q.effective_from, default=None)


# --- Answers ------------------------------------------------------------------------------------


def clean_answer(question: Question, raw: Any) -> tuple[Any, str]:
    """(clean value, "") or (None, French reason). Empty answers clean to None."""
    if raw is None or raw == "" or raw == []:
        return None, ""
    kind = question.type
    if kind == AnswerType.MULTIPLE:
        values = raw if isinstance(raw, list) else [raw]
        allowed = {v for v, _ in question.choices}
        if not all(isinstance(v, str) and v in allowed for v in values):
            return None, f"« {question.label} » : choix inconnu."
        return [v for v, _ in question.choices if v in values], ""
    if isinstance(raw, list):
        if len(raw) != 1:
            return None, f"« {question.label} » : une seule réponse attendue."
        raw = raw[0]
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        return None, f"« {question.label} » : réponse illisible."
    text = str(raw).strip()
    if not text:
        return None, ""
    if kind in (AnswerType.YES_NO, AnswerType.SINGLE):
        if text not in {v for v, _ in question.choices}:
            return None, f"« {question.label} » : choix inconnu."
        return text, ""
    if kind == AnswerType.NUMBER:
        try:
            number = int(text)
        except ValueError:
            return None, f"« {question.label} » : saisissez un nombre entier."
        if not 0 <= number <= MAX_NUMBER:
            return None, f"« {question.label} » : nombre hors limites."
        return number, ""
    if kind == AnswerType.DATE:
        try:
            return date.fromisoformat(text).isoformat(), ""
        except ValueError:
            return None, f"« {question.label} » : saisissez une date valide (AAAA-MM-JJ)."
    if "\x00" in text:
        return None, f"« {question.label} » : caractère interdit."
    if len(text) > MAX_SHORT_TEXT_CHARS:
        return None, f"« {question.label} » : {MAX_SHORT_TEXT_CHARS} caractères au plus."
    return text, ""


def clean_answers(
    questionnaire: Questionnaire, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The answers of `raw` (question id → value) cleaned; unknown ids are refused."""
    questions = questionnaire.questions
    cleaned: dict[str, Any] = {}
    problems: list[str] = []
    for qid, value in raw.items():
        question = questions.get(qid)
        if question is None:
            problems.append(f"Question inconnue : « {str(qid)[:60]} ».")
            continue
        clean, problem = clean_answer(question, value)
        if problem:
            problems.append(problem)
        elif clean is not None:
            cleaned[qid] = clean
    return cleaned, problems


def answer_label(question: Question, value: Any) -> str:
    """An answer as the French text shown on pages and in comparisons."""
    if value is None or value == "" or value == []:
        return ""
    if question.type == AnswerType.MULTIPLE:
        return ", ".join(question.option_label(v) for v in value)
    if question.type in (AnswerType.YES_NO, AnswerType.SINGLE):
        return question.option_label(str(value))
    if question.type == AnswerType.DATE:
        try:
            return f"{date.fromisoformat(str(value)):%d/%m/%Y}"
        except ValueError:
            return str(value)
    return str(value)


# --- The judgement per domain -------------------------------------------------------------------

JUDGEMENT_FIELDS = ("person_view", "person_level", "need", "strengths", "reasons")


def clean_judgement(domain: Domain, raw: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    """One domain's view and judgement: texts ≤ MAX_TEXT_CHARS, levels among NeedLevel."""
    cleaned: dict[str, str] = {}
    problems: list[str] = []
    for name in JUDGEMENT_FIELDS:
        if name not in raw:
            continue
        value = raw[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems.append(f"{domain.label} : valeur illisible.")
            continue
        value = value.strip()
        if name in ("person_level", "need"):
            if value and value not in NeedLevel.values:
                problems.append(f"{domain.label} : niveau de besoin inconnu.")
                continue
            if name == "need" and value and not domain.judged:
                problems.append(f"{domain.label} : ce domaine ne reçoit pas de niveau de besoin.")
                continue
        elif "\x00" in value:
            problems.append(f"{domain.label} : caractère interdit.")
            continue
        elif len(value) > MAX_TEXT_CHARS:
            problems.append(f"{domain.label} : {MAX_TEXT_CHARS} caractères au plus par texte.")
            continue
        cleaned[name] = value
    return cleaned, problems


def finish_problems(
    questionnaire: Questionnaire,
    judgements: Mapping[str, Mapping[str, str]],
    unconfirmed: Iterable[str] = (),
) -> list[str]:
    """What is missing before an assessment can be finished (French, one line each): the
    suggestions prefilled from the file confirmed, a need level for every judged domain, and the
    reasons of every "besoin important"."""
    questions = questionnaire.questions
    problems = [
        f"« {questions[qid].label} » : confirmez ou corrigez la suggestion tirée du dossier."
        for qid in unconfirmed
        if qid in questions
    ]
    for domain in questionnaire.domains:
        judged = judgements.get(domain.code, {})
        if not domain.judged:
            continue
        need = judged.get("need", "")
        if not need:
            problems.append(f"{domain.label} : indiquez votre appréciation du besoin.")
        elif need == NeedLevel.IMPORTANT and not judged.get("reasons", "").strip():
            problems.append(
                f"{domain.label} : un besoin important doit être motivé (sur quoi il repose)."
            )
    return problems


NEED_RANK = {NeedLevel.AUCUN: 0, NeedLevel.MODERE: 1, NeedLevel.IMPORTANT: 2}


def need_change(before: str, after: str) -> str:
    """ "amélioration", "aggravation", "stable", or "" when one side is unknown."""
    if before not in NEED_RANK or after not in NEED_RANK:
        return ""
    delta = NEED_RANK[NeedLevel(after)] - NEED_RANK[NeedLevel(before)]
    return "stable" if delta == 0 else ("aggravation" if delta > 0 else "amélioration")


# --- The "délai d'évaluation" indicator ---------------------------------------------------------


@dataclass(frozen=True)
class DelayIndicator:
    due: int  # initial assessments whose due date has passed (or that are finished)
    on_time: int  # finished on or before their due date
    late_done: int  # finished after their due date
    overdue: int  # not finished, due date passed
    pending: int  # not finished, not yet due

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None


def delay_indicator(rows: Iterable[tuple[date | None, date | None]], today: date) -> DelayIndicator:
    """`rows`: (due_on, completed_on) of initial assessments (due_on None: no due date, left
    out). The share of those due that were finished within the delay, and the overdue count."""
    on_time = late = overdue = pending = 0
    for due_on, completed_on in rows:
        if due_on is None:
            continue
        if completed_on is not None:
            if completed_on <= due_on:
                on_time += 1
            else:
                late += 1
        elif due_on < today:
            overdue += 1
        else:
            pending += 1
    return DelayIndicator(on_time + late + overdue, on_time, late, overdue, pending)


# --- The digital-skills self-assessment ---------------------------------------------------------


# Answers of the digital questionnaire (data/questionnaires/numerique-*.json).
ALONE, HELPED, NOT_AT_ALL = "seul", "aide", "non"


@dataclass(frozen=True)
class SuggestedStep:
    key: str
    label: str
    why: str


# (step, French label, the questions whose answer "aide" or "non" suggest it).
DIGITAL_STEPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "atelier_inclusion_numerique",
        "Atelier d'inclusion numérique",
        ("numerique.telephone", "numerique.courriel", "numerique.demarches"),
    ),
    (
        "adresse_courriel",
        "Créer une adresse électronique avec un accompagnement",
        ("numerique.courriel",),
    ),
    (
        "accompagnement_demarches",
        "Accompagnement aux démarches en ligne (France services, conseiller numérique)",
        ("numerique.demarches",),
    ),
    (
        "recherche_emploi_en_ligne",
        "Atelier de recherche d'emploi en ligne (France Travail, mission locale)",
        ("numerique.emploi",),
    ),
)
ACCESS_QUESTION = "numerique.acces"
ACCESS_STEP = SuggestedStep(
    "acces_equipement",
    "Trouver un accès à un téléphone ou un ordinateur (point d'accès public, association)",
    "n'a pas d'accès à un téléphone ou un ordinateur",
)


def suggest_digital_steps(
    questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> list[SuggestedStep]:
    """The plan steps the self-assessment suggests: a step for each skill the person cannot use
    alone ("avec de l'aide" or "non"), and access to equipment when they have none. The CPIP
    decides; these are suggestions."""
    questions = questionnaire.questions
    steps: list[SuggestedStep] = []
    if answers.get(ACCESS_QUESTION) == NO:
        steps.append(ACCESS_STEP)
    for key, label, sources in DIGITAL_STEPS:
        weak = [
            questions[qid].label
            for qid in sources
            if qid in questions and answers.get(qid) in (HELPED, NOT_AT_ALL)
        ]
        if weak:
            steps.append(SuggestedStep(key, label, "besoin d'aide : " + " ; ".join(weak)))
    return steps


# Measures that call for no initial assessment (a one-off course, a pre-sentence enquiry).
WITHOUT_INITIAL_ASSESSMENT = frozenset({"stage", "enquete_presentencielle"})
# The indicator counts the measures started within this many days.
INDICATOR_WINDOW_DAYS = 365
