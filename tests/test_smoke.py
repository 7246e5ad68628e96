"""Every main page renders for the roles that use it (templates compile, no 500)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_render_for_their_roles(cast, clients):
    person = cast.person
    measure = person.measures.get()
    pages = {
        "cpip": [
            reverse("people:caseload"),
            reverse("people:detail", args=[person.public_id]),
            reverse("people:edit", args=[person.public_id]),
            reverse("people:transfer", args=[person.public_id]),
            reverse("people:address_add", args=[person.public_id]),
            reverse("people:create"),
            reverse("measures:create", args=[person.public_id]),
            reverse("measures:edit", args=[measure.public_id]),
            reverse("audit:journal"),
        ],
        "dpip": [reverse("people:team"), reverse("audit:journal"), reverse("people:caseload")],
        "admin": [
            reverse("accounts:user_list"),
            reverse("accounts:user_create"),
            reverse("accounts:user_edit", args=[cast.cpip.public_id]),
            reverse("accounts:user_deactivate", args=[cast.cpip.public_id]),
        ],
        "jap": [reverse("people:caseload"), reverse("people:detail", args=[person.public_id])],
        "partenaire": [reverse("core:home")],
    }
    for role, urls in pages.items():
        for url in urls:
            response = clients[role].get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            assert b'<html lang="fr"' in response.content
            assert b"INVALID_" not in response.content, (role, url)
