"""Partners (issue 17): the directory of partner organisations (profile, agreements) and the
referrals (orientations) the SPIP sends them, with their sessions and the justificatifs their
attestations became (rules/referrals.py: kinds, data sets, status machine)."""

from __future__ import annotations

from django.db import models

from parcours.core.fields import (
    choice,
    inclusive_period_check,
    nullable_one_to_one,
    optional_date,
    optional_link,
    optional_text,
)
from parcours.core.models import CaseEntry, CaseRecord, PublicRecord, named_by_date
from parcours.rules import referrals as rules
from parcours.rules.vocabulary import ConsentMeans, PartnerKind, ReferralStatus


class PartnerProfile(PublicRecord):
    """The directory entry of one partner Organisation (kind "partenaire"), in the directory of
    one SPIP. Edited by the SPIP's encadrement (versioned)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="partner_profile"
    )
    spip = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="SPIP"
    )
    partner_kind = choice("type de partenaire", PartnerKind.choices, max_length=20)
    areas = models.CharField(
        "départements couverts",
        max_length=100,
        help_text="Numéros de département séparés par des virgules, par exemple « 59, 62 ».",
    )
    services = models.TextField("services proposés", blank=True)
    phone = optional_text("téléphone", max_length=20)
    email = models.EmailField("adresse électronique", blank=True)
    address = optional_text("adresse", max_length=250)
    accepted_kinds = models.JSONField("orientations acceptées", default=list, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = "fiche partenaire"

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def area_list(self) -> list[str]:
        return [a.strip() for a in self.areas.split(",") if a.strip()]

    @property
    def accepted_labels(self) -> list[str]:
        return [rules.BY_CODE[c].label for c in self.accepted_kinds if c in rules.BY_CODE]

    @property
    def summary(self) -> str:
        return (
            f"{self.get_partner_kind_display()}, départements {self.areas}, "
            f"tél. {self.phone or '—'}, {self.email or '—'}"
        )


# What the SPIP's encadrement edits on a directory entry (the form, the versioned save).
PROFILE_FIELDS = [
    "partner_kind",
    "areas",
    "services",
    "phone",
    "email",
    "address",
    "accepted_kinds",
]


class Agreement(PublicRecord):
    """A convention between the SPIP and the partner."""

    profile = models.ForeignKey(PartnerProfile, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField("intitulé", max_length=200)
    starts_on = models.DateField("début")
    ends_on = optional_date("fin")
    document_reference = optional_text("référence du document")

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = "convention"
        constraints = [inclusive_period_check("agreement_end_after_start", "starts_on", "ends_on")]

    def __str__(self) -> str:
        return self.title


class Referral(CaseRecord):
    """An orientation of a person to a partner organisation."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name="partenaire",
    )
    kind = choice("type d'orientation", rules.KIND_CHOICES, max_length=40)
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    obligation = optional_link(
        "obligations.Obligation", "obligation servie", related_name="referrals"
    )
    # The plan step the referral delivers ("Orienter" on a step of the plan in force).
    plan_step = optional_link("plans.Step", "étape du plan")
    reason = models.TextField(
        "message pour le partenaire",
        help_text="Ce que le partenaire lira : l'objet de l'orientation, sans détail de "
        "l'infraction ni de la situation pénale.",
    )
    consent_given_on = optional_date("accord de la personne le")
    consent_means = choice("forme de l'accord", ConsentMeans.choices, max_length=10, blank=True)
    status = choice(
        "statut", ReferralStatus.choices, max_length=12, default=ReferralStatus.BROUILLON
    )
    status_reason = models.TextField("motif", blank=True)
    end_note = models.TextField("bilan de fin d'accompagnement", blank=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "orientation"
        indexes = [models.Index(fields=["partner", "status"], name="referral_partner_status_idx")]

    def __str__(self) -> str:
        return f"Orientation « {self.kind_label} »"

    @property
    def kind_rules(self) -> rules.ReferralKind:
        return rules.kind(self.kind)

    @property
    def kind_label(self) -> str:
        found = rules.BY_CODE.get(self.kind)
        return found.label if found else self.kind

    @property
    def summary(self) -> str:
        return f"{self.kind_label} — {self.get_status_display()}"


class ReferralSession(CaseEntry):
    """A session with the partner: attendance, a short note for the SPIP, TIG hours (pending
    the CPIP's validation in the TIG ledger)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField("date")
    attended = models.BooleanField("présent")
    note = optional_text("observation", max_length=500)
    hours = models.DecimalField(
        "heures de TIG effectuées", max_digits=4, decimal_places=1, null=True, blank=True
    )
    tig_session = nullable_one_to_one("ledgers.TigSession")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = "séance"

    __str__ = named_by_date("Séance", "day")


class ReferralProof(models.Model):
    """An attestation a partner uploaded, which became a justificatif of the obligation."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attestations")
    proof = models.OneToOneField(
        "obligations.Proof", on_delete=models.CASCADE, related_name="referral_link"
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = "attestation d'un partenaire"

    def __str__(self) -> str:
        return f"Attestation {self.proof_id}"
