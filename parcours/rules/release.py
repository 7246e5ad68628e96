"""Release preparation (milieu fermé), pure rules: the checklist's items and their due dates
counted back from the expected release date, the countdown, the progress, the first SPIP
convocation of CPP art. 741-1, and what counts as a "sortie sèche".

Conventions (docs/legal-sources.md, rows R-RELEASE-*):

- The checklist is data: CHECKLIST lists each item (key, French label, default owner, offset in
  days from the expected release date: -60 is due 60 days before). Changing an offset is a one-line
  change; due dates are recomputed for the items still "à faire" when the expected date moves.
- Items that only make sense when a probation measure follows the release (the first SPIP
  appointment, the CPP 741-1 notice) start "sans objet" with a reason when none follows.
- The countdown counts calendar days from today to the expected release date ("J-23"); the
  release day is "J0".
- A release is "prepared" when a checklist exists and at least PREPARED_MIN_SHARE of its
  applicable items (not "sans objet") are done, and at least one is.
- A "sortie sèche" is a release with no measure following it and not prepared (is_sortie_seche).
  A release under an adjustment (LC, LSC, DDSE, semi-liberté, placement à l'extérieur) is itself
  followed by the SPIP: it counts as a measure following the release.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from parcours.rules.choices import Choices
from parcours.rules.dates import add_months
from parcours.rules.detention import ReleaseKind

# How many days before the expected release the nightly opens the checklist by itself.
AUTO_PREPARE_DAYS = 90
# The horizon of the "Sorties à venir" page and of the countdown on the caseload.
UPCOMING_DAYS = 90
# A checklist with at least this share of its applicable items done makes a release "prepared".
PREPARED_MIN_SHARE = 0.5

# CPP 741-1 (and CPénit R. 621-2): the first SPIP convocation after the release of a peine mixte.
NOTICE_SHORT_DAYS = 8
NOTICE_LONG_MONTHS = 1

ADJUSTMENT_RELEASES = frozenset(
    {
        ReleaseKind.LC,
        ReleaseKind.LSC,
        ReleaseKind.DDSE,
        ReleaseKind.SEMI_LIBERTE,
        ReleaseKind.PLACEMENT_EXTERIEUR,
    }
)


class ItemStatus(Choices):
    A_FAIRE = "a_faire", "À faire"
    FAIT = "fait", "Fait"
    SANS_OBJET = "sans_objet", "Sans objet"


class Owner(Choices):
    PERSONNE = "personne", "La personne détenue"
    CPIP = "cpip", "Le CPIP"
    PARTENAIRE = "partenaire", "Un partenaire"


class DateSource(Choices):
    SITUATION = "situation", "Date calculée (situation pénale)"
    MANUELLE = "manuelle", "Date fixée par le CPIP (aménagement accordé…)"


# Keys of the items the application itself reads.
FIRST_APPOINTMENT = "rdv_spip"
NOTICE_741_1 = "avis_741_1"


@dataclass(frozen=True)
class ItemSpec:
    key: str
    label: str
    owner: Owner
    offset_days: int  # from the expected release date; negative: before it
    probation_only: bool = False  # "sans objet" when no probation measure follows
    partner_hint: str = ""  # who usually does it, shown as the owner's detail


CHECKLIST: tuple[ItemSpec, ...] = (
    ItemSpec(
        "identite",
        "Pièces d'identité (carte nationale d'identité, titre de séjour)",
        Owner.PERSONNE,
        -75,
    ),
    ItemSpec(
        "hebergement",
        "Hébergement à la sortie (demande SIAO)",
        Owner.PARTENAIRE,
        -60,
        partner_hint="SIAO",
    ),
    ItemSpec(
        "sante",
        "Couverture santé (complémentaire santé solidaire, ouverture des droits CPAM)",
        Owner.PARTENAIRE,
        -45,
        partner_hint="CPAM",
    ),
    ItemSpec("banque", "Compte bancaire", Owner.PERSONNE, -30),
    ItemSpec(
        "france_travail",
        "Inscription à France Travail",
        Owner.PARTENAIRE,
        -30,
        partner_hint="France Travail",
    ),
    ItemSpec("rsa_caf", "Droits RSA / CAF", Owner.PARTENAIRE, -21, partner_hint="CAF"),
    ItemSpec("transport", "Transport le jour de la sortie", Owner.CPIP, -7),
    ItemSpec(
        FIRST_APPOINTMENT,
        "Premier rendez-vous au SPIP fixé dans l'agenda",
        Owner.CPIP,
        -14,
        probation_only=True,
    ),
    ItemSpec(
        NOTICE_741_1,
        "Avis de convocation de l'article 741-1 du CPP imprimé et remis",
        Owner.CPIP,
        -7,
        probation_only=True,
    ),
)
SPECS = {spec.key: spec for spec in CHECKLIST}
NO_PROBATION_REASON = "Aucune mesure de probation ne suit la libération."


def due_on(release_on: date, offset_days: int) -> date:
    """The due date of an item: the expected release date moved by its offset."""
    return release_on + timedelta(days=offset_days)


@dataclass(frozen=True)
class PlannedItem:
    key: str
    label: str
    owner: Owner
    owner_detail: str
    due_on: date
    status: ItemStatus
    reason: str


def plan_items(release_on: date, *, probation_follows: bool) -> list[PlannedItem]:
    """The checklist's items for a release expected on `release_on`, in due-date order."""
    items = [
        PlannedItem(
            spec.key,
            spec.label,
            spec.owner,
            spec.partner_hint,
            due_on(release_on, spec.offset_days),
            ItemStatus.SANS_OBJET
            if spec.probation_only and not probation_follows
            else ItemStatus.A_FAIRE,
            NO_PROBATION_REASON if spec.probation_only and not probation_follows else "",
        )
        for spec in CHECKLIST
    ]
    return sorted(items, key=lambda item: (item.due_on, item.key))


