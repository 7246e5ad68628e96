"""The person file's prison sections: "Situation pénale" (the dates computed by the engine, each
with what it depends on and the engine's steps under "Pourquoi ?") and "Détention" (the écrou,
its establishment, transfers, custody to deduct, sentences, reductions, sanctions).

Both read the person's latest écrou once per page (core.panels.shared: one query, establishment
and computed situation joined); "Détention" adds five queries when there is an écrou (its five
lists). Wording: the dates are what the texts make possible, never what "will" happen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from parcours.core.panels import shared
from parcours.people.access import PersonAccess
from parcours.people.panels import DETENTION, person_file
from parcours.rules.detention import SentenceFlag

from .models import Ecrou, SentenceLine, Transfer
from .selectors import latest_ecrou

FLAG_LABELS = dict(SentenceFlag.choices)


@dataclass(frozen=True)
class DateRow:
    label: str
    day: date | None
    depends: str
    article: str
    empty: str = "—"


def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def present(result: dict[str, Any]) -> dict[str, Any]:
    """The engine's JSON answer (situations.dates_json) as rows for the templates: each date
    with what it depends on, the LSC's exclusions, the steps of "Pourquoi ?"."""
    exam = result.get("examination") or {}
    lsc = result.get("lsc_de_plein_droit") or {}
    thresholds = result.get("thresholds") or {}
    exam_article = "CPP art. 730-3" if exam.get("basis") == "730-3" else "CPP art. 720"
    rows = [
        DateRow(
            "Date de fin de peine prévisionnelle",
            _day(result.get("release_date")),
            "Durée des peines à exécuter, détention à imputer, réductions accordées à la date "
            "du calcul ; avancée au jour ouvrable précédent si le dernier jour tombe un "
            "dimanche ou un jour férié.",
            "CPP art. 716-1 à 716-4, 721 et suivants",
        ),
        DateRow(
            "Admissible à la libération conditionnelle à compter du",
            _day(result.get("lc_from")),
            "Temps d'épreuve : la moitié de la peine (deux tiers en récidive légale), sans "
            "pouvoir précéder la fin d'une période de sûreté ; condition particulière après "
            "70 ans.",
            "CPP art. 729",
            "non calculée",
        ),
        DateRow(
            "Libération conditionnelle parentale : admissible à compter du",
            _day(result.get("lc_parental_from")),
            "Parent d'un enfant de moins de dix ans résidant habituellement chez lui, selon la "
            "durée de la peine ou du reliquat.",
            "CPP art. 729-3",
            "sans objet",
        ),
        DateRow(
            "Examen de la situation aux deux tiers de la peine",
            _day(exam.get("date")),
            "Peine d'au plus cinq ans : examen en vue d'une libération sous contrainte (art. "
            "720 I) ; au-delà : examen par la commission de l'application des peines (art. "
            "730-3).",
            exam_article,
            "sans objet",
        ),
        DateRow(
            "Libération sous contrainte de plein droit : examinée à compter du",
            _day(lsc.get("date")) if lsc.get("applies") else None,
            "Reliquat d'au plus trois mois d'une peine de deux ans au plus, sauf exclusions, "
            "sous réserve d'un hébergement.",
            "CPP art. 720 II et III",
            "écartée" if lsc else "non calculée",
        ),
        DateRow(
            "Fin de la période de sûreté",
            _day(result.get("surete_until")),
            "Premier jour après la ou les périodes de sûreté : aucun aménagement ni libération "
            "conditionnelle avant.",
            "CPP art. 720-2",
            "sans objet",
        ),
        DateRow(
            "Reliquat de deux ans au plus à compter du",
            _day(thresholds.get("two_years")),
            "Seuil de la semi-liberté, du placement à l'extérieur et de la détention à "
            "domicile sous surveillance électronique.",
            "CPP art. 723-1, 723-7",
        ),
        DateRow(
            "Reliquat d'un an au plus à compter du",
            _day(thresholds.get("one_year")),
            "Seuil d'un an restant à subir.",
            "CP art. 132-25 ; CPP art. 723-15",
        ),
        DateRow(
            "Reliquat de six mois au plus à compter du",
            _day(thresholds.get("six_months")),
            "Seuil de six mois restant à subir.",
            "CP art. 132-25 ; CPP art. 723-15",
        ),
    ]
    return {
        "regime": result.get("regime", ""),
        "rows": rows,
        "end_inclusive": _day(result.get("end_inclusive")),
        "lsc_applies": bool(lsc.get("applies")),
        "lsc_excluded_by": list(lsc.get("excluded_by") or ()),
        "steps": list(result.get("explanation") or ()),
    }


def shared_ecrou(request: Any, access: PersonAccess) -> Ecrou | None:
    """The person's latest écrou (selectors.latest_ecrou), read once per page for every panel
    that shows it (detention's and release's); no query for a person never detained."""
    if not access.person.ever_detained:
        return None
    return shared(request, "detention:ecrou", lambda: latest_ecrou(access.person))


@person_file.panel(key="situation-penale", title="Situation pénale", order=12)
def situation(request: Any, access: PersonAccess) -> dict[str, Any] | None:
    ecrou = shared_ecrou(request, access)
    if ecrou is None:
        return None
    computed = getattr(ecrou, "situation", None)
    return {
        "ecrou": ecrou,
        "computed": computed,
        "dates": present(computed.result) if computed and computed.result else None,
    }


@person_file.panel(key="detention", title="Détention", order=13, tab=DETENTION)
def detention(request: Any, access: PersonAccess) -> dict[str, Any] | None:
    ecrou = shared_ecrou(request, access)
    can_edit = access.can_edit_measures
    if ecrou is None:
        return {"ecrou": None, "can_edit": False, "can_create": True} if can_edit else None
    sentences = list(SentenceLine.objects.filter(ecrou=ecrou).order_by("rank", "pk"))
    for line in sentences:
        line.flag_labels = [FLAG_LABELS.get(f, f) for f in line.flags or ()]  # type: ignore[attr-defined]
    return {
        "ecrou": ecrou,
        "can_edit": can_edit and ecrou.released_on is None,
        "can_create": can_edit and ecrou.released_on is not None,
        "transfers": list(Transfer.objects.filter(ecrou=ecrou).select_related("to_establishment")),
        "custody": list(ecrou.prior_custody.all()),
        "sentences": sentences,
        "reductions": list(ecrou.reductions.all()),
        "sanctions": list(ecrou.sanctions.all()),
    }
