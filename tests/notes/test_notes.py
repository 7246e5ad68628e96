"""Case notes: access, canaries, sanitising, versions, optimistic locking, search."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parcours.audit.models import AuditAction, AuditEvent
from parcours.notes.access import visible_notes
from parcours.notes.models import Note, NoteKind, NoteVersion
from parcours.notes.services import update_note
from tests.helpers import file_tab

from ..conftest import Cast
from ..factories import PersonFactory
from ..helpers import client_for, count_queries, quiet
from .factories import make_note

pytestmark = pytest.mark.django_db

CANARY_OTHER_SPIP = "CANARI-AUTRE-SPIP-7f3a"
CANARY_SENSITIVE = "CANARI-SENSIBLE-91bc"
CANARY_PLAIN = "CANARI-ORDINAIRE-55de"


def body(response: Any) -> str:
    """The page, without the search box echoing the query."""
    text = response.content.decode("utf-8", errors="replace")
    return re.sub(r'id="id_q"[^>]*>|value="[^"]*"[^>]*id="id_q"', "", text)


@pytest.fixture
def notes(cast: Cast) -> dict[str, Note]:
    """cast.person is followed by cpip; cpip2 is a colleague (wrote a sensitive note there while
    replacing cpip, then the file went back); other_person is in another SPIP."""
    return {
        "plain": make_note(cast.person, body=f"Hébergement en foyer. {CANARY_PLAIN}"),
        "sensitive": make_note(
            cast.person,
            author=cast.cpip2,
            body=f"Hébergement chez un tiers, soins. {CANARY_SENSITIVE}",
            sensitive=True,
        ),
        "other": make_note(cast.other_person, body=f"Hébergement d'urgence. {CANARY_OTHER_SPIP}"),
    }


def note_urls(note: Note) -> list[str]:
    return [
        reverse("notes:detail", args=[note.public_id]),
        reverse("notes:history", args=[note.public_id]),
        reverse("notes:edit", args=[note.public_id]),
    ]


def person_urls(person: Any) -> list[str]:
    return [
        reverse("notes:person_list", args=[person.public_id]),
        reverse("people:detail", args=[person.public_id]),
        reverse("timeline:person", args=[person.public_id]),
    ]


def search_url(q: str = "hébergement", **params: str) -> str:
    from urllib.parse import urlencode

    return reverse("notes:search") + "?" + urlencode({"q": q, **params})


# --- Canaries --------------------------------------------------------------------------------


def test_another_spips_note_is_never_seen(cast: Cast, notes: dict[str, Note]) -> None:
    for role in ("cpip", "cpip2", "dpip"):
        client = quiet(cast.user(role))
        for url in note_urls(notes["other"]):
            response = client.get(url)
            assert response.status_code == 404, (role, url)
            assert CANARY_OTHER_SPIP not in body(response)
        for url in [*person_urls(cast.person), search_url(), search_url(CANARY_OTHER_SPIP)]:
            text = body(client.get(url))
            assert CANARY_OTHER_SPIP not in text, (role, url)
            assert str(notes["other"].public_id) not in text, (role, url)
    assert notes["other"] not in visible_notes(cast.dpip)


def test_a_colleagues_sensitive_note_is_hidden_from_a_cpip(
    cast: Cast, notes: dict[str, Note]
) -> None:
    client = quiet(cast.cpip)
    for url in note_urls(notes["sensitive"]):
        response = client.get(url)
        assert response.status_code == 404, url
        assert CANARY_SENSITIVE not in body(response)
    for url in [*person_urls(cast.person), search_url(), search_url(CANARY_SENSITIVE)]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert CANARY_SENSITIVE not in body(response), url
        assert str(notes["sensitive"].public_id) not in body(response), url
    # The plain note is there, so the pages did show notes.
    assert CANARY_PLAIN in body(client.get(person_urls(cast.person)[0]))
    found = body(client.get(search_url(CANARY_PLAIN)))
    assert str(notes["plain"].public_id) in found  # (the snippet marks each word of the canary)


def test_the_encadrement_and_the_author_read_a_sensitive_note(
    cast: Cast, notes: dict[str, Note]
) -> None:
    dpip = quiet(cast.dpip)
    for url in note_urls(notes["sensitive"])[:2]:
        assert CANARY_SENSITIVE in body(dpip.get(url))
    assert CANARY_SENSITIVE in body(dpip.get(search_url("soins")))
    assert CANARY_SENSITIVE in body(dpip.get(person_urls(cast.person)[0]))
    # The author is a colleague (not the referent): security.md gives a non-referent CPIP no
    # access to case notes, so not even their own note through a break-the-glass motif.
    author = quiet(cast.cpip2)
    url = reverse("notes:detail", args=[notes["sensitive"].public_id])
    assert author.get(url).status_code == 403
    author.post(
        reverse("people:motif", args=[cast.person.public_id]),
        {"motif": "remplacement", "detail": ""},
    )
    refused = author.get(url)
    assert refused.status_code == 403 and CANARY_SENSITIVE not in body(refused)


@pytest.mark.parametrize("role", ["jap", "secretariat", "partenaire", "admin"])
def test_roles_without_notes_never_see_one(cast: Cast, notes: dict[str, Note], role: str) -> None:
    client = quiet(cast.user(role))
    for note in notes.values():
        for url in note_urls(note):
            response = client.get(url)
            assert response.status_code == 403, (url, response.status_code)
    assert client.get(reverse("notes:person_list", args=[cast.person.public_id])).status_code == 403
    assert client.get(search_url()).status_code == 403
    for url in person_urls(cast.person)[1:]:
        text = body(client.get(url))
        for canary in (CANARY_PLAIN, CANARY_SENSITIVE, CANARY_OTHER_SPIP):
            assert canary not in text, (role, url)
    assert not visible_notes(cast.user(role)).exists()


def test_a_colleague_never_reads_the_notes_even_with_a_motif(
    cast: Cast, notes: dict[str, Note]
) -> None:
    """security.md: "CPIP (same antenna, not referent) — case notes: no". The motif opens the
    person file (read-only), never the working notes."""
    client = quiet(cast.cpip2)
    detail = reverse("notes:detail", args=[notes["plain"].public_id])
    listing = reverse("notes:person_list", args=[cast.person.public_id])
    first = client.get(detail)
    assert first.status_code == 403 and "réservées au référent" in body(first)
    client.post(
        reverse("people:motif", args=[cast.person.public_id]),
        {"motif": "permanence", "detail": ""},
    )
    assert client.get(reverse("people:detail", args=[cast.person.public_id])).status_code == 200
    for url in (detail, listing, reverse("notes:history", args=[notes["plain"].public_id])):
        response = client.get(url)
        assert response.status_code == 403 and CANARY_PLAIN not in body(response)
    person_file = body(client.get(reverse("people:detail", args=[cast.person.public_id])))
    assert CANARY_PLAIN not in person_file
    assert client.get(reverse("notes:edit", args=[notes["plain"].public_id])).status_code == 403
    assert client.get(reverse("notes:create", args=[cast.person.public_id])).status_code == 403
    assert str(notes["plain"].public_id) not in body(client.get(search_url(CANARY_PLAIN)))
    assert not AuditEvent.objects.filter(
        action=AuditAction.CONSULTATION, object_id=str(notes["plain"].public_id)
    ).exists()


# --- Writing ---------------------------------------------------------------------------------


def note_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": NoteKind.ENTRETIEN,
        "event_date": "2026-02-01",
        "body": "Premier entretien.",
        "measure": "",
    }
    data.update(overrides)
    return data


def test_create_sanitises_and_journals(cast: Cast) -> None:
    client = client_for(cast.cpip)
    raw = (
        '<p onclick="x()">Bonjour <strong>fort</strong><script>alert(1)</script>'
        '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">lien</a></p>'
    )
    response = client.post(
        reverse("notes:create", args=[cast.person.public_id]), note_post(body=raw)
    )
    assert response.status_code == 302
    note = Note.objects.get()
    for bad in ("<script", "onerror", "javascript:", "onclick", "<img", "<a ", "alert("):
        assert bad not in note.body_html
    assert "<strong>fort</strong>" in note.body_html
    assert note.body_text.startswith("Bonjour fort")
    page = body(client.get(reverse("notes:detail", args=[note.public_id])))
    assert "<strong>fort</strong>" in page and "alert(" not in page
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATION, object_id=str(note.public_id)
    ).exists()
    assert note.versions.count() == 1


def test_plain_text_becomes_paragraphs_and_is_escaped(cast: Cast) -> None:
    note = make_note(cast.person, body="Un < deux & trois\n\nDeuxième\nligne")
    assert note.body_html == "<p>Un &lt; deux &amp; trois</p><p>Deuxième<br>ligne</p>"


def test_measure_of_another_person_is_refused(cast: Cast) -> None:
    other = PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    from ..factories import MeasureFactory

    measure = MeasureFactory(person=other)
    client = client_for(cast.cpip)
    response = client.post(
        reverse("notes:create", args=[cast.person.public_id]),
        note_post(measure=str(measure.pk)),
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in body(response)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "autre"}, "Sélectionnez un choix valide"),
        ({"event_date": "2099-01-01"}, "ne peut pas être dans le futur"),
        ({"event_date": "31/02/2026"}, "Saisissez une date valide"),
        ({"event_date": "1900-01-01"}, "antérieure à 1990"),
        ({"body": "<script>alert(1)</script>"}, "Le texte de la note est vide"),
        ({"body": "x" * 20001}, "dépasse 20\u202f000 caractères"),
        ({"body": "a\x00b"}, "caractère nul"),
        ({"version": "abc"}, "nombre entier"),
    ],
)
def test_bad_input_is_a_french_400(cast: Cast, overrides: dict[str, str], message: str) -> None:
    client = quiet(cast.cpip)
    note = make_note(cast.person)
    for url in (
        reverse("notes:create", args=[cast.person.public_id]),
        reverse("notes:edit", args=[note.public_id]),
    ):
        response = client.post(url, note_post(**{"version": str(note.version), **overrides}))
        assert response.status_code == 400, (url, response.status_code)
        assert message in body(response), url


def test_edits_keep_every_version_and_history_shows_them(cast: Cast) -> None:
    note = make_note(cast.person, body="Texte initial ANCIEN")
    client = client_for(cast.cpip)
    url = reverse("notes:edit", args=[note.public_id])
    assert "Texte initial ANCIEN" in body(client.get(url))
    response = client.post(url, note_post(body="Texte corrigé NOUVEAU", version="1"))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.version == 2 and "NOUVEAU" in note.body_html
    assert list(note.versions.values_list("version", flat=True)) == [2, 1]
    history = body(client.get(reverse("notes:history", args=[note.public_id])))
    assert "Texte initial ANCIEN" in history and "Texte corrigé NOUVEAU" in history
    assert AuditEvent.objects.filter(
        action=AuditAction.MODIFICATION, object_id=str(note.public_id)
    ).exists()


def test_a_stale_edit_is_a_409_showing_both_versions(cast: Cast) -> None:
    note = make_note(cast.person, body="Version une")
    update_note(
        acting_user=cast.dpip,
        note=note,
        expected_version=1,
        kind=note.kind,
        event_date=note.event_date,
        body="Version du DPIP",
        sensitive=False,
    )
    client = client_for(cast.cpip)
    response = client.post(
        reverse("notes:edit", args=[note.public_id]),
        note_post(body="Version du CPIP", version="1"),
    )
    assert response.status_code == 409
    page = body(response)
    assert "Version du DPIP" in page and "Version du CPIP" in page
    note.refresh_from_db()
    assert note.version == 2 and "DPIP" in note.body_html
    assert NoteVersion.objects.filter(note=note).count() == 2


def test_only_the_author_or_the_encadrement_edits(cast: Cast) -> None:
    note = make_note(cast.person, author=cast.dpip, body="Note du DPIP")
    url = reverse("notes:edit", args=[note.public_id])
    assert quiet(cast.cpip).get(url).status_code == 403
    assert quiet(cast.dpip).get(url).status_code == 200
    mine = make_note(cast.person)
    assert quiet(cast.dpip).get(reverse("notes:edit", args=[mine.public_id])).status_code == 200


# --- Lists, panel, chronology ---------------------------------------------------------------


def test_person_list_filters_by_type_and_paginates(cast: Cast, settings: Any) -> None:
    settings.PARCOURS_PAGE_SIZE = 3
    for i in range(4):
        make_note(cast.person, body=f"Entretien n°{i}", kind=NoteKind.ENTRETIEN)
    make_note(cast.person, body="Appel UNIQUE", kind=NoteKind.APPEL)
    client = client_for(cast.cpip)
    url = reverse("notes:person_list", args=[cast.person.public_id])
    page = body(client.get(url))
    assert "Page 1 sur 2" in page
    filtered = body(client.get(url, {"type": "appel"}))
    assert "Appel UNIQUE" in filtered and "Entretien n°" not in filtered
    assert client.get(url, {"type": "<script>", "page": "x"}).status_code == 200


def test_person_file_shows_the_last_five_notes(cast: Cast) -> None:
    for day in range(1, 8):
        make_note(cast.person, body=f"NOTE-JOUR-{day}", event_date=datetime.date(2026, 1, day))
    page = body(client_for(cast.cpip).get(file_tab(cast.person, "notes")))
    assert "Notes de suivi" in page and "Toutes les notes" in page and "Nouvelle note" in page
    shown = [day for day in range(1, 8) if f"NOTE-JOUR-{day}" in page]
    assert shown == [3, 4, 5, 6, 7]


def test_chronology_lists_visible_notes(cast: Cast, notes: dict[str, Note]) -> None:
    url = reverse("timeline:person", args=[cast.person.public_id])
    page = body(client_for(cast.cpip).get(url))
    assert CANARY_PLAIN in page and CANARY_SENSITIVE not in page
    assert CANARY_SENSITIVE in body(client_for(cast.dpip).get(url))
    jap_page = body(client_for(cast.jap).get(url))
    assert CANARY_PLAIN not in jap_page and 'value="note"' not in jap_page


# --- Search ----------------------------------------------------------------------------------


def results(client: Client, q: str, **params: str) -> str:
    response = client.get(search_url(q, **params))
    assert response.status_code == 200, response.status_code
    return body(response)


def test_search_finds_accents_and_inflections(cast: Cast) -> None:
    make_note(cast.person, body="Recherche d'un hébergement stable. ALPHA")
    make_note(cast.person, body="Demande hebergement au SIAO. BETA")
    make_note(cast.person, body="Sans rapport : emplois saisonniers. GAMMA")
    client = client_for(cast.cpip)
    page = results(client, "hébergé")
    assert "ALPHA" in page and "BETA" in page and "GAMMA" not in page
    assert "<mark>hébergement</mark>" in page and "<mark>hebergement</mark>" in page
    plural = results(client, "emploi")
    assert "GAMMA" in plural and "ALPHA" not in plural
    assert "ALPHA" in results(client, "HEBERGEMENTS")
    assert "ALPHA" in results(client, "héberg")  # a word still being typed


def test_search_without_match_says_so(cast: Cast) -> None:
    make_note(cast.person, body="Recherche d'un hébergement stable. ALPHA")
    page = results(client_for(cast.cpip), "permis")
    assert "<strong>0</strong> note trouvée" in page
    assert "Aucune note ne correspond à cette recherche." in page
    assert "ALPHA" not in page


def test_search_snippet_is_escaped(cast: Cast) -> None:
    make_note(cast.person, body="&lt;img src=x onerror=alert(1)&gt; hébergement <b>gras</b>")
    page = results(client_for(cast.cpip), "hébergement")
    assert "<img" not in page
    assert "<mark>hébergement</mark>" in page


def test_search_filters_order_and_journal(cast: Cast) -> None:
    old = make_note(cast.person, body="emploi ancien OLD", event_date=datetime.date(2025, 1, 10))
    make_note(
        cast.person,
        body="emploi emploi emploi récent NEW",
        kind=NoteKind.APPEL,
        event_date=datetime.date(2026, 3, 1),
    )
    client = client_for(cast.cpip)
    assert "OLD" not in results(client, "emploi", type="appel")
    assert "NEW" not in results(client, "emploi", du="2025-01-01", au="2025-12-31")
    assert "OLD" in results(client, "emploi", personne=str(cast.person.public_id))
    assert "NEW" not in results(client, "emploi", auteur=str(cast.dpip.public_id))
    by_date = results(client, "emploi", tri="date")
    assert by_date.index("NEW") < by_date.index("OLD")
    by_relevance = results(client, "emploi", tri="pertinence")
    assert by_relevance.index("NEW") < by_relevance.index("OLD")
    event = AuditEvent.objects.filter(action=AuditAction.RECHERCHE).last()
    assert event is not None
    assert event.details["requete"] == "emploi"
    assert event.details["filtres"]["tri"] == "pertinence"
    assert old.public_id  # the notes exist


@pytest.mark.parametrize(
    "params",
    [
        {"du": "pas une date"},
        {"du": "2026-02-01", "au": "2026-01-01"},
        {"personne": "not-a-uuid"},
        {"type": "inconnu"},
        {"auteur": "00000000-0000-0000-0000-000000000000"},
        {"q": "x" * 201},
        {"q": "a\x00b"},
    ],
)
def test_search_bad_input_is_a_french_400(cast: Cast, params: dict[str, str]) -> None:
    response = quiet(cast.cpip).get(reverse("notes:search"), {"q": "emploi", **params})
    assert response.status_code == 400
    assert "Le formulaire contient" in body(response)


def test_search_of_another_spips_person_is_refused(cast: Cast, notes: dict[str, Note]) -> None:
    response = quiet(cast.cpip).get(
        reverse("notes:search"), {"personne": str(cast.other_person.public_id)}
    )
    assert response.status_code == 400
    assert CANARY_OTHER_SPIP not in body(response)
    assert "Hoarau" not in body(response).upper().title()


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ('"', False),
        ("NEAR(", False),
        ("a OR b", False),
        ("*", False),
        ("' OR 1=1 --", False),
        (":*", False),
        ("&|!", False),
        ("()", False),
        # Operators are not syntax: only the words count ("héb", a prefix of the last word).
        ("héb*", True),
    ],
)
def test_search_with_fts_syntax_is_harmless(cast: Cast, q: str, found: bool) -> None:
    """Full-text operators typed in the box are plain characters: never an error, never "every
    note" (`*`, `OR 1=1`), and the words around them are searched as usual."""
    make_note(cast.person, body="Hébergement en foyer. CANARIFOYER")
    make_note(cast.person, body="Accord trouvé avec la mairie. CANARI-MAIRIE")
    page = results(client_for(cast.cpip), q)
    assert "CANARI-MAIRIE" not in page
    if found:
        assert "CANARIFOYER" in page and "<strong>1</strong> note trouvée" in page
    else:
        assert "CANARIFOYER" not in page and "resultats-notes" not in page


