"""Victim compensation ledger (CP art. 132-45 5°) and TIG ledger corrections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.ledgers.models import CompensationLedger, CompensationPayment, TigLedger
from parcours.rules.ledgers import monthly_schedule
from tests.conftest import Cast
from tests.helpers import client_for, file_tab
from tests.obligations.factories import make_obligation

from .factories import first_compensation_ledger, first_tig_ledger

pytestmark = pytest.mark.django_db


def test_132_45_5_schedule_sums_to_the_amount_ordered() -> None:
    schedule = monthly_schedule(Decimal("1000.00"), date(2026, 1, 31), 3)
    assert [i.due for i in schedule] == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    assert [i.amount for i in schedule] == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert sum(i.amount for i in schedule) == Decimal("1000.00")


@pytest.mark.parametrize(
    ("amount", "count", "message"),
    [
        (Decimal("0"), 3, "strictement positif"),
        (Decimal("10.001"), 3, "deux décimales"),
        (Decimal("100"), 0, "entre 1 et 120"),
        (Decimal("0.02"), 5, "nulle"),
    ],
)
def test_132_45_5_impossible_schedules(amount: Decimal, count: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        monthly_schedule(amount, date(2026, 1, 5), count)


def test_open_a_compensation_ledger_from_the_person_file(cast: Cast) -> None:
    make_obligation(cast.person, "cp_132_45_5")
    client = client_for(cast.cpip)
    page = client.get(file_tab(cast.person, "registres")).content.decode()
    assert "Ouvrir un registre d'indemnisation" in page
    measure = cast.person.measures.order_by("pk").first()
    url = reverse("ledgers:compensation_create", args=[measure.public_id])
    response = client.post(
        url,
        {
            "beneficiary": "Partie civile 1",
            "amount_ordered": "1500,00",
            "decided_on": "2026-01-05",
            "first_due": "2026-02-05",
            "installments": "10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ledger = CompensationLedger.objects.get(person=cast.person)
    assert ledger.installments.count() == 10
    assert sum(i.amount for i in ledger.installments.all()) == Decimal("1500.00")
    page = client.get(file_tab(cast.person, "registres")).content.decode()
    assert "Indemnisation de la victime — Partie civile 1" in page
    assert "Arriéré" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount_ordered": "-5"}, "strictement positif"),
        ({"amount_ordered": "abc"}, "Saisissez un nombre"),
        ({"installments": "500"}, "inférieure ou égale à 120"),
        ({"first_due": "2025-01-01"}, "précède la décision"),
        ({"decided_on": "2099-01-01"}, "futur"),
    ],
)
def test_compensation_ledger_bad_input(cast: Cast, overrides: dict[str, str], message: str) -> None:
    measure = cast.person.measures.order_by("pk").first()
    data = {
        "beneficiary": "Partie civile 1",
        "amount_ordered": "1500",
        "decided_on": "2026-01-05",
        "first_due": "2026-02-05",
        "installments": "10",
        **overrides,
    }
    response = client_for(cast.cpip).post(
        reverse("ledgers:compensation_create", args=[measure.public_id]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CompensationLedger.objects.exists()


def test_payments_balance_and_overpayment_refused(cast: Cast) -> None:
    ledger = first_compensation_ledger(cast.person)
    client = client_for(cast.cpip)
    url = reverse("ledgers:compensation_payment", args=[ledger.public_id])
    ok = client.post(url, {"paid_on": "2026-03-01", "amount": "250,00", "reference": "Virement"})
    assert ok.status_code == 302
    too_much = client.post(url, {"paid_on": "2026-03-02", "amount": "1000"})
    assert too_much.status_code == 400
    assert "dépasse le montant ordonné" in too_much.content.decode()
    before_decision = client.post(url, {"paid_on": "2025-12-01", "amount": "10"})
    assert "précède la décision" in before_decision.content.decode()
    assert CompensationPayment.objects.filter(ledger=ledger).count() == 1
    page = client.get(file_tab(cast.person, "registres")).content.decode()
    assert "950,00" in page or "950.00" in page  # balance


def test_lowering_the_amount_below_the_schedule_is_refused(cast: Cast) -> None:
    ledger = first_compensation_ledger(cast.person)
    response = client_for(cast.cpip).post(
        reverse("ledgers:compensation_edit", args=[ledger.public_id]),
        {
            "version": ledger.version,
            "beneficiary": ledger.beneficiary,
            "amount_ordered": "100",
            "decided_on": "2026-01-05",
        },
    )
    assert response.status_code == 400
    assert "dépasse le montant ordonné" in response.content.decode()


def test_stale_compensation_edit_is_a_409(cast: Cast) -> None:
    ledger = first_compensation_ledger(cast.person)
    url = reverse("ledgers:compensation_edit", args=[ledger.public_id])
    data = {
        "version": ledger.version,
        "beneficiary": "Partie civile A",
        "amount_ordered": "1300",
        "decided_on": "2026-01-05",
    }
    assert client_for(cast.cpip).post(url, data).status_code == 302
    stale = client_for(cast.dpip).post(url, {**data, "beneficiary": "Fonds de garantie"})
    assert stale.status_code == 409
    assert "modifié par quelqu'un d'autre" in stale.content.decode()
    assert CompensationLedger.objects.get(pk=ledger.pk).beneficiary == "Partie civile A"


def test_stale_tig_ledger_edit_is_a_409(cast: Cast) -> None:
    ledger = first_tig_ledger(cast.person)
    url = reverse("ledgers:tig_edit", args=[ledger.public_id])
    data = {
        "version": ledger.version,
        "hours_ordered": "140",
        "offence": "delit",
        "enforceable_from": "2026-01-05",
        "host_structure": "Mairie",
    }
    assert client_for(cast.cpip).post(url, data).status_code == 302
    stale = client_for(cast.dpip).post(url, {**data, "hours_ordered": "200"})
    assert stale.status_code == 409
    assert "140 h" in stale.content.decode()
    assert TigLedger.objects.get(pk=ledger.pk).hours_ordered == 140


def test_tig_edit_checks_hours_and_sessions(cast: Cast) -> None:
    from parcours.ledgers.models import TigSession

    ledger = first_tig_ledger(cast.person)
    TigSession.objects.create(ledger=ledger, day=date(2026, 2, 1), hours=Decimal("4"))
    url = reverse("ledgers:tig_edit", args=[ledger.public_id])
    data = {
        "version": ledger.version,
        "hours_ordered": "500",
        "offence": "delit",
        "enforceable_from": "2026-03-01",
        "host_structure": "",
    }
    response = client_for(cast.cpip).post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "400" in body and "01/02/2026" in body


def test_other_spip_ledgers_are_not_found(cast: Cast) -> None:
    ledger = first_compensation_ledger(cast.other_person)
    client = client_for(cast.cpip)
    for name in ("ledgers:compensation_edit", "ledgers:compensation_payment"):
        assert client.get(reverse(name, args=[ledger.public_id])).status_code == 404
