"""The caseload's filter choices are cached per SPIP (people.selectors.filter_choices): a saved
or deleted user, organisation or measure type shows on the next page, and a cold cache costs
the three queries it saves."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.accounts.models import OrganisationKind, Role
from parcours.people.selectors import forget_filter_choices

from .factories import OrganisationFactory, UserFactory, measure_type

pytestmark = pytest.mark.django_db


def page(client, **params) -> str:
    response = client.get(reverse("people:caseload"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_cpip_and_antenna_show_in_the_filters_at_once(cast, clients):
    before = page(clients["dpip"])
    assert "Zébulon" not in before and "Antenne de Roubaix" not in before
    UserFactory(role=Role.CPIP, organisation=cast.antenna, last_name="Zébulon", first_name="Ada")
    OrganisationFactory(
        kind=OrganisationKind.ANTENNE, name="Antenne de Roubaix", parent=cast.spip, spip=cast.spip
    )
    after = page(clients["dpip"])
    assert ">Zébulon Ada</option>" in after
    assert ">Antenne de Roubaix</option>" in after


def test_a_deactivated_cpip_and_a_renamed_measure_type_leave_the_filters(cast, clients):
    assert f">{cast.cpip2.last_name} {cast.cpip2.first_name}</option>" in page(clients["dpip"])
    cast.cpip2.is_active = False
    cast.cpip2.save()
    tig = measure_type("tig")
    tig.label = "Travail d'intérêt général renommé"
    tig.save()
    after = page(clients["dpip"])
    assert f">{cast.cpip2.last_name} {cast.cpip2.first_name}</option>" not in after
    assert "Travail d&#x27;intérêt général renommé</option>" in after


def test_each_spip_has_its_own_choices(cast, clients):
    ours, theirs = page(clients["dpip"]), page(clients["cpip_autre"], perimetre="service")
    assert f">{cast.antenna.name}</option>" in ours
    assert f">{cast.antenna.name}</option>" not in theirs


def test_a_cold_cache_reads_the_three_choices(cast, clients):
    page(clients["cpip"])
    with CaptureQueriesContext(connection) as warm:
        page(clients["cpip"])
    forget_filter_choices()
    with CaptureQueriesContext(connection) as cold:
        page(clients["cpip"])
    assert len(cold) == len(warm) + 3


def selected_option(html: str, name: str) -> str:
    form = html.split('role="search"', 1)[1].split("</form>", 1)[0]
    select = form.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    if " selected>" not in select:
        return ""
    return select.split(" selected>", 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]


def test_the_rendered_filter_bar_follows_the_values_the_scope_and_the_role(cast, clients):
    """The bar is kept rendered per SPIP, role, scope and values (people.views
    _filters_cache_key): each combination shows its own selections and fields."""
    for _ in range(2):  # the second time from the cache
        mine = page(clients["cpip"])
        service = page(clients["cpip"], perimetre="service", tri="-nom")
        tig = page(clients["cpip"], type="tig")
        court = page(clients["jap"])
    assert selected_option(mine, "perimetre") == "mes" and 'name="referent"' not in mine
    assert selected_option(service, "perimetre") == "service" and 'name="referent"' in service
    assert selected_option(service, "tri") == "-nom" and selected_option(mine, "tri") == ""
    assert selected_option(tig, "type") == "tig" and selected_option(mine, "type") == ""
    assert 'name="perimetre"' not in court.split("</form>", 1)[0]


def test_a_name_search_is_shown_and_not_kept(cast, clients):
    from django.core.cache import cache

    # Searched names no Faker person (nor cached CPIP list) can carry.
    searched = page(clients["cpip"], q="Qzxwvoltar")
    assert 'value="Qzxwvoltar"' in searched
    assert 'value="Qzxwvyrben"' in page(clients["cpip"], q="Qzxwvyrben")
    stored = getattr(cache, "_cache").values()  # LocMemCache: the pickled values  # noqa: B009
    assert not any(b"Qzxwv" in value for value in stored)
