"""Prepared reads: a queryset whose SQL Django compiles once per process and database, then runs
with each call's keys (ADR 0028).

On the person file a small query costs about 0.85 ms through the ORM (SQLite, demo data), of
which 0.5 ms is compiling the queryset to SQL and 0.06 ms running it. A page of eight such reads
spends 4 ms writing the same SQL again. A prepared read pays that once:

    @prepared
    def person_alerts(*, person_id: int) -> QuerySet[Alert]:
        return Alert.objects.filter(person_id=person_id, origin__isnull=True)

    person_alerts(person_id=person.pk)  # -> list[Alert], one query, no compile after the first

The build function describes the query with the ORM, as any other; `prepared` calls it with
marker values the first time a database asks for it, finds where each marker landed in the
compiled parameters, and from then on runs that SQL with the call's values in their place. The
rows come back as Django builds them: model instances (with `select_related`, `only`/`defer`
and annotations) or, for `values_list(...)`, tuples.

What a build function may do, each checked when it is first compiled (`PreparedReadError`):

- its inputs are its keyword-only arguments, annotated `int`, `UUID`, `date` or `datetime`
  (aware); every other value in the query is a constant of the query (a status list, a LIMIT).
  It must not read the clock, the user or the settings: pass them as arguments. It is built
  twice with different markers and must give the same SQL and the same constants both times;
- every argument must reach the SQL parameters (not a LIMIT, not a list);
- no `prefetch_related`, no `values()` dicts, no flat or named `values_list`.

A read keeps its SQL for the life of the process, per database alias (SQLite and PostgreSQL
write different SQL); it routes like the ORM (`router.db_for_read`).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any, Generic, ParamSpec, TypeVar
from uuid import UUID

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import (  # type: ignore[attr-defined] # internal, not in the stubs
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

P = ParamSpec("P")
R = TypeVar("R")

KEY_TYPES = (int, UUID, date, datetime)


class PreparedReadError(TypeError):
    """A build function that cannot be prepared (a programming error, raised on first use)."""


def _marker(kind: type, position: int, round_: int) -> Any:
    """A value of `kind` that no real query holds, distinct per argument and per round."""
    serial = 1000 * round_ + position
    if kind is int:
        return 10**15 + serial  # positive: a slice refuses a negative bound before we can
    if kind is UUID:
        return UUID(int=(0x9A2C0025 << 96) + serial)
    if kind is datetime:
        return datetime(1901, 1 + round_, 1 + position, 1, 2, 3, tzinfo=UTC)
    return date(1901, 1 + round_, 1 + position)


def _forms(kind: type, connection: BaseDatabaseWrapper) -> tuple[Callable[[Any], Any], ...]:
    """The shapes a value of `kind` can take in compiled parameters: as given (a raw SQL's
    parameter, a native type) and as the backend adapts it for a field of that type."""
    ops = connection.ops
    if kind is UUID:
        return (lambda v: v, lambda v: v.hex)
    if kind is datetime:
        return (lambda v: v, ops.adapt_datetimefield_value)
    if kind is date:
        return (lambda v: v, ops.adapt_datefield_value)
    return (lambda v: v,)


@dataclass(frozen=True)
class _Slot:
    """One compiled parameter that carries an argument: where, which, in which shape."""

    position: int
    name: str
    form: Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    make_rows: Callable[[str, list[list[Any]]], list[Any]]


class PreparedRead(Generic[P, R]):
    def __init__(self, build: Callable[P, QuerySet[Any, R]]) -> None:
        self.build = build
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__
        self.__qualname__ = build.__qualname__
        self.__module__ = build.__module__
        self._kinds = self._argument_kinds(build)
        self._compiled: dict[str, _Compiled] = {}
        self._model: type[Model] | None = None

    def _argument_kinds(self, build: Callable[..., Any]) -> dict[str, type]:
        # The keys' annotations only: the return type may be imported under TYPE_CHECKING.
        keys = SimpleNamespace(
            __annotations__={k: v for k, v in build.__annotations__.items() if k != "return"},
            __globals__=getattr(build, "__globals__", {}),
        )
        hints = typing.get_type_hints(keys)
        kinds: dict[str, type] = {}
        for name, parameter in inspect.signature(build).parameters.items():
            if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
                raise PreparedReadError(f"{build.__qualname__}: « {name} » must be keyword-only.")
            kind = hints.get(name)
            if kind not in KEY_TYPES:
                raise PreparedReadError(
                    f"{build.__qualname__}: « {name} » must be annotated int, UUID, date or "
                    f"datetime, not {kind!r}."
                )
            kinds[name] = kind
        if len(kinds) > 27:  # a date marker's day of the month is 1 + the key's position
            raise PreparedReadError(f"{build.__qualname__}: too many arguments.")
        return kinds

    def _build(self, round_: int) -> tuple[QuerySet[Any, Any], dict[str, Any]]:
        markers = {
            name: _marker(kind, position, round_)
            for position, (name, kind) in enumerate(self._kinds.items())
        }
        build: Callable[..., Any] = self.build  # called with markers in place of the keys
        queryset = build(**markers)
        if not isinstance(queryset, QuerySet):
            raise PreparedReadError(f"{self.__qualname__} must return a QuerySet.")
        return queryset, markers

    def _slots(
        self, params: tuple[Any, ...], markers: dict[str, Any], connection: BaseDatabaseWrapper
    ) -> tuple[_Slot, ...]:
        slots = []
        for position, value in enumerate(params):
            for name, marker in markers.items():
                form = next(
                    (f for f in _forms(self._kinds[name], connection) if f(marker) == value), None
                )
                if form is not None:
                    slots.append(_Slot(position, name, form))
        missing = set(markers) - {slot.name for slot in slots}
        if missing:
            raise PreparedReadError(
                f"{self.__qualname__}: {sorted(missing)} do not reach the SQL parameters "
                "(a LIMIT, a list or an unused argument cannot be prepared)."
            )
        return tuple(slots)

    def _compile(self, alias: str) -> _Compiled:
        connection = connections[alias]
        compiled = []
        for round_ in (0, 1):
            queryset, markers = self._build(round_)
            state: Any = queryset  # Django's internal state of a queryset (untyped in the stubs)
            if state._prefetch_related_lookups or state._known_related_objects:
                raise PreparedReadError(f"{self.__qualname__}: prefetch_related is not prepared.")
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            params = tuple(params)
            slots = self._slots(params, markers, connection)
            bound = {slot.position for slot in slots}
            constants = [p for i, p in enumerate(params) if i not in bound]
            compiled.append((sql, params, slots, constants, queryset, compiler))
        (sql, params, slots, constants, queryset, compiler), second = compiled
        same_slots = [(s.position, s.name) for s in slots] == [
            (s.position, s.name) for s in second[2]
        ]
        if sql != second[0] or constants != second[3] or not same_slots:
            raise PreparedReadError(
                f"{self.__qualname__}: its SQL depends on more than its arguments (the clock, "
                "the user, the settings?): pass them as arguments."
            )
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = tuple(
            (position, tuple(convs), expression)
            for position, (convs, expression) in compiler.get_converters(fields).items()
        )
        return _Compiled(sql, params, slots, converters, self._row_maker(queryset, compiler))

    def _row_maker(
        self, queryset: QuerySet[Any, Any], compiler: Any
    ) -> Callable[[str, list[list[Any]]], list[Any]]:
        state: Any = queryset
        iterable = state._iterable_class
        if iterable is ValuesListIterable:
            query = queryset.query
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            if state._fields and list(state._fields) != names:
                raise PreparedReadError(f"{self.__qualname__}: name the values_list's columns.")
            return lambda db, rows: [tuple(row) for row in rows]
        if iterable is not ModelIterable:
            raise PreparedReadError(
                f"{self.__qualname__}: model rows or values_list(...) only, "
                f"not {iterable.__name__}."
            )
        select, klass_info = compiler.select, compiler.klass_info
        annotations = tuple(compiler.annotation_col_map.items())
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators: dict[str, list[Any]] = {}

        def make_rows(db: str, rows: list[list[Any]]) -> list[Any]:
            if db not in populators:
                populators[db] = get_related_populators(klass_info, select, db)
            objects = []
            for row in rows:
                obj = model.from_db(db, init_list, row[start:end])
                for populator in populators[db]:
                    populator.populate(row, obj)
                for name, column in annotations:
                    setattr(obj, name, row[column])
                objects.append(obj)
            return objects

        return make_rows

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> list[R]:
        if args:
            raise TypeError(f"{self.__qualname__} takes keyword arguments only.")
        if set(kwargs) != set(self._kinds):
            raise TypeError(
                f"{self.__qualname__} takes {sorted(self._kinds)}, got {sorted(kwargs)}."
            )
        if self._model is None:
            self._model = self._build(0)[0].model
        alias = router.db_for_read(self._model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        params = list(compiled.params)
        for slot in compiled.slots:
            params[slot.position] = slot.form(kwargs[slot.name])
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        for row in rows:
            for position, convs, expression in compiled.converters:
                value = row[position]
                for convert in convs:
                    value = convert(value, expression, connection)
                row[position] = value
        return compiled.make_rows(alias, rows)


def prepared(build: Callable[P, QuerySet[Any, R]]) -> PreparedRead[P, R]:
    """Decorate a function building a queryset from keyword keys (module docstring)."""
    return PreparedRead(build)
