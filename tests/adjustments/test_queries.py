"""The Opportunités page reads a fixed number of queries whatever the number of detainees."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parcours.adjustments import services

from ..conftest import Cast
from ..helpers import client_for, count_queries
from .factories import detainee

pytestmark = pytest.mark.django_db


def test_opportunities_queries_do_not_grow_with_detainees(cast: Cast) -> None:
    url = reverse("adjustments:opportunities")
    client = client_for(cast.dpip)
    for index in range(2):
        person = detainee(cast, last_name=f"PREMIER{index}")
        services.set_mark(cast.cpip, person, adjustment="lc", status="propose")
    few, _ = count_queries(client, url)
    for index in range(15):
        person = detainee(cast, last_name=f"SUIVANT{index}")
        services.set_mark(cast.cpip, person, adjustment="lc", status="preparation")
    many, sql = count_queries(client, url)
    assert few == many, "\n".join(q[:150] for q in sql)
