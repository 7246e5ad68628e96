"""No index that another index of the same table already provides (ADR 0027).

A single-column index (Django makes one for each foreign key) is redundant when its column leads
a wider index or unique constraint of the same table that covers every row (no condition, no
expression): that index serves the lookups by the column and the checks of the deletions that
cascade or protect. Each insert maintained the redundant one for nothing; on the journal (30 M
rows nationally) and on the appointments and notes, that is write time and disk on every request.

The rule is checked on the models; the database is checked against the models (the migrations'
`DropForeignKeyIndex` did drop what the models no longer declare), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import pytest
from django.apps import apps
from django.db import connection, models

PROJECT = "parcours."


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith(PROJECT)]


def covering_column_lists(model: type[models.Model]) -> list[tuple[str, list[str]]]:
    """The model's indexes and unique constraints over every row, as (name, field names)."""
    meta = model._meta
    found: list[tuple[str, list[str]]] = []
    for index in meta.indexes:
        if index.condition is None and not index.expressions and index.fields:
            found.append((str(index.name), [name.lstrip("-") for name in index.fields]))
    for constraint in meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.condition is None
            and not constraint.expressions
            and constraint.fields
        ):
            found.append((constraint.name, list(constraint.fields)))
    for fields in meta.unique_together:
        found.append(("unique_together", list(fields)))
    return found


def redundant(
    indexed_fields: Iterable[str], coverings: Iterable[tuple[str, list[str]]]
) -> list[tuple[str, str]]:
    """The (field, covering index) pairs where a field's own index leads a wider covering one."""
    coverings = list(coverings)
    pairs = []
    for field in indexed_fields:
        for name, fields in coverings:
            if len(fields) > 1 and fields[0] == field:
                pairs.append((field, name))
                break
    return pairs


def indexed_fields(model: type[models.Model]) -> list[str]:
    """The fields that carry an index of their own (db_index, not unique, not the key)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.db_index and not field.unique and not field.primary_key
    ]


def test_redundant_finds_a_field_index_leading_a_wider_one() -> None:
    coverings = [
        ("notes_person_date", ["person", "event_date"]),
        ("notes_spip_date", ["spip", "event_date"]),
        ("single", ["author"]),
    ]
    assert redundant(["person", "author", "measure"], coverings) == [
        ("person", "notes_person_date")
    ]


def test_a_partial_or_expression_index_does_not_cover() -> None:
    class Meta:
        indexes = [
            models.Index(fields=["person", "day"], name="partial", condition=models.Q(day=1)),
            models.Index(models.F("person"), "day", name="expression"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"], name="partial_unique", condition=models.Q(kind=2)
            ),
        ]
        unique_together: list[list[str]] = []

    class Fake:
        _meta = Meta

    assert covering_column_lists(cast(Any, Fake)) == []


def test_no_field_index_is_provided_by_another_index() -> None:
    found = [
        f"{model._meta.label}.{field} (couvert par {name})"
        for model in project_models()
        for field, name in redundant(indexed_fields(model), covering_column_lists(model))
    ]
    assert not found, "Index redondants : " + ", ".join(found)


@pytest.mark.django_db
def test_the_database_holds_no_foreign_key_index_the_models_dropped() -> None:
    extra = []
    with connection.cursor() as cursor:
        for model in project_models():
            table = model._meta.db_table
            constraints = connection.introspection.get_constraints(cursor, table)
            single = {
                tuple(details["columns"])
                for details in constraints.values()
                if details["index"]
                and not details["unique"]
                and not details["primary_key"]
                and len(details["columns"] or []) == 1
            }
            declared = {
                tuple(model._meta.get_field(name.lstrip("-")).column for name in index.fields)
                for index in model._meta.indexes
            }
            for field in model._meta.concrete_fields:
                column = (field.column,)
                if field.is_relation and not field.db_index and column in single - declared:
                    extra.append(f"{table}.{field.column}")
    assert not extra, extra


@pytest.mark.django_db
def test_the_database_holds_every_index_and_unique_constraint_the_models_declare() -> None:
    # Dropping an index by introspection must leave the declared ones alone: a partial unique
    # constraint on one column (one plan in force per person) is an index on SQLite.
    missing = []
    with connection.cursor() as cursor:
        for model in project_models():
            present = set(connection.introspection.get_constraints(cursor, model._meta.db_table))
            declared = [index.name for index in model._meta.indexes] + [
                constraint.name
                for constraint in model._meta.constraints
                if isinstance(constraint, models.UniqueConstraint)
            ]
            missing += [
                f"{model._meta.db_table}.{name}" for name in declared if name not in present
            ]
    assert not missing, missing
