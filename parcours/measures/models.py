"""Mesures: what the court ordered, with dates and status."""

from __future__ import annotations

from typing import Any

from django.db import models

from parcours.catalog.models import Milieu
from parcours.core import fields
from parcours.core.models import CaseEntry, CaseRecord, named_by_date
from parcours.rules.measures import CURRENT_STATUSES, MeasureStatus
from parcours.rules.timeline import CONVICTION_FLAGS, Nature, Outcome, SuspensionReason

__all__ = [
    "CONVICTION_FIELDS",
    "CURRENT_STATUSES",
    "EDITABLE_FIELDS",
    "Measure",
    "MeasureEvaluation",
    "MeasureStatus",
    "MeasureSuspension",
]

# The conviction's facts the rules need (rules.timeline.ConvictionFacts): sensitive, shown in the
# file, never a list filter, a sort, a search key or an export column.
CONVICTION_FIELDS = ("offence_nature", *CONVICTION_FLAGS)

# The timeline's fields, by section of the measure form (forms.FORM_GROUPS) and read by the
# deadline adapter (selectors.CASE_FIELDS).
JUDGMENT_FIELDS = (
    "convict_present_at_hearing",
    "detained_at_judgment",
    "mandat_depot_differe",
    "prison_ferme_months",
    "execution_provisoire",
    "notified_on",
    "executoire_on",
    "final_on",
)
EXECUTION_FIELDS = (
    "spip_referral_on",
    "court_set_obligations",
    "renforce_ordered_on",
    "jap_ordinance_on",
    "outcome",
    "ended_on",
)
# The measure's own dates and duration (the form's first fields, and the adapter's).
DATE_FIELDS = (
    "judgment_date",
    "start_date",
    "end_date",
    "release_date",
    "file_received_on",
    "probation_months",
)
# What the measure form edits and `services.update_measure` writes.
EDITABLE_FIELDS = (
    "measure_type",
    "tribunal",
    *DATE_FIELDS,
    "milieu",
    "status",
    *JUDGMENT_FIELDS,
    *EXECUTION_FIELDS,
    *CONVICTION_FIELDS,
    "tig_delay_months",
)


