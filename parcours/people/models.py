"""Personnes suivies: identity, contact, address history, referent and assignment history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from parcours.accounts.models import COURT_ROLES, SPIP_STAFF_ROLES
from parcours.core.fields import (
    author,
    choice,
    optional_date,
    optional_link,
    optional_text,
    period_check,
)
from parcours.core.models import CaseRecord
from parcours.rules.compliance import ComplianceState
from parcours.rules.identity import fold, normalise_appi
from parcours.rules.vocabulary import Housing, Sex

if TYPE_CHECKING:
    from parcours.accounts.models import User


SEARCH_NAME_LENGTH = 400


def search_key(last_name: str, first_names: str, birth_name: str) -> str:
    """The folded names stored in `search_name`. Folding can lengthen a name (a ligature such as
    "㎯" folds to "RAD S2"), so the key is cut to the column's length."""
    return fold(f"{last_name} {first_names} {birth_name}")[:SEARCH_NAME_LENGTH]


def related_manager(model: type[models.Model], relation: str) -> models.Manager[Any]:
    """The default manager of the model at the other end of `relation` (a reverse relation such
    as `Person.measures`): people reads the tables above it without importing their apps."""
    related = model._meta.get_field(relation).related_model
    assert isinstance(related, type) and issubclass(related, models.Model)
    return related._default_manager


@dataclass(frozen=True)
class PeopleScope:
    """Whose files a user may find: the people of one SPIP, the people with a measure of one
    tribunal, or nobody (both None)."""

    spip_id: int | None = None
    tribunal_id: int | None = None


NOBODY = PeopleScope()


def scope_of(user: User) -> PeopleScope:
    """The scope every list and door of people starts from (rules: people/access.py): SPIP
    staff, their own SPIP; the court, people with a measure of their tribunal; anyone else,
    nobody."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return NOBODY
    if user.role in SPIP_STAFF_ROLES:
        return PeopleScope(spip_id=user.spip_id) if user.spip_id is not None else NOBODY
    if user.role in COURT_ROLES:
        return PeopleScope(tribunal_id=user.organisation_id)
    return NOBODY


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User) -> PersonQuerySet:
        """The people of the user's scope (`scope_of`)."""
        return self.in_scope(scope_of(user))

    def in_scope(self, scope: PeopleScope) -> PersonQuerySet:
        if scope.spip_id is not None:
            return self.filter(spip_id=scope.spip_id)
        if scope.tribunal_id is not None:
            measures = related_manager(self.model, "measures")
            return self.filter(
                Exists(measures.filter(person_id=OuterRef("pk"), tribunal_id=scope.tribunal_id))
            )
        return self.none()

    def matching(self, query: str) -> PersonQuerySet:
        """By APPI number (6 digits or more, separators ignored) or by folded name: every word
        typed, in any order ("Christophe Albert" finds ALBERT Christophe)."""
        appi = normalise_appi(query)
        if appi.isdigit() and len(appi) >= 6:
            return self.filter(appi_number__startswith=appi)
        found = self
        for word in fold(query).split() or [""]:
            found = found.filter(search_name__contains=word)
        return found


