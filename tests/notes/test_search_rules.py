"""French normalisation and highlighting (pure functions)."""

from __future__ import annotations

from parcours.rules.text import highlight, query_keys, search_document, word_key


def test_accents_and_inflections_meet_on_one_key() -> None:
    forms = ["hébergé", "hebergé", "hébergement", "hebergement", "hébergements", "hébergées"]
    assert {word_key(w) for w in forms} == {"heberg"}


def test_plurals_meet_their_singular() -> None:
    for singular, plural in [("emploi", "emplois"), ("soin", "soins"), ("dette", "dettes")]:
        assert word_key(singular) == word_key(plural)


def test_stopwords_and_letters_are_not_keys() -> None:
    assert query_keys("la recherche d'un hébergement") == ["recherch", "heberg"]
    assert search_document("") == ""


def test_highlight_escapes_before_marking() -> None:
    text = "<script>alert(1)</script> cherche un hébergement & un <b>emploi</b>"
    out = highlight(text, query_keys("hébergé emplois"))
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out
    assert "<mark>hébergement</mark>" in out
    assert "<mark>emploi</mark>" in out
    assert "&amp;" in out


def test_highlight_cuts_around_the_first_match() -> None:
    text = "début " + "mot " * 200 + "logement trouvé " + "fin " * 200
    out = highlight(text, ["log"], width=100)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>logement</mark>" in out
