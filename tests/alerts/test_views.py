"""The "À traiter" list and the person file's alert panel: scope, order, counts, query budgets."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.accounts.models import Role
from parcours.alerts.models import Alert, urgency_q
from parcours.alerts.services import recompute_alerts

from ..conftest import Cast
from ..factories import MeasureFactory, PersonFactory, UserFactory, measure_type
from ..helpers import client_for, count_queries
from ..test_query_budgets import SYNTHESE_QUERIES

pytestmark = pytest.mark.django_db

URL = reverse("alerts:todo")


def ending_in(person: Any, days: int) -> None:
    """A measure whose only alert is its end, `days` from today (negative: overdue)."""
    today = timezone.localdate()
    MeasureFactory(
        person=person,
        measure_type=measure_type("controle_judiciaire"),
        judgment_date=today - timedelta(days=400),
        start_date=today - timedelta(days=390),
        end_date=today + timedelta(days=days),
        probation_months=None,
    )


def person_of(cast: Cast, referent: Any = None, name: str = "") -> Any:
    return PersonFactory(
        spip=cast.spip,
        antenna=cast.antenna,
        referent=referent or cast.cpip,
        **({"last_name": name} if name else {}),
    )


def page_text(client: Any, params: dict[str, str] | None = None) -> str:
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_cpip_sees_the_alerts_of_their_own_people_only(cast: Cast, clients: Any) -> None:
    colleague_person = person_of(cast, cast.cpip2, name="Lemaire")
    ending_in(colleague_person, 3)
    ending_in(cast.person, 3)
    recompute_alerts()
    own = page_text(clients["cpip"])
    assert "DURAND" in own
    assert "LEMAIRE" not in own
    colleague = page_text(clients["cpip2"])
    assert "LEMAIRE" in colleague
    assert "DURAND" not in colleague


def test_other_spip_alerts_never_appear(cast: Cast, clients: Any) -> None:
    ending_in(cast.person, -2)
    ending_in(cast.other_person, -2)
    recompute_alerts()
    autre = page_text(clients["cpip_autre"])
    assert "DURAND" not in autre
    assert "HOARAU" in autre
    dpip = page_text(clients["dpip"])
    assert "DURAND" in dpip
    assert "HOARAU" not in dpip


def test_each_alert_carries_its_persons_spip(cast: Cast, clients: Any) -> None:
    """The encadrement's list reads the alerts of its SPIP by the SPIP stored on each alert:
    the recomputation writes the person's, whichever SPIP the person is in."""
    ending_in(cast.person, 3)
    ending_in(cast.other_person, 3)
    recompute_alerts()
    alerts = list(Alert.objects.select_related("person"))
    assert {a.person_id for a in alerts} == {cast.person.pk, cast.other_person.pk}
    assert all(a.spip_id == a.person.spip_id for a in alerts)
    assert cast.person.spip_id != cast.other_person.spip_id
    other_dpip = UserFactory(role=Role.DPIP, organisation=cast.cpip_autre.organisation)
    body = page_text(client_for(other_dpip))
    assert "HOARAU" in body and "DURAND" not in body


def test_encadrement_sees_the_spip_and_filters_by_referent(cast: Cast, clients: Any) -> None:
    ending_in(person_of(cast, cast.cpip2, name="Lemaire"), 10)
    recompute_alerts()
    everything = page_text(clients["dpip"])
    assert "DURAND" in everything and "LEMAIRE" in everything
    only = page_text(clients["dpip"], {"referent": str(cast.cpip2.public_id)})
    assert "LEMAIRE" in only and "DURAND" not in only


def test_order_counts_and_badges(cast: Cast, clients: Any) -> None:
    for days, name in ((40, "Avenir"), (-3, "Retard"), (-30, "Grandretard"), (2, "Proche")):
        ending_in(person_of(cast, name=name), days)
    recompute_alerts()
    body = page_text(clients["cpip"], {"urgence": ""})
    positions = [body.index(name) for name in ("GRANDRETARD", "RETARD ", "PROCHE", "AVENIR")]
    assert positions == sorted(positions)
    assert "Dépassées : " in body and "Imminentes : " in body and "À venir : " in body
    assert "fr-badge--error" in body and "fr-badge--warning" in body and "fr-badge--info" in body
    assert "Dépassée de 30 j" in body
    overdue = page_text(clients["cpip"], {"urgence": "depassee"})
    # PROCHE's end-of-measure report (one month before the end) is overdue too.
    assert "RETARD" in overdue and "AVENIR" not in overdue


