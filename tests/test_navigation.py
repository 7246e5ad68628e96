"""The main menu (templates/base.html, parcours.core.navigation): grouped entries, and the entry
of the page's section marked aria-current (issue 16, items 1 and 5)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from parcours.core.navigation import nav_entry
from tests.conftest import Cast
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

CURRENT = re.compile(r'<a class="fr-nav__link" href="([^"]+)" aria-current="page">')
CURRENT_GROUP = re.compile(r'aria-controls="menu-([a-z]+)" aria-current="true"')


@pytest.mark.parametrize(
    ("namespace", "url_name", "entry"),
    [
        ("people", "detail", "people"),
        ("people", "create", "create"),
        ("notes", "create", "people"),
        ("notes", "search", "search"),
        ("measures", "create", "people"),
        ("obligations", "create", "people"),
        ("reports", "create", "people"),
        ("reports", "to_validate", "to_validate"),
        ("agenda", "book", "people"),
        ("agenda", "reception", "reception"),
        ("detention", "simulator", "simulator"),
        ("adjustments", "commission", "commissions"),
        ("core", "home", ""),
    ],
)
def test_each_page_belongs_to_one_entry(namespace: str, url_name: str, entry: str) -> None:
    assert nav_entry(namespace, url_name) == entry


def test_a_person_file_and_its_sub_forms_mark_personnes_suivies(cast: Cast) -> None:
    client = client_for(cast.cpip)
    caseload = reverse("people:caseload")
    person = cast.person.public_id
    for url in (
        reverse("people:detail", args=[person]),
        reverse("notes:create", args=[person]),
        reverse("measures:create", args=[person]),
    ):
        body = client.get(url).content.decode()
        assert CURRENT.findall(body) == [caseload], url
    body = client.get(reverse("people:create")).content.decode()
    assert CURRENT.findall(body) == [reverse("people:create")]


def test_the_dpip_menu_is_grouped(cast: Cast) -> None:
    body = client_for(cast.dpip).get(reverse("release:indicators")).content.decode()
    nav = body.split('id="navigation"')[1].split("</nav>")[0]
    assert nav.count('class="fr-nav__item"') <= 9
    for group in (
        "menu-agenda",
        "menu-reports",
        "menu-milieu",
        "menu-accompagnement",
        "menu-pilotage",
    ):
        assert f'id="{group}"' in nav
    assert CURRENT_GROUP.findall(nav) == ["milieu"]
    assert CURRENT.findall(nav) == [reverse("release:indicators")]
