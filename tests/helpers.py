"""Helpers shared by the test modules: clients, page text, query counts, strict templates.

Django is imported inside the functions that need it: tests/e2e/strict_settings.py imports this
module before Django is configured.
"""

from __future__ import annotations

import html
import sys
from types import CodeType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpResponse
    from django.test import Client

    from parcours.accounts.models import User


# Tasks run at once, in the test's process (override_settings(TASKS=IMMEDIATE_TASKS)).
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


# --- Clients ----------------------------------------------------------------------------------


def client_for(user: User) -> Client:
    """A test client logged in as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def quiet(user: User | None = None) -> Client:
    """A client that returns a crash as the 500 page instead of raising it, so that a test can
    assert the status code of bad input (logged in as `user`, or anonymous)."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def text(response: HttpResponse) -> str:
    """A page's text with its HTML entities decoded (the French apostrophe, accents)."""
    return html.unescape(response.content.decode("utf-8", errors="replace"))


def count_queries(
    client: Client, url: str, params: dict[str, Any] | None = None
) -> tuple[int, list[str]]:
    """The number of queries of a GET of `url` (and their SQL), after a warm-up GET: the first
    request of a session stores "last seen" and would count once more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params or {})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


# --- Strict template variables ----------------------------------------------------------------


class UndefinedTemplateVariable(AssertionError):
    """A template read a variable that does not exist."""


def _resolve_code() -> CodeType:
    # Imported late: the e2e settings module imports this one before Django is configured.
    from django.template.base import FilterExpression

    return FilterExpression.resolve.__code__


class StrictTemplateVariable(str):
    """`string_if_invalid` for the tests: a template that prints, passes to a tag or filters an
    undefined variable fails the test instead of rendering an empty string.

    How Django uses `string_if_invalid` (django/template/base.py, FilterExpression.resolve and
    Variable._resolve_lookup), and what this object does in each case:

    - `{{ undefined }}`, `{{ undefined|filter }}`, `{% with x=undefined %}`, a tag's argument, a
      `{% blocktranslate %}` placeholder: Django tests the object's truth, then whether it holds
      "%s", then formats it with the variable: `__mod__` raises.
    - `{% if undefined %}`, `{% for x in undefined %}`, `{% firstof %}`, `{% ifchanged %}`,
      `{% regroup %}` resolve with `ignore_failures=True`: they never read `string_if_invalid`,
      so a legitimately optional variable in a condition stays allowed.
    - A lookup that raises an exception marked `silent_variable_failure` (a missing reverse
      one-to-one, `DoesNotExist` from a method) or a method that alters data: Django returns the
      object itself as the value. It then behaves as production's "": empty when printed and
      false everywhere except in FilterExpression.resolve's own test (the only place that makes
      the first case above reach `__mod__`).
    """

    def __new__(cls) -> StrictTemplateVariable:
        return super().__new__(cls, "")

    def __bool__(self) -> bool:
        return sys._getframe(1).f_code is _resolve_code()

    def __contains__(self, item: object) -> bool:
        return item == "%s"

    def __mod__(self, variable: Any) -> str:
        raise UndefinedTemplateVariable(f"Variable de gabarit indéfinie : {variable}")

    def __str__(self) -> str:
        return ""

    def __reduce__(self) -> tuple[Any, ...]:
        return (StrictTemplateVariable, ())


STRICT_TEMPLATE_VARIABLE = StrictTemplateVariable()


def use_strict_templates() -> None:
    """Installs STRICT_TEMPLATE_VARIABLE in the TEMPLATES setting (before the engines are
    built) and in any engine already built."""
    from django.conf import settings
    from django.template import engines

    for backend in settings.TEMPLATES:
        if backend["BACKEND"] == "django.template.backends.django.DjangoTemplates":
            backend.setdefault("OPTIONS", {})["string_if_invalid"] = STRICT_TEMPLATE_VARIABLE
    for engine in engines.all():
        inner = getattr(engine, "engine", None)
        if inner is not None:
            inner.string_if_invalid = STRICT_TEMPLATE_VARIABLE


def file_tab(person: Any, key: str) -> str:
    """The address of the person file's tab that shows the panel `key` (people.panels)."""
    from parcours.people.panels import person_file_url

    return person_file_url(person.public_id, key).split("#")[0]
