"""The person file in tabs (docs/adr/0018): one URL per tab, each building only its panels; links
to a panel find its tab."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parcours.core.panels import PanelSet, Tab
from parcours.people.panels import person_file, person_file_url

from .helpers import text

pytestmark = pytest.mark.django_db


def tab(person, slug: str) -> str:
    return reverse("people:tab", args=[person.public_id, slug])


def test_the_synthese_is_the_file_and_shows_only_its_panels(cast, clients):
    page = text(clients["cpip"].get(reverse("people:detail", args=[cast.person.public_id])))
    assert 'id="mesures"' in page and 'id="rendez-vous"' in page
    assert 'id="notes"' not in page and 'id="manquements"' not in page
    assert 'aria-current="page">Synthèse</a>' in page


@pytest.mark.parametrize(
    ("slug", "shown", "hidden"),
    [
        ("suivi", ["calendrier", "manquements", "historique"], ["mesures", "notes"]),
        ("ecrits", ["notes", "rapports"], ["mesures", "messages"]),
        ("echanges", ["messages"], ["notes", "rendez-vous"]),
    ],
)
def test_each_tab_shows_its_panels(cast, clients, slug, shown, hidden):
    response = clients["cpip"].get(tab(cast.person, slug))
    assert response.status_code == 200
    page = text(response)
    for key in shown:
        assert f'id="{key}"' in page, key
    for key in hidden:
        assert f'id="{key}"' not in page, key


def test_a_tab_is_journaled_like_the_file(cast, clients):
    from parcours.audit.models import AuditEvent

    before = AuditEvent.objects.filter(person_public_id=cast.person.public_id).count()
    clients["cpip"].get(tab(cast.person, "ecrits"))
    events = AuditEvent.objects.filter(person_public_id=cast.person.public_id)
    assert events.count() == before + 1
    assert events.latest("pk").action == "consultation"


def test_unknown_tab_and_the_synthese_slug_are_not_found(cast, clients):
    assert clients["cpip"].get(tab(cast.person, "inconnu")).status_code == 404
    # The Synthèse has one address: the file's.
    assert clients["cpip"].get(tab(cast.person, "synthese")).status_code == 404


def test_another_spip_gets_404_on_every_tab(cast, clients):
    for t in person_file.tabs[1:]:
        assert clients["cpip_autre"].get(tab(cast.person, t.slug)).status_code == 404


def test_links_to_a_panel_find_its_tab(cast):
    pid = cast.person.public_id
    assert person_file_url(pid, "mesures") == reverse("people:detail", args=[pid]) + "#mesures"
    assert person_file_url(pid, "notes") == tab(cast.person, "ecrits") + "#notes"
    assert person_file_url(pid, "registres") == tab(cast.person, "suivi") + "#registres"
    assert person_file_url(pid, "sortie") == tab(cast.person, "detention") + "#sortie"


def test_a_panel_on_an_unknown_tab_is_refused(monkeypatch):
    from django.apps import apps

    tabs = PanelSet("essai", tabs=(Tab("a", "A"),))
    panel = tabs.panel(key="x", title="X", template="x.html", order=1, tab="b")(lambda r, s: {})

    class Config:
        essai_panels = ("x",)

    monkeypatch.setattr(apps, "get_app_configs", lambda: [Config()])
    monkeypatch.setattr("parcours.core.panels.import_string", lambda path: panel)
    with pytest.raises(ValueError, match="onglet inconnu"):
        tabs.panels()


def test_a_tab_whose_sections_are_all_closed_to_the_role_is_not_offered(cast, clients):
    """The secretariat reads neither notes nor reports: no "Notes et rapports" tab (it said
    "Rien à afficher" as if the person had none); opened by its address, the page says why."""
    detail = reverse("people:detail", args=[cast.person.public_id])
    ecrits = reverse("people:tab", args=[cast.person.public_id, "ecrits"])
    assert f'href="{ecrits}"' in text(clients["cpip"].get(detail))
    assert f'href="{ecrits}"' in text(clients["jap"].get(detail))  # the reports transmitted
    assert f'href="{ecrits}"' not in text(clients["secretariat"].get(detail))
    page = text(clients["secretariat"].get(ecrits))
    assert "Votre rôle ne donne accès à aucune section de cet onglet." in page
