"""Agenda screens: booking from the person file, bad input, outcomes, reception, letters, feeds."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument
from pypdf import PdfReader

from parcours.agenda.models import Appointment, CalendarFeed, Slot
from parcours.audit.models import AuditEvent
from parcours.rules.agenda import AppointmentStatus
from tests.conftest import Cast
from tests.helpers import client_for

from .factories import agenda_for, appointment_type, make_appointment, next_open_day, with_slots

pytestmark = pytest.mark.django_db


def booking_data(cast: Cast, **overrides: object) -> dict[str, object]:
    agenda = agenda_for(cast)
    start = next_open_day(agenda).astimezone(agenda.place.tz)
    data: dict[str, object] = {
        "appointment_type": appointment_type("premiere_convocation").pk,
        "agenda": agenda.pk,
        "slot": "",
        "day": start.date().isoformat(),
        "start": "15:00",
        "duration": "60",
        "sms": "on",
    }
    data.update(overrides)
    return data


def test_secretariat_books_a_free_time_from_the_person_file(cast: Cast) -> None:
    client = client_for(cast.secretariat)
    url = reverse("agenda:book", args=[cast.person.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "Fixer un rendez-vous" in page.content.decode()
    response = client.post(url, booking_data(cast))
    assert response.status_code == 302, response.content.decode()[:2000]
    appointment = Appointment.objects.get(person=cast.person)
    assert appointment.starts_at.astimezone(appointment.place.tz).hour == 15
    assert appointment.appointment_type.code == "premiere_convocation"
    detail = client.get(response["Location"])
    assert "Convocation (PDF)" in detail.content.decode()


def test_booking_a_slot(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    slot = Slot.objects.filter(agenda=agenda, starts_at__gt=timezone.now()).order_by("starts_at")[0]
    client = client_for(cast.cpip)
    response = client.post(
        reverse("agenda:book", args=[cast.person.public_id]),
        booking_data(cast, slot=str(slot.public_id), day="", start=""),
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.booked == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"day": "", "start": ""}, "Choisissez un créneau libre ou indiquez une date"),
        ({"day": "2020-01-01"}, "La date du rendez-vous est passée"),
        ({"day": "2099-01-05"}, "plus d&#x27;un an"),
        ({"day": "pas-une-date"}, "Saisissez une date valide"),
        ({"start": "25:99"}, "Saisissez une heure valide"),
        ({"duration": "2000"}, "inférieure ou égale à 480"),
        ({"slot": "00000000-0000-0000-0000-000000000000"}, "Ce créneau n&#x27;existe pas"),
        ({"slot": "../../etc"}, "Ce créneau n&#x27;existe pas"),
        ({"agenda": "999999"}, "Sélectionnez un choix valide"),
        ({"every_weeks": "2"}, "Pour une série"),
    ],
)
def test_bad_booking_input_gets_a_french_message(
    cast: Cast, overrides: dict[str, object], message: str
) -> None:
    client = client_for(cast.cpip)
    response = client.post(
        reverse("agenda:book", args=[cast.person.public_id]), booking_data(cast, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Appointment.objects.exists()


def test_booking_on_a_holiday_is_refused_with_its_name(cast: Cast) -> None:
    agenda = agenda_for(cast)
    today = timezone.localdate()
    from parcours.rules.agenda import holiday_name

    day = today + timedelta(days=1)
    while holiday_name(day, None) is None or day.weekday() >= 5:
        day += timedelta(days=1)
    response = client_for(cast.cpip).post(
        reverse("agenda:book", args=[cast.person.public_id]),
        booking_data(cast, day=day.isoformat(), agenda=agenda.pk),
    )
    assert response.status_code == 400
    assert "Jour férié" in response.content.decode()


def test_preview_shows_the_sms_and_its_send_time(cast: Cast) -> None:
    cast.person.phone = "+33612345678"
    cast.person.save()
    response = client_for(cast.cpip).post(
        reverse("agenda:preview", args=[cast.person.public_id]), booking_data(cast)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Convocation" in body and "Rappel" in body
    assert "STOP" in body or "stop" in body.lower()


def test_free_slots_partial(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    response = client_for(cast.cpip).get(
        reverse("agenda:free_slots", args=[cast.person.public_id]),
        {"agenda": agenda.pk, "appointment_type": appointment_type().pk},
    )
    assert response.status_code == 200
    assert 'name="slot"' in response.content.decode()
    assert "Prochains créneaux libres" in response.content.decode()


def test_absence_then_breach_prefilled(cast: Cast) -> None:
    past = make_appointment(cast, starts_at=timezone.now() - timedelta(hours=3))
    client = client_for(cast.cpip)
    response = client.post(
        reverse("agenda:outcome", args=[past.public_id]),
        {"version": past.version, "action": "absent"},
    )
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.status == AppointmentStatus.ABSENT
    detail = client.get(reverse("agenda:detail", args=[past.public_id])).content.decode()
    assert "Enregistrer le manquement" in detail
    breach_form = client.get(
        reverse("breaches:create", args=[cast.person.public_id]), {"rdv": str(past.public_id)}
    ).content.decode()
    assert "Absence non excusée au rendez-vous" in breach_form


def test_stale_outcome_form_is_a_409(cast: Cast) -> None:
    past = make_appointment(cast, starts_at=timezone.now() - timedelta(hours=3))
    client = client_for(cast.cpip)
    url = reverse("agenda:outcome", args=[past.public_id])
    assert client.post(url, {"version": past.version, "action": "honorer"}).status_code == 302
    response = client.post(url, {"version": past.version, "action": "absent"})
    assert response.status_code in (400, 409)
    assert Appointment.objects.get(pk=past.pk).status == AppointmentStatus.HONORE


def test_outcome_without_version_is_a_400(cast: Cast) -> None:
    past = make_appointment(cast, starts_at=timezone.now() - timedelta(hours=3))
    response = client_for(cast.cpip).post(
        reverse("agenda:outcome", args=[past.public_id]), {"action": "nimporte"}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()


def test_reception_page_and_arrival(cast: Cast) -> None:
    soon = make_appointment(cast, starts_at=timezone.now() + timedelta(minutes=5))
    client = client_for(cast.secretariat)
    page = client.get(reverse("agenda:reception"))
    assert page.status_code == 200
    assert "DURAND" in page.content.decode()
    response = client.post(
        reverse("agenda:arrived", args=[soon.public_id]), {"next": "/agenda/accueil/"}
    )
    assert response.status_code == 302 and response["Location"] == "/agenda/accueil/"
    assert Appointment.objects.get(pk=soon.pk).arrived_at is not None
    page_after = client.get(reverse("agenda:reception")).content.decode()
    arrived = {"F": "Arrivée à", "M": "Arrivé à"}.get(cast.person.sex, "Arrivé(e) à")
    assert arrived in page_after


@pytest.mark.parametrize(
    ("sex", "said", "expected"),
    [("F", "arrivée", "Attendue"), ("M", "arrivé", "Attendu"), ("X", "arrivé(e)", "Attendu(e)")],
)
def test_reception_words_agree_with_the_recorded_sex(
    cast: Cast, sex: str, said: str, expected: str
) -> None:
    cast.person.sex = sex
    cast.person.save(update_fields=["sex"])
    soon = make_appointment(cast, starts_at=timezone.now() + timedelta(minutes=5))
    client = client_for(cast.secretariat)
    before = client.get(reverse("agenda:reception")).content.decode()
    assert f">{expected}</span>" in before
    assert "Marquer l'arrivée</button>" in before
    response = client.post(
        reverse("agenda:arrived", args=[soon.public_id]), {"next": "/agenda/accueil/"}, follow=True
    )
    text = response.content.decode()
    assert f"est {said} à l&#x27;accueil" in text
    assert f"{said.capitalize()} à " in text
    detail = client.get(reverse("agenda:detail", args=[soon.public_id])).content.decode()
    assert f"{said.capitalize()} à " in detail


def test_reception_pdf_is_a_real_pdf(cast: Cast) -> None:
    make_appointment(cast, starts_at=timezone.now() + timedelta(minutes=5))
    response = client_for(cast.secretariat).get(reverse("agenda:reception_pdf"))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "DURAND" in text and "Agenda du" in text


def test_convocation_letters_docx_and_pdf(cast: Cast) -> None:
    appointment = make_appointment(cast)
    client = client_for(cast.cpip)
    local = appointment.starts_at.astimezone(appointment.place.tz)
    docx = client.get(reverse("agenda:letter", args=[appointment.public_id, "docx"]))
    assert docx.status_code == 200
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx.content)).paragraphs)
    tables = "\n".join(
        cell.text
        for table in DocxDocument(io.BytesIO(docx.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Convocation" in text
    assert f"{local:%H} h {local:%M}" in tables
    assert "12 rue de la Justice" in text + tables
    pdf = client.get(reverse("agenda:letter", args=[appointment.public_id, "pdf"]))
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Convocation" in pdf_text and "Lucas DURAND" in pdf_text
    assert (
        AuditEvent.objects.filter(action="export", object_id=str(appointment.public_id)).count()
        == 2
    )
    assert (
        client.get(reverse("agenda:letter", args=[appointment.public_id, "exe"])).status_code == 404
    )


def test_reunion_letter_is_in_reunion_time(cast: Cast) -> None:
    appointment = make_appointment(cast, person=cast.other_person)
    local = appointment.starts_at.astimezone(appointment.place.tz)
    assert local.utcoffset() == timedelta(hours=4)
    pdf = client_for(cast.cpip_autre).get(
        reverse("agenda:letter", args=[appointment.public_id, "pdf"])
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"{local:%H} h {local:%M}" in text


def test_calendar_feed_has_initials_only_and_can_be_revoked(cast: Cast) -> None:
    appointment = make_appointment(cast)
    client = client_for(cast.cpip)
    page = client.post(reverse("agenda:feeds"), {"action": "creer"})
    assert page.status_code == 200
    url = page.context["new_url"]
    feed = Client().get(url)  # no session: the token is the credential
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "BEGIN:VCALENDAR" in body and "L.D." in body
    assert "Durand" not in body and "DURAND" not in body and "Lucas" not in body
    assert str(appointment.public_id) in body
    read = AuditEvent.objects.filter(object_type="flux_agenda", action="consultation").get()
    assert read.actor == cast.cpip and read.details["rendez-vous"] == 1
    client.post(reverse("agenda:feeds"), {"action": "revoquer"})
    assert Client().get(url).status_code == 404
    assert CalendarFeed.objects.filter(user=cast.cpip, revoked_at__isnull=True).count() == 0


def test_unknown_feed_token_is_a_404(cast: Cast) -> None:
    assert Client().get(reverse("agenda:ical", args=["x" * 40])).status_code == 404
    assert Client().get(reverse("agenda:ical", args=["x" * 200])).status_code == 404


def test_indicators_for_dpip(cast: Cast) -> None:
    for status in ("honore", "honore", "absent"):
        make_appointment(cast, starts_at=timezone.now() - timedelta(days=3), status=status)
    make_appointment(cast, starts_at=timezone.now() - timedelta(days=2))  # no outcome
    response = client_for(cast.dpip).get(reverse("agenda:indicators"))
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.honoured, total.absent, total.without_outcome) == (2, 1, 1)
    assert "66,7 %" in response.content.decode()
    assert (
        client_for(cast.dpip).get(reverse("agenda:indicators"), {"jours": "x"}).status_code == 400
    )


def test_another_spips_appointment_is_not_found(cast: Cast) -> None:
    theirs = make_appointment(cast, person=cast.other_person)
    client = client_for(cast.cpip)
    for name in ("agenda:detail", "agenda:reschedule"):
        assert client.get(reverse(name, args=[theirs.public_id])).status_code == 404
    assert client.post(reverse("agenda:arrived", args=[theirs.public_id])).status_code == 404
    reception = client_for(cast.secretariat).get(reverse("agenda:reception")).content.decode()
    assert "HOARAU" not in reception


def test_person_file_shows_the_appointments_panel(cast: Cast) -> None:
    make_appointment(cast)
    page = client_for(cast.cpip).get(reverse("people:detail", args=[cast.person.public_id]))
    body = page.content.decode()
    assert "Fixer un rendez-vous" in body and "Entretien de suivi SPIP" in body
    jap = client_for(cast.jap).get(reverse("people:detail", args=[cast.person.public_id]))
    assert "Fixer un rendez-vous" not in jap.content.decode()


def test_template_form_rejects_overlaps_with_a_french_message(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    response = client_for(cast.dpip).post(
        reverse("agenda:template_create", args=[agenda.public_id]),
        {
            "weekday": 0,
            "start_time": "10:15",
            "duration": 30,
            "capacity": 1,
            "appointment_type": appointment_type().pk,
            "valid_from": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "chevauche" in response.content.decode()


def test_place_form_validates_postal_code_and_phone(cast: Cast) -> None:
    response = client_for(cast.dpip).post(
        reverse("agenda:place_create"),
        {
            "organisation": cast.antenna.pk,
            "name": "Permanence",
            "address": "1 rue",
            "postal_code": "59A",
            "city": "Lille",
            "phone": "123",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "5 chiffres" in body and "numéro de téléphone" in body


def test_a_missed_convocation_feeds_the_compliance_of_answering_convocations(cast: Cast) -> None:
    """CP 132-44 1°: the absence → the manquement prefilled on that obligation → its status."""
    from parcours.obligations.models import Obligation
    from tests.obligations.factories import make_obligation

    duty = make_obligation(cast.person, "cp_132_44_1")
    past = make_appointment(cast, starts_at=timezone.now() - timedelta(hours=3), status="absent")
    client = client_for(cast.cpip)
    url = reverse("breaches:create", args=[cast.person.public_id])
    form = client.get(url, {"rdv": str(past.public_id)}).context["form"]
    assert form.initial["obligation"] == duty.pk and form.initial["kind"] == "absence"
    data = {
        "measure": form.initial["measure"],
        "obligation": duty.pk,
        "kind": "absence",
        "occurred_on": form.initial["occurred_on"].isoformat(),
        "facts": form.initial["facts"],
    }
    assert client.post(url, data).status_code == 302
    assert Obligation.objects.get(pk=duty.pk).compliance_status == "manquement"


def test_letter_texts_are_versioned_by_effective_date(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from parcours.agenda import documents

    base = dict(documents.letter_template(date(2026, 6, 1)))
    later = {**base, "effective_from": "2027-03-01", "title": "Convocation au SPIP"}
    monkeypatch.setattr(documents, "_letter_versions", lambda: (base, later))
    appointment = make_appointment(cast)
    assert documents.convocation_document(appointment, on=date(2027, 2, 28)).title == "Convocation"
    assert (
        documents.convocation_document(appointment, on=date(2027, 3, 1)).title
        == "Convocation au SPIP"
    )


def test_booking_from_the_agenda(cast: Cast) -> None:
    agenda = with_slots(agenda_for(cast))
    slot = Slot.objects.filter(agenda=agenda, starts_at__gt=timezone.now()).order_by("starts_at")[3]
    client = client_for(cast.secretariat)
    day = slot.starts_at.astimezone(agenda.place.tz).date().isoformat()
    page = client.get(reverse("agenda:day"), {"agenda": agenda.pk, "day": day}).content.decode()
    assert reverse("agenda:slot_book", args=[slot.public_id]) in page
    search = client.get(reverse("agenda:slot_book", args=[slot.public_id]), {"q": "dur"})
    assert search.status_code == 200
    link = f"{reverse('agenda:book', args=[cast.person.public_id])}?creneau={slot.public_id}"
    assert link in search.content.decode()
    assert AuditEvent.objects.filter(action="recherche", actor=cast.secretariat).exists()
    assert (
        client.get(reverse("agenda:slot_book", args=[slot.public_id]), {"q": "d"}).status_code
        == 400
    )
    form = client.get(link).content.decode()
    assert f'value="{slot.public_id}" checked' in form
    response = client.post(
        reverse("agenda:book", args=[cast.person.public_id]),
        booking_data(
            cast,
            slot=str(slot.public_id),
            day="",
            start="",
            appointment_type=slot.appointment_type_id,
        ),
    )
    assert response.status_code == 302
    assert Appointment.objects.get(person=cast.person).slot == slot


def test_another_spips_slot_is_not_found(cast: Cast) -> None:
    theirs = with_slots(agenda_for(cast, other=True))
    slot = Slot.objects.filter(agenda=theirs, starts_at__gt=timezone.now())[0]
    assert (
        client_for(cast.secretariat)
        .get(reverse("agenda:slot_book", args=[slot.public_id]))
        .status_code
        == 404
    )


def test_delai_de_prise_en_charge_by_referent_and_antenna(cast: Cast) -> None:
    from datetime import date as date_type

    measure = cast.person.measures.order_by("pk").first()
    judged = timezone.localdate() - timedelta(days=30)
    measure.judgment_date = judged
    measure.release_date = None
    measure.save()
    first = timezone.now() - timedelta(days=21)
    make_appointment(cast, starts_at=first, status="honore")
    make_appointment(cast, starts_at=first + timedelta(days=7), status="honore")
    response = client_for(cast.dpip).get(reverse("agenda:indicators"))
    expected = (first.astimezone(agenda_for(cast).place.tz).date() - judged).days
    assert isinstance(judged, date_type)
    assert response.context["delay_median"] == expected
    assert response.context["delays_by_agent"] == [("Camille Martin", float(expected), 1)]
    assert response.context["delays_by_antenna"][0][0] == "Antenne de Lille"


def test_a_colleague_is_sent_to_the_motif_page_from_a_booking_partial(cast: Cast) -> None:
    """The person's door answers the HTMX partials too: the whole page goes to the motif page."""
    url = reverse("agenda:free_slots", args=[cast.person.public_id])
    response = client_for(cast.cpip2).get(url, headers={"HX-Request": "true"})
    assert response.status_code == 204
    motif = reverse("people:motif", args=[cast.person.public_id])
    assert response["HX-Redirect"].startswith(f"{motif}?suivant=")


