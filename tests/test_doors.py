"""One door per request (core.doors), checked on the code itself, the way Zulip lints unscoped
lookups.

1. No view module reads a case model directly (`Appointment.objects…`, `get_object_or_404(
   Note, …)`): case data is reached through a door (person_door, the object doors) or a
   selector that starts from the user's scope. A case model is one whose rows belong to a
   person's file: a foreign key to `people.Person`, or to another case model.
2. Every URL is behind a door, a role check (`core.doors.allowed`), or is public by design
   (`login_not_required`).

There is no list of exceptions: every view module and every URL passes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[1]


def case_models() -> dict[str, type[models.Model]]:
    person = apps.get_model("people", "Person")
    found: dict[str, type[models.Model]] = {"Person": person}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model.__name__ in found or not model.__module__.startswith("parcours."):
                continue
            targets = {
                f.related_model
                for f in model._meta.get_fields()
                if isinstance(f, models.ForeignKey | models.OneToOneField)
            }
            if any(t in found.values() for t in targets):
                found[model.__name__] = model
                changed = True
    return found


def view_modules() -> list[Path]:
    paths = sorted(ROOT.glob("parcours/*/views.py")) + sorted(ROOT.glob("parcours/*/views/*.py"))
    return [*paths, ROOT / "parcours/accounts/journal.py"]


def direct_lookups(path: Path, names: set[str]) -> set[str]:
    """Case model names used as `Name.objects` or as the first argument of a shortcut."""
    tree = ast.parse(path.read_text())
    used: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "_default_manager")
            and isinstance(node.value, ast.Name)
            and node.value.id in names
        ):
            used.add(node.value.id)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("get_object_or_404", "get_list_or_404")
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in names
        ):
            used.add(node.args[0].id)
    return used


def test_case_models_are_found_from_the_person() -> None:
    found = case_models()
    for name in ("Person", "Measure", "Obligation", "Proof", "Appointment", "Note", "Report"):
        assert name in found, name
    assert "Organisation" not in found and "MeasureType" not in found


def test_no_view_reads_a_case_model_without_its_door() -> None:
    names = set(case_models())
    problems = [
        f"{path.relative_to(ROOT)}: {name}.objects — passez par la porte ou un sélecteur"
        for path in view_modules()
        for name in sorted(direct_lookups(path, names))
    ]
    assert not problems, "\n".join(problems)


def test_the_lint_sees_a_direct_lookup(tmp_path: Path) -> None:
    source = tmp_path / "views.py"
    source.write_text(
        "from .models import Note\n"
        "def view(request, pk):\n"
        "    return Note.objects.get(pk=pk), get_object_or_404(Report, pk=pk)\n"
    )
    assert direct_lookups(source, {"Note", "Report", "Person"}) == {"Note", "Report"}


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += _patterns(entry, space)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{prefix}{entry.name}", entry.callback))
    return found


@pytest.mark.parametrize("name_view", _patterns(get_resolver()), ids=lambda nv: nv[0])
def test_every_view_is_behind_a_door_a_role_check_or_public(name_view: tuple[str, object]) -> None:
    name, view = name_view
    checked = getattr(view, "parcours_door", None) or getattr(view, "parcours_roles", None)
    public = getattr(view, "login_required", True) is False
    assert checked or public, f"{name}: no door, no role check, not public"


def test_a_keyed_door_is_the_same_door_under_another_url_keyword() -> None:
    from parcours.people.access import open_person, person_door, person_door_by_person_id

    assert person_door.kwarg == "public_id"
    assert person_door_by_person_id.kwarg == "person_id"
    assert person_door_by_person_id.name == person_door.name == "personne"
    assert person_door_by_person_id.opener is open_person
