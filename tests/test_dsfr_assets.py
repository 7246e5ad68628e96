"""The trimmed DSFR assets (scripts/build_dsfr_assets.py): up to date with the installed package
and the templates, and covering every DSFR class and icon the code uses."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parent.parent
CLASS_RE = re.compile(r"(?<![\w-])fr-[a-z0-9]+(?:-{1,2}[a-z0-9]+)*")


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_dsfr_assets", ROOT / "scripts" / "build_dsfr_assets.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_builder()


def test_committed_assets_are_what_the_script_builds(builder: ModuleType) -> None:
    message = "Fichiers DSFR périmés : lancer .venv/bin/python scripts/build_dsfr_assets.py"
    assert builder.CSS_OUT.read_text(encoding="utf-8") == builder.build_css(), message
    assert builder.JS_OUT.read_text(encoding="utf-8") == builder.build_js(), message


def test_every_dsfr_class_used_in_the_code_is_in_the_trimmed_stylesheet(
    builder: ModuleType,
) -> None:
    full = (builder.DIST / "dsfr" / "dsfr.min.css").read_text(encoding="utf-8")
    full += (builder.DIST / "utility" / "utility.min.css").read_text(encoding="utf-8")
    trimmed = builder.CSS_OUT.read_text(encoding="utf-8")
    used: set[str] = set()
    for base in builder.SOURCES:
        for path in base.rglob("*"):
            if path.suffix in {".html", ".py", ".js"} and "dsfr" not in path.parts:
                used.update(CLASS_RE.findall(path.read_text(encoding="utf-8", errors="ignore")))
    styled = {name for name in used if f".{name}" in full}
    missing = sorted(
        name for name in styled if not re.search(rf"\.{re.escape(name)}(?![\w-])", trimmed)
    )
    assert missing == []
    # The check is not vacuous: components and icons are among the classes found.
    assert {"fr-header", "fr-btn", "fr-table", "fr-icon-lock-line"} <= styled


def test_the_trimmed_stylesheet_is_much_lighter_than_the_whole_design_system(
    builder: ModuleType,
) -> None:
    whole = sum(
        (builder.DIST / part).stat().st_size
        for part in ("dsfr/dsfr.min.css", "utility/utility.min.css")
    )
    assert builder.CSS_OUT.stat().st_size < whole / 2
    assert builder.JS_OUT.stat().st_size < (builder.DIST / "dsfr.module.min.js").stat().st_size


def test_urls_in_the_trimmed_stylesheet_point_at_existing_files(builder: ModuleType) -> None:
    css = builder.CSS_OUT.read_text(encoding="utf-8")
    targets = {u for u in re.findall(r"url\(([^)\"']+)\)", css) if not u.startswith("data:")}
    assert targets, "the fonts and icons are referenced"
    package_static = builder.DIST.parent.parent
    for target in targets:
        resolved = (package_static / "parcours" / "dsfr" / target).resolve()
        # parcours/dsfr/../../dsfr/dist/... lands in the package's static folder.
        assert resolved.is_file(), target


def test_pages_link_the_trimmed_assets_not_the_whole_design_system(rf: RequestFactory) -> None:
    request = rf.get("/")
    request.csp_nonce = "abc"  # type: ignore[attr-defined]
    head = render_to_string("includes/dsfr_css.html", request=request)
    scripts = render_to_string("includes/dsfr_js.html", request=request)
    assert "parcours/dsfr/parcours-dsfr.min.css" in head
    assert "dsfr.min.css" not in head.replace("parcours-dsfr.min.css", "")
    assert 'type="module"' in scripts and 'nonce="abc"' in scripts
    assert "parcours-dsfr.module.min.js" in scripts
