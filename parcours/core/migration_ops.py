"""Migration operations of our own (ADR 0027).

`DropForeignKeyIndex` turns a foreign key's `db_index` off the way `AlterField` would, without
SQLite's table rebuild: Django's SQLite backend remakes the whole table for any altered field,
which copies every row and drops the table's triggers (the journal's append-only triggers among
them). Here the database only loses the index, on both backends; the migration state changes as
`AlterField` would change it, so `makemigrations --check` sees the models in step.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.migrations.operations.base import Operation


class DropForeignKeyIndex(Operation):
    """Drop the single-column index Django made for `model_name.name` (a foreign key), and set
    its `db_index` to False. Reversible: backwards, the index is made again."""

    reversible = True
    # The index is found in the database (introspection): sqlmigrate cannot print it ahead.
    reduces_to_sql = False

    def __init__(self, model_name: str, name: str) -> None:
        self.model_name = model_name
        self.name = name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__name__, [], {"model_name": self.model_name, "name": self.name})

    def state_forwards(self, app_label: str, state: Any) -> None:
        model_state = state.models[app_label, self.model_name.lower()]
        field = model_state.fields[self.name].clone()
        field.db_index = False
        state.alter_field(app_label, self.model_name.lower(), self.name, field, True)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._apply(schema_editor, from_state.apps.get_model(app_label, self.model_name), True)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._apply(schema_editor, to_state.apps.get_model(app_label, self.model_name), False)

    def _apply(self, schema_editor: Any, model: Any, drop: bool) -> None:
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        field = model._meta.get_field(self.name)
        if not drop:
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
            return
        # The index as it is in the database (found by introspection, as AlterField finds it):
        # a plain index, never a unique one, and none the model declares in Meta (a partial
        # unique constraint on the column alone is an index on SQLite).
        declared = {index.name for index in model._meta.indexes}
        declared |= {constraint.name for constraint in model._meta.constraints}
        names = schema_editor._constraint_names(
            model,
            [field.column],
            index=True,
            unique=False,
            type_=models.Index.suffix,
            exclude=declared,
        )
        for name in names:
            schema_editor.execute(schema_editor._delete_index_sql(model, name))

    def describe(self) -> str:
        return f"Drop the index of foreign key {self.model_name}.{self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"drop_{self.model_name.lower()}_{self.name}_index"