class Person(CaseRecord):
    spip = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="SPIP"
    )
    antenna = optional_link("accounts.Organisation", "antenne", on_delete=models.PROTECT)
    referent = optional_link(
        "accounts.User", "CPIP référent", related_name="caseload", on_delete=models.PROTECT
    )
    last_name = models.CharField("nom d'usage", max_length=100)
    birth_name = optional_text("nom de naissance", max_length=100)
    first_names = models.CharField("prénoms", max_length=150)
    aliases = optional_text("alias", max_length=300)
    birth_date = models.DateField("date de naissance")
    birth_place = optional_text("lieu de naissance", max_length=150)
    birth_country = optional_text("pays de naissance", max_length=100)
    sex = choice("sexe", Sex.choices, max_length=1, default=Sex.NON_PRECISE)
    nationality = optional_text("nationalité", max_length=100)
    languages = optional_text("langues parlées")
    phone = optional_text("téléphone portable", max_length=20)
    email = models.EmailField("adresse électronique", blank=True)
    no_phone = models.BooleanField("sans téléphone", default=False)
    refuses_sms = models.BooleanField("refuse les SMS", default=False)
    housing = choice(
        "situation d'hébergement", Housing.choices, max_length=30, default=Housing.INCONNU
    )
    appi_number = optional_text("numéro APPI", max_length=12)
    # Folded "NOM PRENOMS" (no accents, upper case): name search and duplicate detection.
    search_name = models.CharField(max_length=SEARCH_NAME_LENGTH, editable=False, db_index=True)
    # Worst compliance status of the obligations of the current measures, stored by
    # obligations.compliance.refresh_compliance (blank: nothing to check). Not sensitive data.
    compliance_status = choice(
        "suivi des obligations",
        ComplianceState.choices,
        max_length=20,
        blank=True,
        editable=False,
    )
    # Set when a first écrou is recorded (detention: Ecrou.save, mark_detained), cleared only by
    # the retention purge with the detention record: the person file skips the écrou query for
    # the many never detained. db_default: the national generator's COPY leaves the column out.
    ever_detained = models.BooleanField(
        "déjà écroué", default=False, db_default=False, editable=False
    )
    created_by = author()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_names"]
        verbose_name = "personne suivie"
        verbose_name_plural = "personnes suivies"
        indexes = [
            models.Index(fields=["spip", "last_name", "first_names"], name="person_spip_name_idx"),
            models.Index(
                fields=["referent", "last_name", "first_names"], name="person_referent_name_idx"
            ),
            models.Index(fields=["antenna", "last_name"], name="person_antenna_name_idx"),
            models.Index(fields=["spip", "birth_date"], name="person_spip_birth_idx"),
            # APPI search is a prefix search (LIKE '2024…%'): pattern ops make the index usable
            # whatever the database collation; equality (duplicates) uses it as well.
            models.Index(
                fields=["appi_number"],
                name="person_appi_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            # Caseload sort "Dernières créations" over a whole SPIP.
            models.Index(fields=["spip", "-created_at"], name="person_spip_created_idx"),
            models.Index(
                fields=["referent", "compliance_status"], name="person_referent_compl_idx"
            ),
            models.Index(fields=["spip", "compliance_status"], name="person_spip_compl_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["appi_number"],
                condition=~Q(appi_number=""),
                name="person_appi_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_names}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = search_key(self.last_name, self.first_names, self.birth_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_name"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def initials(self) -> str:
        return f"{self.first_names[:1]}{self.last_name[:1]}".upper()


class Address(models.Model):
    """Address history: the current address has no `until` date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line = models.CharField("adresse", max_length=250)
    postal_code = models.CharField("code postal", max_length=10)
    city = models.CharField("commune", max_length=100)
    since = models.DateField("depuis le")
    until = optional_date("jusqu'au")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-since", "-pk"]
        verbose_name = "adresse"

    def __str__(self) -> str:
        return f"{self.line}, {self.postal_code} {self.city}"


class Assignment(models.Model):
    """Who followed whom, when. The current referent has an open assignment (ended_at null)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    cpip = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField("début")
    ended_at = models.DateTimeField("fin", null=True, blank=True)
    reason = optional_text("motif", max_length=500)
    assigned_by = author()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "affectation"
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.cpip_id}"


class IncarcerationPeriod(CaseRecord):
    """A period of incarceration of the person (détention provisoire or a sentence), recorded
    once on the person and applying to all their measures: it suspends the probation (CP art.
    132-43 al. 2) and the TIG delay (CP art. 131-22). Half-open like rules.timeline.Suspension:
    `start` is the first day in custody, `end` the day of release (the first day back,
    exclusive), empty while it lasts."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="incarceration_periods", editable=False
    )
    start = models.DateField("début de l'incarcération")
    end = optional_date(
        "date de libération",
        help_text="Premier jour hors détention ; vide tant que l'incarcération dure.",
    )
    establishment = optional_text("établissement")
    source = optional_text(
        "source",
        help_text="Où l'incarcération est constatée : fiche pénale, avis de l'établissement…",
    )
    created_by = author()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = "période d'incarcération"
        verbose_name_plural = "périodes d'incarcération"
        indexes = [models.Index(fields=["person", "start"], name="incarceration_person_idx")]
        constraints = [period_check("incarceration_end_after_start")]

    def __str__(self) -> str:
        return self.summary

    @property
    def ongoing(self) -> bool:
        return self.end is None

    @property
    def summary(self) -> str:
        """One line (the saved version shown on a conflict)."""
        where = f" ({self.establishment})" if self.establishment else ""
        if self.end is None:
            return f"Incarcération depuis le {self.start:%d/%m/%Y}{where}, en cours"
        return f"Incarcération du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y} (libération){where}"