def test_empty_state(cast: Cast, clients: Any) -> None:
    body = page_text(clients["cpip2"])
    assert "Aucune échéance à traiter" in body


def test_bad_filter_is_a_400_in_french(cast: Cast, clients: Any) -> None:
    response = clients["dpip"].get(URL, {"urgence": "n'importe quoi"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_nav_link_for_cpip_and_encadrement_only(cast: Cast, clients: Any) -> None:
    home = reverse("people:caseload")
    assert URL in clients["cpip"].get(home).content.decode()
    assert URL in clients["dpip"].get(home).content.decode()
    assert URL not in clients["secretariat"].get(home).content.decode()
    assert URL not in clients["jap"].get(home).content.decode()


# Query budgets ----------------------------------------------------------------------------------


def _add(cast: Cast, count: int, referent: Any) -> None:
    for index in range(count):
        person = person_of(cast, referent)
        ending_in(person, index - 5)
        MeasureFactory(person=person, measure_type=measure_type("tig"))
    recompute_alerts()


# Session, user (+ organisation + SPIP), counts per urgency and in all (one query: the pages use
# it, no COUNT of their own), page of alerts (+ person, referent); the encadrement adds the list
# of CPIP for the referent filter.
TODO_QUERIES = 4


@pytest.mark.parametrize(("role", "extra"), [("cpip", 0), ("dpip", 1)])
def test_todo_queries_do_not_grow_with_rows(
    cast: Cast, clients: Any, role: str, extra: int
) -> None:
    _add(cast, 2, cast.cpip)
    few, _ = count_queries(clients[role], URL)
    _add(cast, 30, cast.cpip)
    _add(cast, 10, cast.cpip2)
    many, sql = count_queries(clients[role], URL)
    assert few == many, sql
    assert many == TODO_QUERIES + extra, "\n".join(q[:120] for q in sql)


def test_person_file_queries_do_not_grow_with_alerts(cast: Cast, clients: Any) -> None:
    url = reverse("people:detail", args=[cast.person.public_id])
    recompute_alerts()
    few, _ = count_queries(clients["cpip"], url)
    for days in (-10, -1, 0, 3, 20, 90):
        ending_in(cast.person, days)
    recompute_alerts()
    many, sql = count_queries(clients["cpip"], url)
    assert few == many, sql
    assert many == SYNTHESE_QUERIES, "\n".join(q[:120] for q in sql)


def test_person_file_shows_the_alerts_panel(cast: Cast, clients: Any) -> None:
    ending_in(cast.person, -4)
    MeasureFactory(
        person=cast.person,
        measure_type=measure_type("tig"),
        start_date=date(2025, 3, 15),
        end_date=None,
        probation_months=None,
    )
    recompute_alerts()
    body = clients["cpip"].get(reverse("people:detail", args=[cast.person.public_id]))
    text = body.content.decode()
    assert 'id="alertes"' in text
    assert text.index('id="alertes"') < text.index('id="mesures"')
    assert "Dépassée de 4 j" in text
    assert "Fin du délai d&#x27;exécution du TIG" in text
    assert "CP art. 131-22" in text
    # JAP reads the file too (read-only): same panel.
    assert (
        'id="alertes"'
        in clients["jap"]
        .get(reverse("people:detail", args=[cast.person.public_id]))
        .content.decode()
    )


@pytest.mark.parametrize("urgence", ["", "depassee", "a_venir"])
def test_pages_are_counted_by_the_counts_query(
    cast: Cast, clients: Any, settings: Any, urgence: str
) -> None:
    """The list's pages take their number from the aggregate that counts the levels: every
    alert of the scope (or of the level filtered) is on exactly one page."""
    settings.PARCOURS_PAGE_SIZE = 4
    _add(cast, 7, cast.cpip)  # ends from 5 days ago to 1 day ahead, and the TIG deadlines
    for days in (60, 70, 80, 90, 100):
        ending_in(person_of(cast), days)
    recompute_alerts()
    mine = Alert.objects.filter(person__referent=cast.cpip)
    if urgence:
        mine = mine.filter(urgency_q(urgence, timezone.localdate()))
    expected = set(mine.values_list("pk", flat=True))
    assert len(expected) > 4  # more than one page
    seen: list[int] = []
    page_number = 1
    while True:
        response = clients["cpip"].get(URL, {"urgence": urgence, "page": page_number})
        page = response.context["page"]
        assert page.paginator.count == len(expected)
        seen += [alert.pk for alert in page.object_list]
        if not page.has_next():
            break
        page_number += 1
    assert sorted(seen) == sorted(expected)
