"""What a partner sees of a referral: a projection built from the kind's minimal data set
(rules.referrals.KINDS[…].fields). The partner's pages and the CSV export render only this
dataclass, never the referral or the person: a field outside the data set stays None and no
template can reach it (tests/partners/test_minimisation.py puts markers in every other field).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from parcours.rules import referrals as rules
from parcours.rules.referrals import Field

from .models import Referral


@dataclass(frozen=True)
class SessionRow:
    day: date
    attended: bool
    note: str
    hours: Decimal | None


@dataclass(frozen=True)
class AttestationRow:
    received_on: date
    name: str
    status: str


@dataclass(frozen=True)
class PartnerView:
    public_id: str
    kind_label: str
    status: str
    status_label: str
    reason: str  # the CPIP's text written for the partner
    sent_at: datetime | None
    status_reason: str
    end_note: str
    # The data set: None when the kind does not include the field.
    last_name: str | None = None
    first_names: str | None = None
    birth_date: date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    housing: str | None = None
    obligation: str | None = None
    tig_hours_ordered: int | None = None
    tig_enforceable_from: date | None = None
    accepts_attestation: bool = False
    records_tig_hours: bool = False
    sessions: tuple[SessionRow, ...] = ()
    attestations: tuple[AttestationRow, ...] = ()

    @property
    def person_label(self) -> str:
        return f"{self.last_name or ''} {self.first_names or ''}".strip() or "—"


def _current_address(referral: Referral) -> str:
    """The person's current address (prefetched `person__addresses`)."""
    current = [a for a in referral.person.addresses.all() if a.until is None]
    if not current:
        return ""
    a = max(current, key=lambda a: a.since)
    return f"{a.line}, {a.postal_code} {a.city}"


def project(referral: Referral, *, with_history: bool = False) -> PartnerView:
    """The partner's view of `referral`. Lists: `person`, `obligation__obligation_type`,
    `measure__tig_ledger` joined and `person__addresses` prefetched when a kind shows the
    address; `with_history` reads the sessions and attestations (prefetched or one query
    each)."""
    kind = rules.kind(referral.kind)
    shown = kind.fields
    person = referral.person
    values: dict[str, object] = {}
    if Field.IDENTITE in shown:
        values.update(
            last_name=person.last_name.upper(),
            first_names=person.first_names,
            birth_date=person.birth_date,
        )
    if Field.CONTACT in shown:
        values.update(phone=person.phone, email=person.email)
    if Field.ADRESSE in shown:
        values["address"] = _current_address(referral)
    if Field.LOGEMENT in shown:
        values["housing"] = person.get_housing_display()
    if Field.OBLIGATION in shown and referral.obligation is not None:
        ob_type = referral.obligation.obligation_type
        values["obligation"] = f"{ob_type.label} ({ob_type.article})"
    if Field.TIG in shown and referral.measure is not None:
        ledger = getattr(referral.measure, "tig_ledger", None)
        if ledger is not None:
            values["tig_hours_ordered"] = ledger.hours_ordered
            values["tig_enforceable_from"] = ledger.enforceable_from
    if with_history:
        values["sessions"] = tuple(
            SessionRow(s.day, s.attended, s.note, s.hours) for s in referral.sessions.all()
        )
        values["attestations"] = tuple(
            AttestationRow(
                link.proof.received_on, link.proof.original_name, link.proof.get_status_display()
            )
            for link in referral.attestations.select_related("proof")
        )
    return PartnerView(
        public_id=str(referral.public_id),
        kind_label=kind.label,
        status=referral.status,
        status_label=referral.get_status_display(),
        reason=referral.reason,
        sent_at=referral.sent_at,
        status_reason=referral.status_reason,
        end_note=referral.end_note,
        accepts_attestation=referral.obligation_id is not None,
        records_tig_hours=kind.tig_hours,
        **values,  # type: ignore[arg-type]
    )


# The CSV export's columns: (header, attribute). Only data-set attributes and the referral's own.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Orientation", "kind_label"),
    ("Statut", "status_label"),
    ("Envoyée le", "sent_at"),
    ("Nom", "last_name"),
    ("Prénoms", "first_names"),
    ("Date de naissance", "birth_date"),
    ("Téléphone", "phone"),
    ("Courriel", "email"),
    ("Adresse", "address"),
    ("Logement", "housing"),
    ("Obligation", "obligation"),
    ("Heures de TIG ordonnées", "tig_hours_ordered"),
)