class Measure(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="measures")
    measure_type = models.ForeignKey(
        "catalog.MeasureType", on_delete=models.PROTECT, verbose_name="type de mesure"
    )
    tribunal = fields.optional_link(
        "accounts.Organisation", "juridiction", on_delete=models.PROTECT
    )
    judgment_date = models.DateField("date du jugement")
    start_date = fields.optional_date("date de début")
    end_date = fields.optional_date("date de fin prévue")
    # Dates some legal deadlines count from (rules/legal_deadlines.py): CPP art. 741-1, 723-15.
    release_date = fields.optional_date(
        "date de libération (partie ferme)",
        help_text=(
            "Libération de la partie ferme d'une peine mixte, même à venir : première "
            "convocation au SPIP (CPP art. 741-1)."
        ),
    )
    file_received_on = fields.optional_date(
        "date de réception du dossier (art. 723-15)",
        help_text="Procédure d'aménagement avant exécution (CPP art. 723-15).",
    )
    probation_months = models.PositiveSmallIntegerField(
        "délai d'épreuve (mois)", null=True, blank=True
    )
    milieu = models.CharField(
        "milieu", max_length=10, choices=Milieu.choices, default=Milieu.OUVERT
    )
    status = models.CharField(
        "statut", max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.EN_COURS
    )
    # --- Jugement (CPP art. 474, 708, 723-15, 464-2) ------------------------------------------
    convict_present_at_hearing = models.BooleanField(
        "condamné présent à l'audience",
        default=False,
        help_text="Les avis de convocation devant le JAP et le SPIP sont remis à l'audience "
        "(CPP art. 474).",
    )
    detained_at_judgment = models.BooleanField("incarcéré lors du jugement", default=False)
    mandat_depot_differe = models.BooleanField(
        "mandat de dépôt à effet différé (CPP art. 464-2)", default=False
    )
    prison_ferme_months = models.PositiveSmallIntegerField(
        "emprisonnement ferme à subir (mois)", null=True, blank=True
    )
    execution_provisoire = models.BooleanField(
        "exécution provisoire ordonnée",
        default=False,
        help_text="La probation court dès le jugement (CP art. 132-41 al. 2).",
    )
    notified_on = fields.optional_date(
        "date de notification du jugement", help_text="Jugement rendu en l'absence du condamné."
    )
    executoire_on = fields.optional_date(
        "date à laquelle la condamnation est exécutoire",
        help_text="CPP art. 708 al. 2 : point de départ du délai de probation et du délai du TIG.",
    )
    final_on = fields.optional_date(
        "date à laquelle la condamnation est définitive",
        help_text="Point de départ du délai du stage (CP art. 131-5-1).",
    )
    # --- Exécution ------------------------------------------------------------------------------
    spip_referral_on = fields.optional_date("saisine du SPIP par le JAP (art. 723-15-1)")
    court_set_obligations = models.BooleanField(
        "obligations fixées par la juridiction (sursis probatoire renforcé)",
        default=False,
        help_text="CP art. 132-41-1 al. 3 ; sinon le JAP les fixe par ordonnance dans les "
        "4 mois (CPP art. 741-2).",
    )
    renforce_ordered_on = fields.optional_date("suivi renforcé ordonné par le JAP le")
    jap_ordinance_on = fields.optional_date(
        "ordonnance du JAP fixant les obligations le",
        help_text="Sursis probatoire renforcé (CPP art. 741-2 al. 2).",
    )
    outcome = fields.choice("issue de la mesure", Outcome.choices, blank=True)
    ended_on = fields.optional_date("fin effective le")
    # --- Condamnation (sensitive: never a filter, a sort or an export column) -------------------
    offence_nature = models.CharField(
        "nature de l'infraction", max_length=16, choices=Nature.choices, default=Nature.DELIT
    )
    ssj_encouru = models.BooleanField(
        "suivi socio-judiciaire encouru pour l'infraction jugée", default=False
    )
    ssj_antecedent = models.BooleanField(
        "condamnation antérieure pour une infraction relevant du SSJ (B1)", default=False
    )
    violences_conjugales = models.BooleanField("violences conjugales", default=False)
    terrorisme = models.BooleanField("infraction terroriste", default=False)
    victime_pdap = models.BooleanField("victime dépositaire de l'autorité publique", default=False)
    victime_mineur_15 = models.BooleanField("victime mineure de 15 ans", default=False)
    # --- TIG (the hours ordered are in the ledger: ledgers.TigLedger.hours_ordered) -----------
    tig_delay_months = models.PositiveSmallIntegerField(
        "délai d'exécution du TIG fixé par la juridiction (mois)",
        null=True,
        blank=True,
        help_text="18 mois au plus (CP art. 131-22).",
    )
    created_by = fields.author()

    # Set for display by obligations.panels (never stored): the end the calendar computes
    # (measures.selectors.ExpectedEnd), on the Synthèse card.
    expected_end: Any

    class Meta:
        ordering = ["-judgment_date", "-pk"]
        verbose_name = "mesure"
        indexes = [
            models.Index(fields=["person", "status"], name="measure_person_status_idx"),
            models.Index(fields=["measure_type", "status"], name="measure_type_status_idx"),
            models.Index(fields=["status", "end_date"], name="measure_status_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_type} ({self.get_status_display()})"

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


# Suspensions recorded on the measure: every reason of rules.timeline except incarceration, which
# is recorded once on the person (people.IncarcerationPeriod) and applies to all their measures.
MEASURE_SUSPENSION_REASONS = [
    (value, label[:1].upper() + label[1:])
    for value, label in SuspensionReason.choices
    if value != SuspensionReason.INCARCERATION
]


class MeasureSuspension(CaseRecord):
    """A suspension of the measure's clock (CP art. 131-22, 132-43; CPP art. 708 al. 3).
    Half-open: `start` the first day suspended, `end` the first day back (exclusive), empty
    while it lasts."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="suspensions", editable=False
    )
    start = models.DateField("premier jour suspendu")
    end = fields.optional_date(
        "premier jour de reprise", help_text="Vide tant que la suspension dure."
    )
    reason = fields.choice("motif", MEASURE_SUSPENSION_REASONS)
    source = fields.optional_text(
        "décision ou source", help_text="Par exemple : ordonnance du JAP du 12/03/2027."
    )
    created_by = fields.author()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = "suspension de la mesure"
        constraints = [fields.period_check("measure_suspension_end_after_start")]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        label = self.get_reason_display()
        if self.end is None:
            return f"{label} depuis le {self.start:%d/%m/%Y}, en cours"
        return f"{label} du {self.start:%d/%m/%Y}, reprise le {self.end:%d/%m/%Y}"


class MeasureEvaluation(CaseEntry):
    """A (re)evaluation of the person's situation actually done (sursis probatoire renforcé:
    at least once a year, CPP art. 741-2 al. 3): the yearly deadline rolls from the last one."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="evaluations", editable=False
    )
    done_on = models.DateField("réévaluation du")
    source = fields.optional_text("source")
    created_by = fields.author()

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = "réévaluation"
        indexes = [models.Index(fields=["measure", "done_on"], name="evaluation_measure_idx")]

    __str__ = named_by_date("Réévaluation", "done_on")
