"""Property: whatever a CPIP types in the person form, the answer is a page, never a crash.

Hypothesis drives the creation form through the Django test client (as cpip) with arbitrary
unicode (control characters, very long strings), dates as valid dates or any text, APPI and
phone strings, checkboxes and choice values valid or not. The answer is 200/302/400/409; a 302
means a person was created in the CPIP's own SPIP, at least 16 years old and born in the past.
"""

from __future__ import annotations

import operator
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from parcours.people.models import Housing, Person, Sex
from parcours.rules.identity import age_on

from .conftest import Cast
from .helpers import quiet

pytestmark = pytest.mark.django_db


def _sixteen_years_ago(today: date) -> date:
    try:
        return today.replace(year=today.year - 16)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 16, day=28)


TODAY = timezone.localdate()
SIXTEEN = _sixteen_years_ago(TODAY)

# Any unicode (NUL and control characters included), control characters only, and long strings
# made by repeating a short piece (fast to generate, up to 12,000 characters).
control = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=10)
long_text = st.builds(operator.mul, st.text(min_size=1, max_size=3), st.integers(50, 4_000))
any_text = st.one_of(st.text(max_size=40), control, long_text)

# Text the form accepts: any unicode but NUL (control characters, emoji, ligatures included).
accepted = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


def accepted_text(max_size: int, min_size: int = 0) -> st.SearchStrategy[str]:
    text = st.text(alphabet=accepted, min_size=min_size, max_size=max_size)
    return text.filter(lambda t: t.strip()) if min_size else text


iso = operator.methodcaller("isoformat")
french = operator.methodcaller("strftime", "%d/%m/%Y")
adult_birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=SIXTEEN)
birth_dates = st.one_of(
    adult_birth_dates.map(iso),
    adult_birth_dates.map(french),
    st.dates(SIXTEEN - timedelta(days=3), SIXTEEN + timedelta(days=3)).map(iso),
    st.dates().map(iso),  # years 1 to 9999
    st.text(alphabet="0123456789-/ ", max_size=12),
    any_text,
)
valid_appi = st.from_regex(rf"\A(199[0-9]|20[0-{TODAY.year % 100 // 10}][0-9])[0-9]{{8}}\Z")
appi_numbers = st.one_of(
    st.just(""),
    valid_appi,
    st.from_regex(r"\A\d{4}[ /.-]?\d{4}[ /.-]?\d{4}\Z"),  # \d: any unicode digit
    st.text(alphabet="0123456789 /-.", max_size=24),
    any_text,
)
valid_phones = st.sampled_from(
    ["", "06 12 34 56 78", "+33 7 81 23 45 67", "0692 12 34 56", "0696123456"]
)
phones = st.one_of(
    valid_phones,
    st.from_regex(r"\A(\+33 ?|0)[1-9]( ?[0-9]{2}){4}\Z"),
    st.text(alphabet="+0123456789 .-()", max_size=25),
    any_text,
)
checkbox = st.sampled_from([None, "on", "", "true", "false", "0", "1"])
valid_emails = st.sampled_from(["", "a@example.org", "prénom.nom@exemple.fr"])


def person_forms(cast: Cast) -> st.SearchStrategy[dict[str, Any]]:
    """Three families: valid forms, valid forms with one field garbled, anything at all."""
    pks = [
        cast.antenna.pk,
        cast.other_antenna.pk,
        cast.spip.pk,
        cast.cpip.pk,
        cast.cpip2.pk,
        cast.cpip_autre.pk,
        cast.dpip.pk,
        cast.jap.pk,
    ]
    choice = st.one_of(
        st.just(""),
        st.sampled_from(pks).map(str),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        any_text,
    )
    valid = {
        "last_name": accepted_text(100, min_size=1),
        "first_names": accepted_text(150, min_size=1),
        "birth_date": adult_birth_dates.map(iso),
        "birth_name": accepted_text(100),
        "aliases": accepted_text(300),
        "birth_place": accepted_text(150),
        "birth_country": accepted_text(100),
        "nationality": accepted_text(100),
        "languages": accepted_text(200),
        "sex": st.sampled_from(Sex.values),
        "housing": st.sampled_from(Housing.values),
        "appi_number": st.one_of(st.just(""), valid_appi),
        "phone": valid_phones,
        "no_phone": st.just(None),
        "refuses_sms": st.sampled_from([None, "on"]),
        "email": valid_emails,
        "antenna": st.sampled_from(["", str(cast.antenna.pk)]),
        "referent": st.sampled_from(["", str(cast.cpip.pk), str(cast.cpip2.pk)]),
        "confirmer_doublon": st.sampled_from([None, "1"]),
    }
    anything = {
        **dict.fromkeys(valid, any_text),
        "birth_date": birth_dates,
        "sex": st.one_of(st.sampled_from(Sex.values), any_text),
        "housing": st.one_of(st.sampled_from(Housing.values), any_text),
        "appi_number": appi_numbers,
        "phone": phones,
        "no_phone": checkbox,
        "refuses_sms": checkbox,
        "email": st.one_of(valid_emails, any_text),
        "antenna": choice,
        "referent": choice,
        "version": choice,
        "confirmer_doublon": checkbox,
    }
    required = ("last_name", "first_names", "birth_date", "sex", "housing")
    valid_forms = st.fixed_dictionaries(valid)
    one_garbled = st.tuples(valid_forms, st.sampled_from(sorted(anything)), st.data()).map(
        lambda t: {**t[0], t[1]: t[2].draw(anything[t[1]])}
    )
    garbage = st.fixed_dictionaries(
        {k: anything[k] for k in required},
        optional={k: v for k, v in anything.items() if k not in required},
    )
    return st.one_of(valid_forms, one_garbled, garbage).map(
        lambda form: {k: v for k, v in form.items() if v is not None}
    )


@pytest.fixture
def cpip_client(cast: Cast) -> Client:
    return quiet(cast.cpip)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_person_form_never_crashes(cast: Cast, cpip_client: Client, data: st.DataObject) -> None:
    form = data.draw(person_forms(cast), label="form")
    response = cpip_client.post(reverse("people:create"), form)
    event(f"status {response.status_code}")
    assert response.status_code in (200, 302, 400, 409), response.status_code
    if response.status_code != 302:
        return
    match = resolve(response["Location"])
    assert match.view_name == "people:detail"
    person = Person.objects.select_related("antenna", "referent").get(
        public_id=UUID(str(match.kwargs["public_id"]))
    )
    assert person.spip_id == cast.spip.pk
    assert person.antenna is None or person.antenna.spip_id == cast.spip.pk
    assert person.referent is None or person.referent.spip_id == cast.spip.pk
    today = timezone.localdate()
    assert person.birth_date <= today
    assert age_on(person.birth_date, today) >= 16
    assert len(person.search_name) <= 400
    if person.appi_number:
        assert len(person.appi_number) == 12 and person.appi_number.isascii()
    if person.phone:
        assert person.phone.startswith("+")
    page = cpip_client.get(response["Location"])
    if person.referent_id == cast.cpip.pk:
        assert page.status_code == 200
    else:
        # Created for a colleague: the creator reads the file only with a motif, like any other.
        assert page.status_code == 302
        motif = reverse("people:motif", args=[person.public_id])
        assert page["Location"].split("?")[0] == motif
