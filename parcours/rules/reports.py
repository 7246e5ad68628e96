"""Reports to the judge: statuses, actions, who may do what (pure functions, no Django).

Lifecycle (shared domain, "Reports to the judge"):

    brouillon --soumettre--> soumis --valider--> valide --transmettre--> transmis
        ^                       |                                          |  \
        +-------renvoyer--------+                         accuser_reception  enregistrer_decision
                                                                     v        v
                                                                    recu --> decision

- The writer ("rédacteur": the author, or the person's referent CPIP) edits a draft and submits
  it; the encadrement (DPIP / DFSPIP of the SPIP) may also edit a draft.
- The encadrement of the SPIP validates or sends back (with a comment) a submitted report; nobody
  validates a report they wrote (four eyes).
- Once validated, the writer or the encadrement transmits it to the JAP: the DOCX and PDF are
  frozen with their SHA-256. From then on the content can never change.
- The JAP or greffe SAP of the measure's tribunal records the acknowledgement of receipt and the
  decision (a decision may be recorded without a prior acknowledgement).
- A report leaves the draft (submitted, validated, transmitted) only with its avis to the
  magistrate written (AVIS_SECTIONS); its due date is asked between today and one year ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from parcours.rules.dates import add_months
from parcours.rules.vocabulary import ReportKind, ReportStatus

BROUILLON, SOUMIS, VALIDE, TRANSMIS, RECU, DECISION = ReportStatus
STATUSES = tuple(ReportStatus)
STATUS_LABELS = dict(ReportStatus.choices)
# Content and files are frozen from transmission on.
FROZEN_STATUSES = (TRANSMIS, RECU, DECISION)
# What the court may ever see.
COURT_VISIBLE_STATUSES = FROZEN_STATUSES

MODIFIER = "modifier"
SOUMETTRE = "soumettre"
VALIDER = "valider"
RENVOYER = "renvoyer"
TRANSMETTRE = "transmettre"
ACCUSER_RECEPTION = "accuser_reception"
ENREGISTRER_DECISION = "enregistrer_decision"
ACTIONS = (
    MODIFIER,
    SOUMETTRE,
    VALIDER,
    RENVOYER,
    TRANSMETTRE,
    ACCUSER_RECEPTION,
    ENREGISTRER_DECISION,
)
ACTION_LABELS = {
    MODIFIER: "Modifier",
    SOUMETTRE: "Soumettre à validation",
    VALIDER: "Valider",
    RENVOYER: "Renvoyer au rédacteur",
    TRANSMETTRE: "Transmettre au JAP",
    ACCUSER_RECEPTION: "Accuser réception",
    ENREGISTRER_DECISION: "Enregistrer la décision",
}
# What each action tells its user once done (the page's message).
ACTION_DONE = {
    SOUMETTRE: "Le rapport est soumis à validation.",
    VALIDER: "Le rapport est validé.",
    RENVOYER: "Le rapport est renvoyé au rédacteur.",
    TRANSMETTRE: "Le rapport est transmis au JAP.",
    ACCUSER_RECEPTION: "La réception du rapport est enregistrée.",
    ENREGISTRER_DECISION: "La décision du juge est enregistrée.",
}
# Actions that need a comment (the reason sent back, the decision's content).
COMMENT_REQUIRED = {RENVOYER, ENREGISTRER_DECISION}
# The comment's label for those actions (the form and its errors).
COMMENT_LABELS = {ENREGISTRER_DECISION: "Décision prise", RENVOYER: "Motif du renvoi"}

# (from status, action) -> to status. MODIFIER keeps the status.
TRANSITIONS: dict[tuple[str, str], str] = {
    (BROUILLON, MODIFIER): BROUILLON,
    (BROUILLON, SOUMETTRE): SOUMIS,
    (SOUMIS, VALIDER): VALIDE,
    (SOUMIS, RENVOYER): BROUILLON,
    (VALIDE, TRANSMETTRE): TRANSMIS,
    (TRANSMIS, ACCUSER_RECEPTION): RECU,
    (TRANSMIS, ENREGISTRER_DECISION): DECISION,
    (RECU, ENREGISTRER_DECISION): DECISION,
}

# Capacities an actor may hold on one report (computed by the Django side).
REDACTEUR = "redacteur"  # author, or the person's referent CPIP
ENCADREMENT = "encadrement"  # DPIP / DFSPIP of the person's SPIP
JURIDICTION = "juridiction"  # JAP / greffe SAP of the measure's tribunal

WHO: dict[str, frozenset[str]] = {
    MODIFIER: frozenset({REDACTEUR, ENCADREMENT}),
    SOUMETTRE: frozenset({REDACTEUR}),
    VALIDER: frozenset({ENCADREMENT}),
    RENVOYER: frozenset({ENCADREMENT}),
    TRANSMETTRE: frozenset({REDACTEUR, ENCADREMENT}),
    ACCUSER_RECEPTION: frozenset({JURIDICTION}),
    ENREGISTRER_DECISION: frozenset({JURIDICTION}),
}


@dataclass(frozen=True)
class Actor:
    capacities: frozenset[str]
    is_author: bool = False


def refusal(status: str, action: str, actor: Actor) -> str | None:
    """None when `actor` may do `action` on a report in `status`, else the French reason."""
    if action not in ACTIONS or status not in STATUSES:
        return "Action inconnue."
    if status in FROZEN_STATUSES and action == MODIFIER:
        return "Ce rapport a été transmis au juge : il ne peut plus être modifié."
    if (status, action) not in TRANSITIONS:
        return (
            f"Action « {ACTION_LABELS[action]} » impossible sur un rapport à l'état "
            f"« {STATUS_LABELS[status]} »."
        )
    if not (WHO[action] & actor.capacities):
        return f"Vous ne pouvez pas effectuer l'action « {ACTION_LABELS[action]} » sur ce rapport."
    if action == VALIDER and actor.is_author:
        return "Un rapport ne peut pas être validé par la personne qui l'a rédigé."
    return None


def next_status(status: str, action: str) -> str:
    return TRANSITIONS[(status, action)]


def already_done(status: str, action: str) -> bool:
    """The report already stands where `action` leads (a second click, a second tab): the
    action is done, not refused."""
    targets = {to for (_from, act), to in TRANSITIONS.items() if act == action}
    return action != MODIFIER and status in targets


def available_actions(status: str, actor: Actor) -> list[str]:
    """The workflow actions (not MODIFIER) the actor may do now, in display order."""
    return [a for a in ACTIONS if a != MODIFIER and refusal(status, a, actor) is None]


def is_overdue(status: str, due: date | None, today: date) -> bool:
    """A report is late when its due date has passed and it has not reached the court."""
    return due is not None and due < today and status not in FROZEN_STATUSES


# --- The due date ("À rendre le") -----------------------------------------------------------------

# A due date asked of the writer: from today (the SPIP's local date, R-DATES-LOCAL) to one year
# ahead (R-DATES-MONTHS: 29/02 + 12 months = 28/02). A date already past would put a new report
# at the top of the late ones; a date years ahead is a typing slip.
DUE_DATE_HORIZON_MONTHS = 12
DUE_DATE_PAST = "La date « À rendre le » ne peut pas être passée."
DUE_DATE_TOO_FAR = "La date « À rendre le » ne peut pas dépasser un an."


def due_date_problem(due: date, today: date) -> str | None:
    """The French reason why `due` cannot be asked on `today`, else None."""
    if due < today:
        return DUE_DATE_PAST
    if due > add_months(today, DUE_DATE_HORIZON_MONTHS):
        return DUE_DATE_TOO_FAR
    return None


# --- The avis to the magistrate -------------------------------------------------------------------

# Per kind of report, the section that carries the service's avis or proposals to the magistrate
# (data/templates.json): a report goes to validation and to the judge only with it written; a
# draft may be saved without it. The CAP's avis (avis_cap) is prepared for the commission from the
# detention record and is not checked here.
AVIS_SECTIONS: dict[str, tuple[str, ...]] = {
    ReportKind.EVALUATION: ("conclusion",),
    ReportKind.SITUATION: ("conclusion",),
    ReportKind.INCIDENT: ("conclusion",),
    ReportKind.AMENAGEMENT: ("avis",),
    ReportKind.FIN_MESURE: ("conclusion",),
    ReportKind.PRESENTENCIEL: ("proposition",),
}
AVIS_REQUIRED_FOR = {
    SOUMETTRE: "soumettre le rapport à validation",
    VALIDER: "valider le rapport",
    TRANSMETTRE: "transmettre le rapport au JAP",
}
AVIS_EMPTY = "La rubrique « {heading} » est vide : rédigez-la avant de {action}."


def avis_sections(kind: str, section_keys: list[str]) -> list[str]:
    """The keys of the report's sections that must be written before it leaves the draft."""
    return [key for key in AVIS_SECTIONS.get(kind, ()) if key in section_keys]


