"""Full-text search of notes (docs/adr/0005-note-search.md).

Every note stores `search_text`, the French search keys of its text (rules.text). The database
indexes that column: FTS5 table `notes_note_fts` on SQLite (kept in step by triggers); on
PostgreSQL a stored generated column `search_vector` (to_tsvector('simple', search_text)) with a
GIN index. A query goes through the same keys, so both backends answer the same notes. The
search always starts from `visible_notes(user)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from parcours.rules.text import highlight, query_keys

from .access import visible_notes
from .models import Note

if TYPE_CHECKING:
    from parcours.accounts.models import User
    from parcours.people.models import Person


@dataclass
class NoteSearch:
    text: str = ""
    person: Person | None = None
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    author: User | None = None
    order: str = "pertinence"
    keys: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.text or self.person or self.kind or self.date_from or self.date_to or self.author
        )


def _fts5_expression(keys: list[str]) -> str:
    # Keys are made of letters and digits only (rules.text.WORD): quoting is enough.
    terms = [f'"{k}"' for k in keys]
    terms[-1] += "*"  # the last word may still be typed
    return " ".join(terms)


def _tsquery(keys: list[str]) -> str:
    terms = [f"'{k}'" for k in keys]
    terms[-1] += ":*"
    return " & ".join(terms)


PG_VECTOR = '"notes_note"."search_vector"'
PG_QUERY = "to_tsquery('simple'::regconfig, %s)"
PG_MATCH = f"{PG_VECTOR} @@ {PG_QUERY}"
PG_RANK = f"ts_rank({PG_VECTOR}, {PG_QUERY})"


def match_keys(qs: QuerySet[Note], keys: list[str], *, rank: bool = False) -> QuerySet[Note]:
    """Notes whose text has every key (the last one as a prefix); `rank` annotates `relevance`
    (higher is better)."""
    if not keys:
        return qs
    if connection.vendor == "postgresql":
        # Constant SQL; the query is a bound parameter. The vector is the indexed expression.
        tsq = _tsquery(keys)
        qs = qs.filter(RawSQL(PG_MATCH, [tsq], output_field=BooleanField()))  # noqa: S611
        if rank:
            qs = qs.annotate(relevance=RawSQL(PG_RANK, [tsq], output_field=FloatField()))  # noqa: S611
        return qs
    expression = _fts5_expression(keys)
    qs = qs.filter(
        RawSQL(
            '"notes_note"."id" IN (SELECT rowid FROM notes_note_fts WHERE notes_note_fts MATCH %s)',
            [expression],
            output_field=BooleanField(),
        )
    )
    if rank:
        qs = qs.annotate(
            relevance=RawSQL(
                "(SELECT -bm25(notes_note_fts) FROM notes_note_fts"
                ' WHERE notes_note_fts MATCH %s AND rowid = "notes_note"."id")',
                [expression],
                output_field=FloatField(),
            )
        )
    return qs


def search_notes(user: User, search: NoteSearch) -> QuerySet[Note]:
    """The notes `user` may read that match `search`, in the asked order."""
    search.keys = query_keys(search.text)
    qs = visible_notes(user)
    if search.person is not None:
        qs = qs.filter(person=search.person)
    if search.kind:
        qs = qs.filter(kind=search.kind)
    if search.date_from:
        qs = qs.filter(event_date__gte=search.date_from)
    if search.date_to:
        qs = qs.filter(event_date__lte=search.date_to)
    if search.author is not None:
        qs = qs.filter(author=search.author)
    by_relevance = bool(search.keys) and search.order == "pertinence"
    qs = match_keys(qs, search.keys, rank=by_relevance)
    qs = qs.select_related("person", "author")
    if by_relevance:
        return qs.order_by("-relevance", "-event_date", "-pk")
    return qs.order_by("-event_date", "-pk")


def snippet(note: Note, keys: list[str]) -> str:
    """Escaped excerpt with <mark> around the matching words (safe to render as HTML)."""
    return highlight(note.body_text, keys)


def journal_details(search: NoteSearch, count: int) -> dict[str, Any]:
    return {
        "requete": search.text,
        "filtres": {
            "personne": str(search.person.public_id) if search.person else "",
            "type": search.kind,
            "du": search.date_from.isoformat() if search.date_from else "",
            "au": search.date_to.isoformat() if search.date_to else "",
            "auteur": str(search.author.public_id) if search.author else "",
            "tri": search.order,
        },
        "resultats": count,
    }
