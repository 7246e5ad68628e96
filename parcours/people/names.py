"""Names as typed by people: invisible characters removed, one Unicode form.

A zero-width space (U+200B) or a right-to-left override (U+202E) inside "Durand" is invisible on
screen but makes another string: the duplicate check (`services.find_duplicates`, on the folded
`search_name`) would miss the existing file, and the name would not be found by a search. So
every name is cleaned before it is checked or stored:

- Unicode format characters (category Cf: zero-width spaces and joiners, word joiner, BOM, the
  bidi embeddings, overrides and isolates, soft hyphen) are removed;
- the text is NFC-normalised (composed accents: "é" typed as e + U+0301 is the same name);
  NFKC is not applied to what is stored (it would rewrite legitimate characters), the folded
  search key already compares compatibility forms (rules.identity.fold uses NFKD);
- control characters (category Cc: tabs, newlines, NUL…) are refused with a French message.
"""

from __future__ import annotations

import unicodedata

CONTROL_REFUSED = (
    "Ce champ contient un caractère de contrôle invisible (tabulation, retour à la ligne…) : "
    "saisissez le nom sans ce caractère."
)


def clean_name(value: str) -> str:
    """The name without format characters (Cf), NFC-normalised, outer spaces trimmed."""
    kept = "".join(
        c for c in unicodedata.normalize("NFC", value or "") if unicodedata.category(c) != "Cf"
    )
    return unicodedata.normalize("NFC", kept).strip()


def name_problem(value: str) -> str:
    """The French reason a name is refused ("" when it is accepted)."""
    if any(unicodedata.category(c) == "Cc" for c in value or ""):
        return CONTROL_REFUSED
    return ""
