"""The detention record of a person (milieu fermé): the écrou in an establishment, its
transfers, the custody to deduct, the sentences it executes, the reduction decisions, the
disciplinary sanctions the law reads, the release; and the sentence dates computed from it
(rules.sentences), stored per écrou so that lists and the nightly read columns, not JSON."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from parcours.core.fields import (
    case_person,
    choice,
    nullable_one_to_one,
    optional_date,
    optional_text,
    period_check,
)
from parcours.core.models import CaseRecord, VersionedEntry
from parcours.people.models import Person
from parcours.rules.detention import CustodyKind, Execution, ReductionKind, ReleaseKind
from parcours.rules.timeline import Nature


def _fr(day: Any) -> str:
    return f"{day:%d/%m/%Y}"


def establishment_link(label: str = "établissement") -> models.ForeignKey[Any, Any]:
    """A prison establishment (an organisation of kind établissement), kept while it is named."""
    return models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=label,
        limit_choices_to={"kind": "etablissement"},
    )


class Ecrou(CaseRecord):
    """One uninterrupted custody of the person in the prison system (the écrou), from
    `start` (date d'écrou) to `released_on` (first day out, exclusive; empty while it lasts).
    The person's `people.IncarcerationPeriod` (which suspends their probation measures) is kept
    in step with it by the services: `incarceration`."""

    person = case_person("ecrous")
    establishment = establishment_link()
    number = models.CharField("numéro d'écrou", max_length=30)
    start = models.DateField("date d'écrou")
    released_on = optional_date(
        "date de libération", "Premier jour hors détention ; vide tant que la détention dure."
    )
    release_kind = choice("mode de sortie", ReleaseKind.choices, blank=True)
    # Facts the conditions of release read (rules.sentences.SentenceCase).
    parent_enfant_moins_10 = models.BooleanField(
        "parent d'un enfant de moins de dix ans résidant habituellement chez lui", default=False
    )
    hebergement = models.BooleanField(
        "hébergement justifié à la sortie",
        default=False,
        help_text="Condition de la libération sous contrainte de plein droit (CPP art. 720).",
    )
    incarceration = nullable_one_to_one(
        "people.IncarcerationPeriod", related_name="ecrou", editable=False
    )

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = "écrou"
        indexes = [models.Index(fields=["person", "start"], name="ecrou_person_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "number"], name="ecrou_number_unique_per_establishment"
            ),
            period_check("ecrou_release_after_start", end="released_on"),
        ]

    def __str__(self) -> str:
        return f"Écrou n° {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            mark_detained([self.person_id])
            if Ecrou.person.is_cached(self):  # the caller's instance too
                self.person.ever_detained = True


def mark_detained(person_ids: list[int]) -> int:
    """Flags the people an écrou was recorded for (`Person.ever_detained`, read by the person
    file's detention panels). `Ecrou.save` calls it; the bulk writers (import, demo, national
    generator) call it after their `bulk_create`; `sync_ever_detained` is the nightly net."""
    return Person.objects.filter(pk__in=person_ids, ever_detained=False).update(ever_detained=True)


def sync_ever_detained() -> int:
    """Flags every person with an écrou who is not flagged yet (run nightly by
    recompute_sentence_dates: a writer that forgot `mark_detained` is caught within a day)."""
    held = Ecrou.objects.filter(person_id=models.OuterRef("pk"))
    return Person.objects.filter(models.Exists(held), ever_detained=False).update(
        ever_detained=True
    )


class Transfer(VersionedEntry):
    """A move of the détenu from one establishment to another during the écrou."""

    ecrou = models.ForeignKey(Ecrou, on_delete=models.CASCADE, related_name="transfers")
    on = models.DateField("date du transfert")
    to_establishment = establishment_link("établissement d'arrivée")
    # Where the person was before (the écrou's establishment at the time): a deleted transfer
    # gives it back to the écrou. Empty for the transfers recorded before it was kept.
    from_establishment = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="établissement de départ",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = "transfert"

    def __str__(self) -> str:
        return f"Transfert du {_fr(self.on)}"


class PriorCustody(VersionedEntry):
    """Custody served outside the current écrou, deducted from the sentence (CPP art. 716-4):
    half-open, `start` the first day, `end` the first day free."""

    ecrou = models.ForeignKey(Ecrou, on_delete=models.CASCADE, related_name="prior_custody")
    kind = choice("nature", CustodyKind.choices)
    start = models.DateField("début")
    end = models.DateField("fin (premier jour libre)")
    note = optional_text("précision")

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = "détention à imputer"
        verbose_name_plural = "détentions à imputer"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="prior_custody_end_after_start"
            )
        ]

    def __str__(self) -> str:
        kind = self.get_kind_display()
        return f"{kind} du {_fr(self.start)} au {_fr(self.end)} (premier jour libre)"

    @property
    def days(self) -> int:
        return (self.end - self.start).days


class SentenceLine(CaseRecord):
    """A sentence executed on the écrou, in `rank` order (one after the other; a confusion is
    entered as one sentence). The length is the custodial part to serve (the ferme part of a
    mixed sentence)."""

    ecrou = models.ForeignKey(Ecrou, on_delete=models.CASCADE, related_name="sentences")
    rank = models.PositiveSmallIntegerField("ordre d'exécution", default=1)
    years = models.PositiveSmallIntegerField("années", default=0)
    months = models.PositiveSmallIntegerField("mois", default=0)
    days = models.PositiveSmallIntegerField("jours", default=0)
    execution = choice("exécution", Execution.choices, max_length=12, default=Execution.SUCCESSIVE)
    definitive_on = models.DateField("date à laquelle la condamnation est définitive", null=True)
    nature = choice("nature de l'infraction", Nature.choices, max_length=16, default=Nature.DELIT)
    recidive = models.BooleanField("récidive légale", default=False)
    # rules.detention.SentenceFlag values
    flags = models.JSONField("faits retenus", default=list, blank=True)
    surete_years = models.PositiveSmallIntegerField("sûreté : années", default=0)
    surete_months = models.PositiveSmallIntegerField("sûreté : mois", default=0)
    surete_days = models.PositiveSmallIntegerField("sûreté : jours", default=0)
    # The conviction's facts as written on the fiche pénale.
    court = optional_text("juridiction")
    judged_on = optional_date("date de la décision")
    offence = optional_text("infraction", max_length=300)

    class Meta:
        ordering = ["rank", "pk"]
        verbose_name = "peine à exécuter"
        verbose_name_plural = "peines à exécuter"
        constraints = [
            models.UniqueConstraint(fields=["ecrou", "rank"], name="sentence_rank_unique"),
            models.CheckConstraint(
                condition=Q(years__gt=0) | Q(months__gt=0) | Q(days__gt=0),
                name="sentence_length_positive",
            ),
        ]


class ReductionDecision(VersionedEntry):
    """A decision of the JAP on reductions: granted (or withdrawn, `withdrawn`), by date."""

    ecrou = models.ForeignKey(Ecrou, on_delete=models.CASCADE, related_name="reductions")
    kind = choice("type", ReductionKind.choices, max_length=12, default=ReductionKind.RP)
    granted_on = models.DateField("date de la décision")
    months = models.PositiveSmallIntegerField("mois", default=0)
    days = models.PositiveSmallIntegerField("jours", default=0)
    withdrawn = models.BooleanField("retirée", default=False)
    note = optional_text("précision")

    class Meta:
        ordering = ["granted_on", "pk"]
        verbose_name = "décision de réduction de peine"
        verbose_name_plural = "décisions de réduction de peine"
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gt=0) | Q(days__gt=0), name="reduction_amount_positive"
            )
        ]

    def __str__(self) -> str:
        amount = " ".join(
            f"{n} {unit}" for n, unit in ((self.months, "mois"), (self.days, "jour(s)")) if n
        )
        withdrawn = "retrait de " if self.withdrawn else ""
        return f"{self.get_kind_display()} du {_fr(self.granted_on)} : {withdrawn}{amount}"


class DisciplinarySanction(VersionedEntry):
    """A disciplinary sanction that the law reads (CPP art. 720 III: violence against staff or a
    person working in the establishment excludes the LSC de plein droit)."""

    ecrou = models.ForeignKey(Ecrou, on_delete=models.CASCADE, related_name="sanctions")
    on = models.DateField("date de la sanction")
    violence = models.BooleanField(
        "pour des violences sur un membre du personnel ou un intervenant", default=False
    )
    description = optional_text("faits", max_length=300)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = "sanction disciplinaire"

    def __str__(self) -> str:
        return f"Sanction disciplinaire du {_fr(self.on)}"


class SentenceSituation(models.Model):
    """The dates computed by rules.sentences.compute for an écrou, as of `as_of`, with the
    engine's whole answer (`result`: dates_to_json) and the columns lists filter on. Written
    by the services on every change of the record and by the nightly; `fingerprint` is the
    input's digest, so a nightly run with nothing changed writes nothing."""

    ecrou = models.OneToOneField(Ecrou, on_delete=models.CASCADE, related_name="situation")
    person = case_person()
    as_of = models.DateField()
    computed_at = models.DateTimeField()
    fingerprint = models.CharField(max_length=64)
    regime = models.CharField(max_length=12, blank=True)
    release_date = models.DateField(null=True)
    lc_from = models.DateField(null=True)
    lc_parental_from = models.DateField(null=True)
    examination_on = models.DateField(null=True)
    lsc_on = models.DateField(null=True)
    lsc_applies = models.BooleanField(default=False)
    one_year_on = models.DateField(null=True)
    six_months_on = models.DateField(null=True)
    result = models.JSONField(default=dict)
    error = models.CharField(max_length=300, blank=True)  # French: why no date could be computed

    class Meta:
        verbose_name = "situation pénale calculée"
        indexes = [
            models.Index(fields=["release_date"], name="situation_release_idx"),
            models.Index(fields=["lc_from"], name="situation_lc_idx"),
        ]

    def __str__(self) -> str:
        return f"Situation pénale de l'écrou {self.ecrou_id} au {self.as_of:%d/%m/%Y}"
