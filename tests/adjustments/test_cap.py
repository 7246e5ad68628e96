"""The CAP: a commission, its list built by the DPIP, the avis through the report pipeline
(prefill, validation, DOCX), the decisions (a reduction granted writes the detention record)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from parcours.adjustments import selectors, services
from parcours.adjustments.models import Commission, CommissionItem
from parcours.audit.models import AuditEvent
from parcours.detention.models import ReductionDecision
from parcours.reports import services as report_services
from parcours.reports.models import Report
from parcours.rules.adjustments import ItemKind

from ..conftest import Cast
from ..factories import UserFactory
from ..helpers import client_for
from .factories import THREE_YEARS, establishment, imprison

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def _commission(cast: Cast, held_on: date = date(2027, 3, 30)) -> Commission:
    return services.create_commission(
        cast.dpip, establishment=establishment(cast.spip), held_on=held_on, members="JAP, SPIP"
    )


def test_dpip_creates_a_commission_for_an_establishment_of_their_spip(cast: Cast) -> None:
    place = establishment(cast.spip)
    client = client_for(cast.dpip)
    url = reverse("adjustments:commissions")
    assert client.post(url, {}).status_code == 400
    created = client.post(url, {"establishment": place.pk, "held_on": "2027-03-30"})
    assert created.status_code == 302
    commission = Commission.objects.get()
    assert commission.spip == cast.spip and commission.created_by == cast.dpip
    assert client_for(cast.cpip).get(url).status_code == 403
    other = UserFactory(role="dpip", organisation=cast.other_antenna)
    detail = reverse("adjustments:commission", args=[commission.public_id])
    assert client_for(other).get(detail).status_code == 404
    assert client_for(cast.partenaire).get(detail).status_code == 403


def test_the_list_offers_the_proposed_the_720_examinations_and_the_reductions(cast: Cast) -> None:
    imprison(cast.person, situation={**THREE_YEARS, "examination_on": date(2027, 3, 25)})
    services.set_mark(cast.cpip, cast.person, adjustment="lc", status="propose")
    commission = _commission(cast)
    page = client_for(cast.dpip).get(reverse("adjustments:commission", args=[commission.public_id]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Proposé à la CAP par le CPIP" in body
    assert "Examen dû le 25/03/2027" in body
    assert "Un an de détention sans décision" in body


def test_dpip_adds_orders_and_removes(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    services.set_mark(cast.cpip, cast.person, adjustment="lc", status="propose")
    commission = _commission(cast)
    url = reverse("adjustments:commission", args=[commission.public_id])
    client = client_for(cast.dpip)
    added = client.post(
        url, {"person": cast.person.public_id, "kind": "amenagement", "adjustment": "lc"}
    )
    assert added.status_code == 302
    again = client.post(
        url, {"person": cast.person.public_id, "kind": "amenagement", "adjustment": "lc"}
    )
    assert again.status_code == 400 and "déjà inscrite" in again.content.decode()
    client.post(url, {"person": cast.person.public_id, "kind": "reduction"})
    first, second = CommissionItem.objects.order_by("rank")
    assert (first.kind, second.kind) == (ItemKind.AMENAGEMENT, ItemKind.REDUCTION)
    client.post(reverse("adjustments:item", args=[second.public_id]), {"action": "monter"})
    assert list(CommissionItem.objects.order_by("rank").values_list("kind", flat=True)) == [
        "reduction",
        "amenagement",
    ]
    removed = client.post(
        reverse("adjustments:item", args=[first.public_id]), {"action": "retirer"}
    )
    assert removed.status_code == 302
    assert list(CommissionItem.objects.values_list("kind", flat=True)) == ["reduction"]
    # A person of another SPIP cannot be added.
    stranger = client.post(url, {"person": cast.other_person.public_id, "kind": "requete"})
    assert stranger.status_code == 400


def test_avis_through_the_report_pipeline(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS, number="A1234")
    services.set_mark(cast.cpip, cast.person, adjustment="lc", status="propose")
    commission = _commission(cast)
    item = services.add_to_commission(
        cast.dpip, commission, person=cast.person, kind="amenagement", adjustment="lc"
    )
    # The CPIP writes the avis (the DPIP validates: nobody validates their own report).
    report = services.prepare_avis(cast.cpip, item)
    assert report.kind == "avis_cap" and report.due_date == commission.held_on
    assert "Écrou n° A1234" in report.content["detention"]
    assert (
        "Libération conditionnelle possible à partir du : 01/04/2027"
        in (report.content["situation_penale"])
    )
    assert "CPP art. 716-4" in report.content["situation_penale"]
    assert "Inscrit(e) à la CAP du 30/03/2027" in report.content["proposition"]
    assert "Libération conditionnelle (CPP art. 729)" in report.content["proposition"]
    assert services.prepare_avis(cast.dpip, item).pk == report.pk  # one avis per line
    report_services.apply_action(acting_user=cast.cpip, report=report, action="soumettre")
    validated = report_services.apply_action(
        acting_user=cast.dpip, report=Report.objects.get(pk=report.pk), action="valider"
    )
    assert validated.status == "valide"
    docx = client_for(cast.dpip).get(reverse("reports:docx", args=[report.public_id]))
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    page = client_for(cast.dpip).get(reverse("adjustments:commission", args=[commission.public_id]))
    assert "Validé" in page.content.decode()


def test_an_avis_opened_by_the_dpip_is_the_referents_to_write_and_the_dpips_to_validate(
    cast: Cast,
) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    assert cast.person.referent_id == cast.cpip.pk
    item = services.add_to_commission(
        cast.dpip, _commission(cast), person=cast.person, kind="examen_720"
    )
    report = services.prepare_avis(cast.dpip, item)
    assert report.author_id == cast.cpip.pk
    created = AuditEvent.objects.filter(object_type="report", action="creation").latest("pk")
    assert created.actor_id == cast.dpip.pk  # the journal names who opened it
    report_services.apply_action(acting_user=cast.cpip, report=report, action="soumettre")
    validated = report_services.apply_action(
        acting_user=cast.dpip, report=Report.objects.get(pk=report.pk), action="valider"
    )
    assert validated.status == "valide"


def test_prepare_avis_button_opens_the_editor(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    item = services.add_to_commission(
        cast.dpip, _commission(cast), person=cast.person, kind="examen_720"
    )
    response = client_for(cast.dpip).post(
        reverse("adjustments:item", args=[item.public_id]), {"action": "avis"}
    )
    report = Report.objects.get(kind="avis_cap")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:edit", args=[report.public_id])


def test_a_granted_reduction_writes_the_detention_record(cast: Cast) -> None:
    ecrou = imprison(cast.person, situation=THREE_YEARS)
    commission = _commission(cast, held_on=date(2027, 3, 10))
    item = services.add_to_commission(cast.dpip, commission, person=cast.person, kind="reduction")
    url = reverse("adjustments:decision", args=[item.public_id])
    client = client_for(cast.dpip)
    assert client.get(url).status_code == 200
    missing = client.post(url, {"decision": "accorde", "version": item.version})
    assert missing.status_code == 400 and "durée de la réduction" in missing.content.decode()
    saved = client.post(url, {"decision": "accorde", "months": 2, "days": 10, "version": 1})
    assert saved.status_code == 302
    reduction = ReductionDecision.objects.get(ecrou=ecrou)
    assert (reduction.months, reduction.days, reduction.granted_on) == (2, 10, date(2027, 3, 10))
    item.refresh_from_db()
    assert item.decision == "accorde" and item.decided_by == cast.dpip
    stale = client.post(url, {"decision": "refuse", "version": 1})
    assert stale.status_code == 409
    assert ReductionDecision.objects.count() == 1


def test_no_decision_before_the_commission(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    item = services.add_to_commission(
        cast.dpip, _commission(cast), person=cast.person, kind="amenagement", adjustment="lc"
    )
    response = client_for(cast.dpip).post(
        reverse("adjustments:decision", args=[item.public_id]),
        {"decision": "accorde", "version": item.version},
    )
    assert response.status_code == 400
    assert "après la commission" in response.content.decode()


def test_demo_seed_marks_a_cap_and_a_validated_avis_and_is_idempotent(cast: Cast) -> None:
    from parcours.adjustments import demo
    from parcours.adjustments.models import AdjustmentMark

    users = {"dpip.demo": cast.dpip}
    assert demo.seed({}, users) == {"adjustment_marks": 0, "commissions": 0}  # no detainee
    imprison(cast.person, situation=THREE_YEARS)
    counts = demo.seed({}, users)
    assert counts == {"adjustment_marks": 1, "commissions": 1}
    assert AdjustmentMark.objects.get().status == "propose"
    item = CommissionItem.objects.select_related("avis").get()
    assert item.avis is not None and item.avis.status == "valide"
    assert demo.seed({}, users) == {"adjustment_marks": 0, "commissions": 0}


def test_a_line_on_another_cap_is_not_offered_again_unless_postponed(cast: Cast) -> None:
    imprison(cast.person, situation=THREE_YEARS)
    services.set_mark(cast.cpip, cast.person, adjustment="lc", status="propose")
    first = _commission(cast, held_on=date(2027, 3, 10))
    item = services.add_to_commission(
        cast.dpip, first, person=cast.person, kind="amenagement", adjustment="lc"
    )
    services.add_to_commission(cast.dpip, first, person=cast.person, kind="reduction")
    later = _commission(cast, held_on=date(2027, 4, 20))
    kinds = {(c.kind, c.adjustment) for c in selectors.candidates(cast.dpip, later)}
    assert ("amenagement", "lc") not in kinds and ("reduction", "") not in kinds
    services.record_decision(cast.dpip, item, decision="ajourne", expected_version=item.version)
    kinds = {(c.kind, c.adjustment) for c in selectors.candidates(cast.dpip, later)}
    assert ("amenagement", "lc") in kinds and ("reduction", "") not in kinds