# --- Query budgets ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["people:detail", "notes:person_list", "timeline:person"])
def test_person_pages_do_not_grow_with_notes(cast: Cast, page: str) -> None:
    client = client_for(cast.cpip)
    url = reverse(page, args=[cast.person.public_id])
    make_note(cast.person)
    few, _ = count_queries(client, url)
    for i in range(12):
        make_note(cast.person, author=cast.dpip if i % 2 else cast.cpip, body=f"emploi {i}")
    assert count_queries(client, url)[0] == few


def test_search_does_not_grow_with_results(cast: Cast) -> None:
    client = client_for(cast.cpip)
    url = reverse("notes:search")
    make_note(cast.person, body="emploi")
    few, _ = count_queries(client, url, {"q": "emploi"})
    for i in range(12):
        make_note(cast.person, author=cast.dpip if i % 2 else cast.cpip, body=f"emploi {i}")
    assert count_queries(client, url, {"q": "emploi"})[0] == few


def test_demo_notes_are_idempotent(cast: Cast) -> None:
    from parcours.notes import demo

    for _ in range(3):
        PersonFactory(spip=cast.spip, antenna=cast.antenna, referent=cast.cpip)
    users = {"cpip.demo": cast.cpip}
    first = demo.seed({}, users)
    assert first["notes"] >= 6
    assert demo.seed({}, users) == {"notes": 0}
    assert Note.objects.filter(sensitive=True).count() == 1
    assert NoteVersion.objects.count() == first["notes"]
    page = body(client_for(cast.cpip).get(reverse("notes:search"), {"q": "hébergé"}))
    assert "<mark>" in page


