"""A note typed with a few HTML tags in the text area keeps what the writer meant: <b> and <i>
as bold and italics, and, when no block tag is typed, the line breaks and paragraphs typed
(HTML alone would merge them into one line). Scripts and other tags still go."""

from __future__ import annotations

import pytest

from parcours.notes.sanitize import clean_body


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (
            "Voir <b>attestation</b>\n\nParagraphe 2\nligne",
            "<p>Voir <strong>attestation</strong></p><p>Paragraphe 2<br>ligne</p>",
        ),
        ("Un <i>mot</i>", "<p>Un <em>mot</em></p>"),
        ("<p>Déjà</p><p>en HTML</p>", "<p>Déjà</p><p>en HTML</p>"),
        ("<script>alert(1)</script>Bonjour <img src=x>", "<p>Bonjour </p>"),
        ("Revenus < 500 € et **gras**", "<p>Revenus &lt; 500 € et <strong>gras</strong></p>"),
    ],
)
def test_typed_html_keeps_its_meaning(typed: str, stored: str) -> None:
    assert clean_body(typed) == stored