def test_a_stale_report_form_is_a_409_with_the_saved_state(cast: Cast) -> None:
    appointment = make_appointment(cast)
    client = client_for(cast.cpip)
    url = reverse("agenda:reschedule", args=[appointment.public_id])
    agenda = agenda_for(cast)
    day = next_open_day(agenda, days_ahead=10).astimezone(agenda.place.tz).date()
    data = {
        **booking_data(cast, day=day.isoformat()),
        "version": appointment.version,
        "reason": "Empêchement",
    }
    Appointment.objects.filter(pk=appointment.pk).update(version=appointment.version + 1)
    response = client.post(url, data)
    assert response.status_code == 409
    assert "modifié par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    assert response.context["conflict"].version == appointment.version + 1
    assert Appointment.objects.filter(person=cast.person).count() == 1


def test_a_stale_outcome_is_a_409_on_the_saved_appointment(cast: Cast) -> None:
    past = make_appointment(cast, starts_at=timezone.now() - timedelta(hours=3))
    Appointment.objects.filter(pk=past.pk).update(version=past.version + 1, comment="Salle 2")
    response = client_for(cast.cpip).post(
        reverse("agenda:outcome", args=[past.public_id]),
        {"version": past.version, "action": "honorer"},
    )
    assert response.status_code == 409
    assert "modifié par quelqu&#x27;un d&#x27;autre" in response.content.decode()
    assert response.context["appointment"].comment == "Salle 2"
    assert Appointment.objects.get(pk=past.pk).status == AppointmentStatus.PLANIFIE