def test_only_common_words_search_nothing(cast: Cast) -> None:
    make_note(cast.person, body="hébergement")
    before = AuditEvent.objects.filter(action=AuditAction.RECHERCHE).count()
    page = results(client_for(cast.cpip), "le la de")
    assert "Précisez votre recherche" in page and "note trouvée" not in page
    assert AuditEvent.objects.filter(action=AuditAction.RECHERCHE).count() == before


def test_a_cpip_cannot_filter_on_a_colleagues_person(cast: Cast) -> None:
    colleague_person = PersonFactory(
        spip=cast.spip, antenna=cast.antenna, referent=cast.cpip2, last_name="Zyxwvutsky"
    )
    make_note(colleague_person, body="hébergement COLLEGUE")
    response = quiet(cast.cpip).get(
        reverse("notes:search"), {"q": "hébergement", "personne": str(colleague_person.public_id)}
    )
    assert response.status_code == 400
    assert colleague_person.last_name not in body(response)
    dpip = quiet(cast.dpip).get(
        reverse("notes:search"), {"q": "hébergement", "personne": str(colleague_person.public_id)}
    )
    assert dpip.status_code == 200 and "COLLEGUE" in body(dpip)


def test_stored_html_is_cleaned_again_on_display(cast: Cast) -> None:
    note = make_note(cast.person)
    Note.objects.filter(pk=note.pk).update(body_html="<p>ok<script>alert(1)</script></p>")
    page = body(client_for(cast.cpip).get(reverse("notes:detail", args=[note.public_id])))
    assert "<script>alert(1)" not in page and "<p>ok</p>" in page
