"""Issue 16, items 6 and 7: the notes' light markup, and the guards and defaults of daily forms."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from parcours.accounts.journal import local_label, role_label
from parcours.audit.models import AuditEvent
from parcours.notes.models import Note
from parcours.notes.sanitize import clean_body, editable_text
from parcours.obligations.models import ImposedBy, Obligation
from parcours.rules.text import html_to_markup, markup_to_html

from ..conftest import Cast
from ..obligations.factories import make_obligation

pytestmark = pytest.mark.django_db


def page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def field_tag(html: str, name: str) -> str:
    found = re.search(rf'<(input|select)[^>]*name="{name}"[^>]*>', html)
    assert found, name
    return found.group(0)


# --- (6) light markup -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("**hébergé** chez sa *mère*", "<p><strong>hébergé</strong> chez sa <em>mère</em></p>"),
        ("Points :\n- emploi\n- soins", "<p>Points :</p><ul><li>emploi</li><li>soins</li></ul>"),
        ("un\ndeux\n\ntrois", "<p>un<br>deux</p><p>trois</p>"),
        ("2*3*4 et a * b", "<p>2*3*4 et a * b</p>"),
        (
            "**<b>x</b>** & <script>",
            "<p><strong>&lt;b&gt;x&lt;/b&gt;</strong> &amp; &lt;script&gt;</p>",
        ),
    ],
)
def test_markup_is_escaped_then_formatted(typed: str, expected: str) -> None:
    assert markup_to_html(typed) == expected
    assert html_to_markup(expected) is not None
    assert markup_to_html(html_to_markup(expected) or "") == expected


def test_markup_cannot_say_an_ordered_list() -> None:
    assert html_to_markup("<ol><li>a</li></ol>") is None


def test_a_note_typed_with_markup_is_shown_formatted_and_edited_as_markup(cast: Cast) -> None:
    from ..helpers import client_for

    client = client_for(cast.cpip)
    typed = "Situation :\n- **hébergé** chez un tiers\n- *emploi* en CDD"
    response = client.post(
        reverse("notes:create", args=[cast.person.public_id]),
        {"kind": "entretien", "event_date": "2027-03-15", "body": typed, "measure": ""},
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert note.body_html == (
        "<p>Situation :</p><ul><li><strong>hébergé</strong> chez un tiers</li>"
        "<li><em>emploi</em> en CDD</li></ul>"
    )
    detail = page(client.get(reverse("notes:detail", args=[note.public_id])))
    assert "<strong>hébergé</strong>" in detail and "**" not in detail
    edit = page(client.get(reverse("notes:edit", args=[note.public_id])))
    assert "- **hébergé** chez un tiers" in edit
    assert clean_body(editable_text(note.body_html)) == note.body_html


def test_the_note_form_says_exactly_what_works(cast: Cast) -> None:
    from ..helpers import client_for

    html = page(client_for(cast.cpip).get(reverse("notes:create", args=[cast.person.public_id])))
    assert "**gras**" in html and "*italique*" in html and "« - »" in html


# --- (7) defaults: today in the SPIP's zone ---------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "today"), [("Europe/Paris", "2027-03-16"), ("Pacific/Honolulu", "2027-03-15")]
)
def test_note_event_date_is_prefilled_with_the_spips_today(
    cast: Cast, zone: str, today: str
) -> None:
    from ..helpers import client_for

    cast.spip.timezone = zone
    cast.spip.save(update_fields=["timezone"])
    html = page(client_for(cast.cpip).get(reverse("notes:create", args=[cast.person.public_id])))
    assert f'value="{today}"' in field_tag(html, "event_date")


@pytest.mark.parametrize(
    ("zone", "today"), [("Europe/Paris", "2027-03-16"), ("Pacific/Honolulu", "2027-03-15")]
)
def test_proof_received_on_is_prefilled_with_the_spips_today(
    cast: Cast, zone: str, today: str
) -> None:
    from ..helpers import client_for

    cast.spip.timezone = zone
    cast.spip.save(update_fields=["timezone"])
    obligation = make_obligation(cast.person)
    url = reverse("obligations:proof_create", args=[obligation.public_id])
    html = page(client_for(cast.cpip).get(url))
    assert f'value="{today}"' in field_tag(html, "received_on")


# --- (7) empty choices say "Choisir…" ----------------------------------------------------------


def test_breach_kind_offers_choisir_not_dashes(cast: Cast) -> None:
    from ..helpers import client_for

    html = page(client_for(cast.cpip).get(reverse("breaches:create", args=[cast.person.public_id])))
    kind = html[html.index('name="kind"') :]
    kind = kind[: kind.index("</select>")]
    assert '<option value="" selected>Choisir…</option>' in kind
    assert "---------" not in html


def test_new_user_form_has_no_dashes_and_no_password_to_leave_empty(cast: Cast) -> None:
    from ..helpers import client_for

    html = page(client_for(cast.admin).get(reverse("accounts:user_create")))
    assert "---------" not in html
    assert "laisser vide" not in html.lower() and "ne pas changer" not in html
    assert "lien « Définir votre mot de passe »" in html


# --- (7) an obligation lies within its measure, ended early included ---------------------------


def test_obligation_cannot_start_or_end_after_the_measure_ended(cast: Cast) -> None:
    from ..helpers import client_for

    measure = cast.person.measures.order_by("pk").first()
    measure.ended_on = date(2026, 6, 30)
    measure.save(update_fields=["ended_on"])
    url = reverse("obligations:create", args=[measure.public_id])
    data = {
        "obligation_type": "cp_132_45_14",
        "start_date": "2026-07-01",
        "imposed_by": ImposedBy.JURIDICTION,
        "imposed_on": "2026-01-15",
    }
    client = client_for(cast.cpip)
    late = client.post(url, data)
    assert late.status_code == 400
    assert "ne peut pas commencer après la fin de la mesure (30/06/2026)" in page(late)
    longer = client.post(url, {**data, "start_date": "2026-02-01", "end_date": "2026-08-01"})
    assert longer.status_code == 400
    assert "ne peut pas se terminer après la fin de la mesure (30/06/2026)" in page(longer)
    assert not Obligation.objects.exists()
    assert (
        client.post(url, {**data, "start_date": "2026-02-01", "end_date": "2026-06-30"}).status_code
        == 302
    )


# --- (7) the journal: SPIP-local times, role labels ---------------------------------------------


def test_journal_labels_show_local_times_and_roles() -> None:
    from django.utils import timezone

    with timezone.override("Europe/Paris"):
        assert local_label("Entretien du 02/12/2026 08:00 UTC") == "Entretien du 02/12/2026 09:00"
        assert local_label("Entretien du 15/07/2026 08:00 UTC") == "Entretien du 15/07/2026 10:00"
    assert role_label("cpip") == "CPIP" and role_label("dpip").startswith("DPIP (")
    assert role_label("ancien") == "ancien"


def test_journal_page_shows_role_label_and_local_time(cast: Cast) -> None:
    from ..helpers import client_for

    AuditEvent.objects.create(
        action="lecture",
        actor=cast.dpip,
        actor_username="c.durand",
        actor_role="dpip",
        spip=cast.spip,
        object_type="appointment",
        object_label="Entretien du 02/12/2026 08:00 UTC",
    )
    html = page(client_for(cast.dpip).get(reverse("audit:journal")))
    assert "Entretien du 02/12/2026 09:00" in html and "UTC" not in html
    roles = re.findall(r"<td>c\.durand</td>\s*<td>([^<]*)</td>", html)
    assert roles == ["DPIP (chef de service)"]


# --- (7) "voir le catalogue des mesures" is a link to a page that answers ------------------------


def test_team_page_links_the_measure_catalogue(cast: Cast) -> None:
    from ..helpers import client_for

    client = client_for(cast.dpip)
    team = page(client.get(reverse("people:team")))
    url = reverse("catalog:measure_types")
    assert f'<a href="{url}">catalogue des mesures</a>' in team
    catalogue = client.get(url)
    assert catalogue.status_code == 200
    html = page(catalogue)
    assert "Catalogue des mesures" in html and "Sursis probatoire" in html
