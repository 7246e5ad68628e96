"""What a partner sees of a referral: a projection built from the kind's minimal data set
(rules.referrals.KINDS[…].fields). The partner's pages and the CSV export render only this
dataclass, never the referral or the person: a field outside the data set stays None and no
template can reach it (tests/partners/test_minimisation.py puts markers in every other field).
Once the referral is refused or closed (rules.referrals.MINIMISED_STATUSES), the projection keeps
only what tells it existed: its kind, status and dates, the person's initials (ADR 0019).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from parcours.people.phones import display_phone
from parcours.rules import referrals as rules
from parcours.rules.referrals import Field

from .models import Referral, ReferralSession


@dataclass(frozen=True)
class SessionRow:
    public_id: str
    day: date
    attended: bool
    note: str
    hours: Decimal | None
    hours_validated: bool  # the CPIP validated its TIG hours
    correctable: bool  # the partner may still correct or delete it

    @property
    def label(self) -> str:
        return rules.session_label(self.day, self.attended, self.hours)


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
    initials: str  # "L. D.": always, the only trace of the person once minimised
    minimised: bool = False  # refused or closed: none of the data set any more
    status_since: datetime | None = None  # the last change (the refusal, the closing)
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
        if self.minimised:
            return self.initials
        return f"{self.last_name or ''} {self.first_names or ''}".strip() or "—"


def initials(first_names: str, last_name: str) -> str:
    """ "Lucas", "Durand" → "L. D."."""
    letters = [name.strip()[:1].upper() for name in (first_names, last_name) if name.strip()]
    return " ".join(f"{letter}." for letter in letters) or "—"


def _current_address(referral: Referral) -> str:
    """The person's current address (prefetched `person__addresses`)."""
    current = [a for a in referral.person.addresses.all() if a.until is None]
    if not current:
        return ""
    a = max(current, key=lambda a: a.since)
    return f"{a.line}, {a.postal_code} {a.city}"


def session_row(
    referral: Referral, session: ReferralSession, *, minimised: bool = False
) -> SessionRow:
    """The partner's view of one session of `referral` (`tig_session` joined)."""
    tig = session.tig_session
    validated = tig is not None and not tig.pending
    return SessionRow(
        public_id=str(session.public_id),
        day=session.day,
        attended=session.attended,
        note="" if minimised else session.note,
        hours=session.hours,
        hours_validated=validated,
        correctable=not minimised
        and rules.session_correction_problem(referral.status, validated) is None,
    )


def project(referral: Referral, *, with_history: bool = False) -> PartnerView:
    """The partner's view of `referral`. Lists: `person`, `obligation__obligation_type`,
    `measure__tig_ledger` joined and `person__addresses` prefetched when a kind shows the
    address; `with_history` reads the sessions (their TIG hours joined) and the attestations
    (prefetched or one query each). A refused or closed referral shows none of the data set and
    none of the free texts (the CPIP's message, the motif, the bilan, the observations, the
    attestations' file names), which may name the person."""
    kind = rules.kind(referral.kind)
    shown = kind.fields
    person = referral.person
    minimised = referral.status in rules.MINIMISED_STATUSES
    values: dict[str, Any] = {}
    if minimised:
        shown = frozenset()
        values.update(reason="", status_reason="", end_note="")
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
            session_row(referral, s, minimised=minimised)
            for s in referral.sessions.select_related("tig_session")
        )
        values["attestations"] = tuple(
            AttestationRow(
                link.proof.received_on,
                "" if minimised else link.proof.original_name,
                link.proof.get_status_display(),
            )
            for link in referral.attestations.select_related("proof")
        )
    fields: dict[str, Any] = {
        "reason": referral.reason,
        "status_reason": referral.status_reason,
        "end_note": referral.end_note,
        **values,
    }
    return PartnerView(
        public_id=str(referral.public_id),
        kind_label=kind.label,
        status=referral.status,
        status_label=referral.get_status_display(),
        sent_at=referral.sent_at,
        initials=initials(person.first_names, person.last_name),
        minimised=minimised,
        status_since=referral.updated_at,
        accepts_attestation=not minimised and referral.obligation_id is not None,
        records_tig_hours=kind.tig_hours,
        **fields,
    )


# The CSV export's columns: (header, attribute). Only data-set attributes and the referral's own.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Orientation", "kind_label"),
    ("Statut", "status_label"),
    ("Envoyée le", "sent_at"),
    ("Initiales", "initials"),
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


def csv_cell(value: Any) -> str:
    """A cell of the export; formulas neutralised (security.md, bar 10) by a leading
    apostrophe. A phone number ("+" then digits and spaces) is no formula and stays as it is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    elif isinstance(value, date):
        value = value.strftime("%d/%m/%Y")
    text = str(value)
    if _is_phone_number(text):
        return text
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def _is_phone_number(text: str) -> bool:
    digits = text[1:].replace(" ", "")
    return text.startswith("+") and digits.isdigit() and digits.isascii()


def csv_row(view: PartnerView) -> list[str]:
    """The export's row of `view`: the phone in the French national format."""
    return [
        csv_cell(display_phone(view.phone or "") if attr == "phone" else getattr(view, attr))
        for _, attr in CSV_COLUMNS
    ]
