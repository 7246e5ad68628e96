"""rules.identity.staff_name_problem: the names of staff accounts (the administrator's form)."""

from __future__ import annotations

import pytest

from parcours.rules.identity import STAFF_NAME_REFUSED, staff_name_problem


@pytest.mark.parametrize(
    "name", ["Camille", "Jean-Pierre", "N'Diaye", "O’Brien", "Lê Văn", "St. Clair", "Ørsted"]
)
def test_real_names_are_accepted(name: str) -> None:
    assert staff_name_problem(name) is None


@pytest.mark.parametrize(
    "name", ["<img src=x onerror=alert(1)>", "Camille2", "a@b", "--", "", "Jean_Pierre", "x;y"]
)
def test_markup_digits_and_symbols_are_refused(name: str) -> None:
    assert staff_name_problem(name) == STAFF_NAME_REFUSED
