"""Every main page renders for the roles that use it: a 200, the French page of that screen (its
heading), and no undefined template variable (the suite's templates are strict: tests/helpers.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from .conftest import Cast

pytestmark = pytest.mark.django_db


def person(cast: Cast) -> list[Any]:
    return [cast.person.public_id]


def measure(cast: Cast) -> list[Any]:
    return [cast.person.measures.get().public_id]


def account(cast: Cast) -> list[Any]:
    return [cast.cpip.public_id]


def no_args(cast: Cast) -> list[Any]:
    return []


# (role, URL name, its arguments, the page's <h1>)
PAGES: list[tuple[str, str, Callable[[Cast], list[Any]], str]] = [
    ("cpip", "people:caseload", no_args, "Mes personnes suivies"),
    ("cpip", "people:detail", person, "DURAND Lucas"),
    ("cpip", "people:edit", person, "Modifier — DURAND Lucas"),
    ("cpip", "people:transfer", person, "Transférer le suivi de DURAND Lucas"),
    ("cpip", "people:address_add", person, "Nouvelle adresse — DURAND Lucas"),
    ("cpip", "people:create", no_args, "Nouvelle personne suivie"),
    ("cpip", "measures:create", person, "Nouvelle mesure"),
    ("cpip", "measures:edit", measure, "Modifier — Sursis probatoire"),
    ("cpip", "audit:journal", no_args, "Mes actions"),
    ("dpip", "people:team", no_args, "Mon équipe"),
    ("dpip", "audit:journal", no_args, "Journal des accès"),
    ("dpip", "people:caseload", no_args, "Personnes suivies du service"),
    ("admin", "accounts:user_list", no_args, "Utilisateurs"),
    ("admin", "accounts:user_create", no_args, "Nouvel utilisateur"),
    ("admin", "accounts:user_edit", account, "Compte Camille Martin"),
    ("admin", "accounts:user_deactivate", account, "Désactiver le compte « cpip »"),
    ("jap", "people:caseload", no_args, "Personnes suivies du service"),
    ("jap", "people:detail", person, "DURAND Lucas"),
    ("partenaire", "core:home", no_args, "Bienvenue dans Parcours"),
]


@pytest.mark.parametrize(
    ("role", "name", "args", "heading"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES]
)
def test_page_renders_for_its_role(
    cast: Cast,
    clients: dict[str, Any],
    role: str,
    name: str,
    args: Callable[[Cast], list[Any]],
    heading: str,
) -> None:
    response = clients[role].get(reverse(name, args=args(cast)))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert re.findall(r"<h1[^>]*>\s*(.*?)\s*</h1>", page, re.S) == [heading]