def avis_problem(
    kind: str, action: str, sections: list[dict[str, object]], content: dict[str, object]
) -> str | None:
    """The French reason why `action` cannot be done on a report whose avis section is empty
    (blank text counts as empty), naming the section as the reader sees it; else None."""
    verb = AVIS_REQUIRED_FOR.get(action)
    if verb is None:
        return None
    required = avis_sections(kind, [str(s["key"]) for s in sections])
    for section in sections:
        if section["key"] in required and not str(content.get(str(section["key"])) or "").strip():
            return AVIS_EMPTY.format(heading=section["heading"], action=verb)
    return None


# --- Template versions ----------------------------------------------------------------------------


def version_in_force(versions: list[dict[str, object]], on: date) -> dict[str, object]:
    """The version whose `effective_from` (ISO date) is the latest on or before `on`."""
    candidates = [v for v in versions if date.fromisoformat(str(v["effective_from"])) <= on]
    if not candidates:
        raise ValueError(f"Aucun modèle de rapport en vigueur le {on:%d/%m/%Y}.")
    return max(candidates, key=lambda v: date.fromisoformat(str(v["effective_from"])))


# --- Content checks (autosave, edit form) ---------------------------------------------------------

MAX_SECTION_CHARS = 20_000


def content_problems(content: object, section_keys: list[str]) -> list[str]:
    """French problems of a content dict (section key -> text); empty when acceptable."""
    if not isinstance(content, dict):
        return ["Le contenu du rapport est illisible."]
    problems = []
    unknown = sorted(str(k) for k in content if k not in section_keys)
    if unknown:
        problems.append("Rubrique inconnue : " + ", ".join(u[:40] for u in unknown[:5]) + ".")
    for key, text in content.items():
        if key in unknown:
            continue
        if not isinstance(text, str):
            problems.append(f"Le texte de la rubrique « {key} » est illisible.")
        elif len(text) > MAX_SECTION_CHARS:
            problems.append(
                f"La rubrique « {key} » dépasse {MAX_SECTION_CHARS:,} caractères.".replace(
                    ",", "\u202f"
                )
            )
        elif "\x00" in text:
            problems.append(f"La rubrique « {key} » contient un caractère nul.")
    return problems
