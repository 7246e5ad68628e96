"""The agenda day's rows built in Python (`day_table_rows`) give the markup of the template loop
they replace, for appointments in and out of slots, free places and free slots, in the agenda's
time zone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from parcours.agenda import selectors
from parcours.agenda.models import Slot
from parcours.agenda.templatetags.agenda_day import day_table_rows
from parcours.rules.agenda import AppointmentStatus

from ..factories import PersonFactory
from .factories import agenda_for, make_appointment, next_open_day, with_slots

pytestmark = pytest.mark.django_db

# templates/agenda/day.html before the rows moved to Python (on the values rows of day_rows).
REFERENCE = Template(
    """{% load tz french %}{% timezone tz %}{% for row in rows %}
  {% if row.appointments %}
    {% for a in row.appointments %}
    <tr><td>{{ a.starts_at|time:"H:i" }}–{{ a.ends_at|time:"H:i" }}</td><td>{{ a.type_label }}</td><td><a href="{% url 'agenda:detail' a.public_id %}">{{ a.last_name|upper }} {{ a.first_names }}</a></td><td>{{ a.status_label }}{% if a.arrived_at and a.status == 'planifie' %} · {{ a.sex|accord:"arrivé" }}{% endif %}</td></tr>
    {% endfor %}
    {% if row.slot and row.slot.remaining %}<tr><td>{{ row.at|time:"H:i" }}</td><td>{{ row.slot.type_label }}</td><td colspan="2"><em>{{ row.slot.remaining }} place{{ row.slot.remaining|pluralize }} libre{{ row.slot.remaining|pluralize }}</em>{% if can_book_slots and row.at > now %} · <a href="{% url 'agenda:slot_book' row.slot.public_id %}">Réserver</a>{% endif %}</td></tr>{% endif %}
  {% else %}
    <tr><td>{{ row.at|time:"H:i" }}</td><td>{{ row.slot.type_label }}</td><td colspan="2"><em>Créneau libre</em>{% if can_book_slots and row.at > now %} · <a href="{% url 'agenda:slot_book' row.slot.public_id %}">Réserver<span class="fr-sr-only"> le créneau de {{ row.at|time:"H:i" }}</span></a>{% endif %}</td></tr>
  {% endif %}
{% endfor %}{% endtimezone %}"""  # noqa: E501
)


def squeeze(html: str) -> str:
    return "".join(html.split())


@pytest.mark.parametrize("other", [False, True], ids=["paris", "reunion"])
@pytest.mark.parametrize("capacity", [1, 3])
def test_rows_match_the_template_they_replace(cast, other, capacity):
    agenda = with_slots(agenda_for(cast, other=other), capacity=capacity)
    user = cast.cpip_autre if other else cast.cpip
    spip = cast.other_spip if other else cast.spip
    busy = Slot.objects.filter(agenda=agenda, starts_at__gt=timezone.now()).order_by("starts_at")[2]
    day = busy.starts_at.astimezone(agenda.place.tz).date()
    person = PersonFactory(spip=spip, last_name="d'Arc <b>", first_names="Jeanne & Marie", sex="F")
    make_appointment(
        cast,
        person=person,
        starts_at=busy.starts_at,
        slot=busy,
        arrived_at=busy.starts_at,
        status=AppointmentStatus.PLANIFIE,
    )
    Slot.objects.filter(pk=busy.pk).update(booked=1)
    outside = busy.starts_at + timedelta(hours=5)
    make_appointment(cast, person=person, starts_at=outside, status=AppointmentStatus.HONORE)
    free_day = (next_open_day(agenda, days_ahead=40)).astimezone(agenda.place.tz).date()
    for shown in (day, free_day):
        rows = selectors.day_rows(user, agenda, shown)
        assert rows
        for now in (busy.starts_at - timedelta(days=1), busy.starts_at + timedelta(days=60)):
            for can_book in (True, False):
                context = {"rows": rows, "tz": agenda.place.tz, "now": now}
                expected = REFERENCE.render(Context({**context, "can_book_slots": can_book}))
                built = day_table_rows(rows, agenda.place.tz, now, can_book)
                assert squeeze(built) == squeeze(expected)
    page = str(day_table_rows(selectors.day_rows(user, agenda, day), agenda.place.tz, now, True))
    assert "D&#x27;ARC &lt;B&gt; Jeanne &amp; Marie" in page and "· arrivée" in page


@pytest.mark.parametrize(("sex", "word"), [("F", "arrivée"), ("M", "arrivé"), ("X", "arrivé(e)")])
def test_the_arrival_agrees_with_the_recorded_sex(cast, sex, word):
    agenda = agenda_for(cast)
    person = PersonFactory(spip=cast.spip, sex=sex)
    starts_at = next_open_day(agenda, days_ahead=3)
    make_appointment(
        cast,
        person=person,
        starts_at=starts_at,
        arrived_at=starts_at,
        status=AppointmentStatus.PLANIFIE,
    )
    rows = selectors.day_rows(cast.cpip, agenda, starts_at.astimezone(agenda.place.tz).date())
    page = str(day_table_rows(rows, agenda.place.tz, starts_at, True))
    assert f"· {word}<" in page
    assert ("(e)" in page) is (sex == "X")
