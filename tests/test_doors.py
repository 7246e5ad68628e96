"""One door per request (core.doors), checked on the code itself, the way Zulip lints unscoped
lookups.

1. No view module reads a case model directly (`Appointment.objects…`, `get_object_or_404(
   Note, …)`): case data is reached through a door (person_door, the object doors) or a
   selector that starts from the user's scope. A case model is one whose rows belong to a
   person's file: a foreign key to `people.Person`, or to another case model.
2. Every URL is behind a door, a role check (`core.doors.allowed`), or is public by design
   (`login_not_required`).

`LEGACY_*` list what is left to move; an entry that no longer applies fails the test, so the
lists only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[1]

# View modules still reading case models directly: (file, model name) pairs.
LEGACY_LOOKUPS: set[tuple[str, str]] = {
    ("parcours/agenda/views.py", "Appointment"),
    ("parcours/agenda/views.py", "Person"),
    ("parcours/notes/views.py", "Note"),
    ("parcours/notifications/views.py", "Person"),
    ("parcours/reports/views.py", "ReportEvent"),
}
# URL names whose view is not yet behind a door or a role check.
LEGACY_VIEWS: set[str] = {
    "agenda:arrived",
    "agenda:book",
    "agenda:day",
    "agenda:detail",
    "agenda:feeds",
    "agenda:free_slots",
    "agenda:indicators",
    "agenda:letter",
    "agenda:outcome",
    "agenda:place_create",
    "agenda:places",
    "agenda:preview",
    "agenda:reception",
    "agenda:reception_pdf",
    "agenda:reschedule",
    "agenda:slot_book",
    "agenda:template_create",
    "notes:create",
    "notes:detail",
    "notes:edit",
    "notes:history",
    "notes:person_list",
    "notes:search",
    "notifications:cancel",
    "notifications:outbox",
    "notifications:retry",
    "notifications:template_edit",
    "notifications:templates",
    "reports:autosave",
    "reports:court",
    "reports:create",
    "reports:detail",
    "reports:docx",
    "reports:edit",
    "reports:mine",
    "reports:pdf",
    "reports:to_validate",
    "reports:transition",
    "timeline:person",
}


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
    seen: set[tuple[str, str]] = set()
    problems = []
    for path in view_modules():
        rel = str(path.relative_to(ROOT))
        for name in sorted(direct_lookups(path, names)):
            seen.add((rel, name))
            if (rel, name) not in LEGACY_LOOKUPS:
                problems.append(f"{rel}: {name}.objects — passez par la porte ou un sélecteur")
    stale = sorted(LEGACY_LOOKUPS - seen)
    assert not problems, "\n".join(problems)
    assert not stale, f"LEGACY_LOOKUPS to remove: {stale}"


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
def test_every_view_is_behind_a_door_a_role_check_or_public(name_view) -> None:  # type: ignore[no-untyped-def]
    name, view = name_view
    checked = getattr(view, "parcours_door", None) or getattr(view, "parcours_roles", None)
    public = getattr(view, "login_required", True) is False
    if name in LEGACY_VIEWS:
        assert not (checked or public), f"{name}: remove it from LEGACY_VIEWS"
        return
    assert checked or public, f"{name}: no door, no role check, not public"