def countdown_days(release_on: date, today: date) -> int:
    return (release_on - today).days


def countdown_label(release_on: date, today: date) -> str:
    """ "J-23 avant la date de libération prévisionnelle"; J0 is the release day."""
    days = countdown_days(release_on, today)
    if days > 0:
        return f"J-{days} avant la date de libération prévisionnelle"
    if days == 0:
        return "J0 : libération prévisionnelle aujourd'hui"
    late = -days
    return f"Date de libération prévisionnelle dépassée de {late} jour{'s' if late > 1 else ''}"


def countdown_short(release_on: date, today: date) -> str:
    """ "J-23" / "J0" / "J+2", for lists and badges."""
    days = countdown_days(release_on, today)
    return "J0" if days == 0 else (f"J-{days}" if days > 0 else f"J+{-days}")


@dataclass(frozen=True)
class Progress:
    done: int
    applicable: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.applicable) if self.applicable else 100

    @property
    def label(self) -> str:
        return f"{self.done} sur {self.applicable}"


def progress(statuses: Iterable[str]) -> Progress:
    """Items done out of the applicable ones ("sans objet" do not count)."""
    done = applicable = 0
    for status in statuses:
        if status == ItemStatus.SANS_OBJET:
            continue
        applicable += 1
        done += status == ItemStatus.FAIT
    return Progress(done, applicable)


def is_overdue(status: str, due: date, today: date) -> bool:
    return status == ItemStatus.A_FAIRE and due < today


def is_prepared(statuses: Iterable[str] | None) -> bool:
    """A checklist exists (`statuses` is not None) and at least PREPARED_MIN_SHARE of its
    applicable items, and at least one, are done."""
    if statuses is None:
        return False
    counted = progress(statuses)
    return counted.done >= 1 and counted.done >= PREPARED_MIN_SHARE * counted.applicable


def under_adjustment(release_kind: str) -> bool:
    return release_kind in ADJUSTMENT_RELEASES


def is_sortie_seche(
    *, release_kind: str, measure_follows: bool, checklist: Iterable[str] | None
) -> bool:
    """A release with no measure following it (a release under an adjustment is followed) and
    not prepared (no checklist, or too few items done): R-RELEASE-SORTIE-SECHE."""
    if measure_follows or under_adjustment(release_kind):
        return False
    return not is_prepared(checklist)


@dataclass(frozen=True)
class NoticeDelay:
    appear_by: date  # the last day to appear before the SPIP
    delay: str  # "huit jours" / "un mois"
    why: str


def notice_delay(
    release_on: date, *, ssj_encouru: bool, ssj_antecedent: bool, renforce: bool
) -> NoticeDelay:
    """CPP 741-1, CPénit R. 621-2: within 8 days of the release when the offence (or one on the
    B1) allows a suivi socio-judiciaire, or for a sursis probatoire renforcé; one month otherwise.
    Counted from the day after the release (R-DATES-DELAYS)."""
    if ssj_encouru or ssj_antecedent or renforce:
        why = (
            "condamnation pour une infraction pour laquelle le suivi socio-judiciaire est encouru"
            if ssj_encouru or ssj_antecedent
            else "mesure de sursis probatoire renforcé"
        )
        return NoticeDelay(release_on + timedelta(days=NOTICE_SHORT_DAYS), "huit jours", why)
    return NoticeDelay(add_months(release_on, NOTICE_LONG_MONTHS), "un mois", "")


@dataclass(frozen=True)
class Indicators:
    releases: int
    prepared: int
    under_adjustment: int
    sorties_seches: int

    @staticmethod
    def share(part: int, whole: int) -> int:
        return round(100 * part / whole) if whole else 0

    @property
    def prepared_percent(self) -> int:
        return self.share(self.prepared, self.releases)

    @property
    def adjustment_percent(self) -> int:
        return self.share(self.under_adjustment, self.releases)

    @property
    def seches_percent(self) -> int:
        return self.share(self.sorties_seches, self.releases)


@dataclass(frozen=True)
class ReleaseFact:
    release_kind: str
    measure_follows: bool
    checklist: tuple[str, ...] | None  # item statuses, None without a checklist


def indicators(facts: Iterable[ReleaseFact]) -> Indicators:
    releases = prepared = adjusted = seches = 0
    for fact in facts:
        releases += 1
        prepared += is_prepared(fact.checklist)
        adjusted += under_adjustment(fact.release_kind)
        seches += is_sortie_seche(
            release_kind=fact.release_kind,
            measure_follows=fact.measure_follows,
            checklist=fact.checklist,
        )
    return Indicators(releases, prepared, adjusted, seches)
