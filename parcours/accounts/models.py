"""Organisations (DISP, SPIP, antennes, tribunaux, partenaires) and users with one role each."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from parcours.core.fields import choice, nullable_link, optional_link, optional_text
from parcours.core.models import PublicRecord
from parcours.rules.roles import COURT_ROLES, MANAGER_ROLES, SPIP_STAFF_ROLES, Role
from parcours.rules.vocabulary import OrganisationKind, SiteType

# The second-factor devices (proxies of django-otp's tables), registered with this app's models.
from .devices import RecoveryCodes, SealedTOTPDevice

__all__ = [
    "COURT_ROLES",
    "MANAGER_ROLES",
    "NO_ROLE",
    "ROLE_ORGANISATION_KINDS",
    "SPIP_STAFF_ROLES",
    "Organisation",
    "OrganisationKind",
    "RecoveryCodes",
    "Role",
    "RoleGrant",
    "SealedTOTPDevice",
    "SiteType",
    "User",
    "UserSession",
]


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Fuseau horaire inconnu : %(value)s", params={"value": value})


class Organisation(PublicRecord):
    """One node of the organisation tree. `spip` points to the SPIP it belongs to (itself for a
    SPIP, its parent SPIP for an antenne, the SPIP of its ressort for a tribunal)."""

    kind = choice("type", OrganisationKind.choices, max_length=20)
    name = models.CharField("nom", max_length=200)
    code = optional_text("code", max_length=20)
    parent = nullable_link("self", related_name="children", on_delete=models.PROTECT)
    spip = nullable_link("self", on_delete=models.PROTECT)
    site_type = choice("type de site", SiteType.choices, max_length=20, blank=True)
    timezone = models.CharField(
        "fuseau horaire", max_length=64, default="Europe/Paris", validators=[validate_timezone]
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="organisation_kind_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


# Which organisation kinds each role may belong to.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.CPIP: {OrganisationKind.ANTENNE, OrganisationKind.SPIP},
    Role.DPIP: {OrganisationKind.ANTENNE, OrganisationKind.SPIP},
    Role.DFSPIP: {OrganisationKind.SPIP},
    Role.SECRETARIAT: {OrganisationKind.ANTENNE, OrganisationKind.SPIP},
    Role.PSYCHOLOGUE: {OrganisationKind.ANTENNE, OrganisationKind.SPIP},
    Role.SURVEILLANT: {OrganisationKind.ANTENNE, OrganisationKind.SPIP},
    Role.JAP: {OrganisationKind.TRIBUNAL},
    Role.GREFFE_SAP: {OrganisationKind.TRIBUNAL},
    Role.PARTENAIRE: {OrganisationKind.PARTENAIRE},
    Role.ADMIN: {
        OrganisationKind.ADMINISTRATION,
        OrganisationKind.DISP,
        OrganisationKind.SPIP,
    },
}


# The state of an account without any role: it can sign in, read the charter and sign out.
NO_ROLE = ""
NO_ROLE_LABEL = "Sans rôle"


class ParcoursUserManager(UserManager["User"]):
    def get_queryset(self) -> models.QuerySet[User]:
        # Every request reads the user's organisation and SPIP (scope, time zone): one query.
        return super().get_queryset().select_related("organisation__spip")


class User(PublicRecord, AbstractUser):
    organisation = optional_link(
        Organisation, "organisation", related_name="members", on_delete=models.PROTECT
    )
    # NO_ROLE (""): an account whose role waits for a second person's approval (RoleGrant) or was
    # withdrawn; no door lets it in (docs/adr/0013-two-person-role-grants.md).
    role = choice("rôle", Role.choices, max_length=20, default=Role.CPIP, blank=True)
    charter_accepted_at = models.DateTimeField("charte acceptée le", null=True, blank=True)

    objects = ParcoursUserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "utilisateur"
        indexes = [models.Index(fields=["organisation", "role"], name="user_org_role_idx")]

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.username

    @property
    def role_label(self) -> str:
        return self.get_role_display() if self.role else NO_ROLE_LABEL

    @property
    def spip_id(self) -> int | None:
        org = self.organisation
        return org.spip_id if org is not None else None

    @property
    def is_spip_staff(self) -> bool:
        return self.role in SPIP_STAFF_ROLES and self.spip_id is not None

    @property
    def pending_role_grant(self) -> RoleGrant | None:
        """The role request about this account still waiting for its second person, if any."""
        return (
            self.role_grants.filter(decision=GrantDecision.EN_ATTENTE)
            .select_related("organisation")
            .order_by("-requested_at")
            .first()
        )

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES and self.spip_id is not None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def service_timezone(self) -> str:
        org = self.organisation
        if org is None:
            return "Europe/Paris"
        if org.spip_id and org.spip_id != org.pk and org.spip is not None:
            return org.spip.timezone
        return org.timezone


class UserSession(models.Model):
    """Sessions opened by a user, so deactivation and logout can end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="open_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where the sign-in came from, shown to the user on "Mes sessions" (accounts.sessions).
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    # The browser's User-Agent at sign-in (cut), shown as "Firefox sur Windows" on "Mes sessions".
    user_agent = models.CharField("navigateur", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = "session"

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}…"


class GrantDecision(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    VALIDEE = "validee", "Validée"
    REJETEE = "rejetee", "Rejetée"
    ANNULEE = "annulee", "Annulée"


class RoleGrant(PublicRecord):
    """A role (and organisation) an administrator asked for an account. It takes effect only when
    a second person approves it (accounts.services.decide_role_grant)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_grants", verbose_name="compte"
    )
    role = choice("rôle demandé", Role.choices, max_length=20)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisation demandée",
    )
    previous_role = optional_text("rôle précédent", max_length=20)
    previous_organisation = optional_link(
        Organisation, "organisation précédente", on_delete=models.PROTECT
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="demandé par"
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    decision = choice(
        "décision", GrantDecision.choices, max_length=20, default=GrantDecision.EN_ATTENTE
    )
    decided_by = optional_link(User, "décidé par", on_delete=models.PROTECT)
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    reason = models.TextField("motif", blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = "demande d'attribution de rôle"
        constraints = [
            # One pending request per account: a new request cancels the previous one.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(decision="en_attente"),
                name="rolegrant_one_pending_per_user",
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")),
                name="rolegrant_not_for_oneself",
            ),
        ]
        indexes = [models.Index(fields=["decision", "requested_at"], name="rolegrant_pending_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.get_role_display()} ({self.organisation})"

    @property
    def is_pending(self) -> bool:
        return self.decision == GrantDecision.EN_ATTENTE
