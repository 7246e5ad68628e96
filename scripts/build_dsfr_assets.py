"""Build the trimmed DSFR stylesheet and script Parcours serves instead of the whole design system.

The django-dsfr package ships the full DSFR (dsfr.min.css 704 KB + utility.min.css 448 KB, mostly
components and ~1 700 icons Parcours never shows). This script concatenates, from the installed
package, the core, the components the templates use (COMPONENTS, in dependency order), their
print rules, and only the icon rules named in the code (every `fr-icon-…` found in templates/,
parcours/ and static/parcours/), rewriting each url() so it still points at the package's files.
It writes static/parcours/dsfr/parcours-dsfr.min.css and parcours-dsfr.module.min.js (core +
the scripted components), committed; `tests/test_dsfr_assets.py` fails when they are stale or when
a template uses a component or icon left out.

Run: .venv/bin/python scripts/build_dsfr_assets.py  (after a django-dsfr upgrade or a new icon).
"""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

import dsfr

ROOT = Path(__file__).resolve().parent.parent
DIST = Path(dsfr.__file__).resolve().parent / "static" / "dsfr" / "dist"
OUT_DIR = ROOT / "static" / "parcours" / "dsfr"
CSS_OUT = OUT_DIR / "parcours-dsfr.min.css"
JS_OUT = OUT_DIR / "parcours-dsfr.module.min.js"
# Static path of the output folder (for rewriting url()): parcours/dsfr/.
OUT_STATIC = "parcours/dsfr"

# Components used by the templates, dependencies first (each component's README in the package).
COMPONENTS = [
    "link",
    "button",
    "badge",
    "logo",
    "form",
    "input",
    "select",
    "checkbox",
    "radio",
    "search",
    "upload",
    "navigation",
    "modal",
    "breadcrumb",
    "alert",
    "callout",
    "card",
    "tag",
    "table",
    "pagination",
    "skiplink",
    "header",
    "footer",
]
# Components with a script (the others are CSS only).
SCRIPTED = [
    "button",
    "checkbox",
    "navigation",
    "modal",
    "breadcrumb",
    "card",
    "tag",
    "table",
    "header",
]

SOURCES = [ROOT / "templates", ROOT / "parcours", ROOT / "static" / "parcours"]
ICON_RE = re.compile(r"fr-icon-[a-z0-9]+(?:-[a-z0-9]+)*")
URL_RE = re.compile(r"url\(([^)]+)\)")


def used_icons() -> list[str]:
    found: set[str] = set()
    for base in SOURCES:
        for path in base.rglob("*"):
            if path.suffix not in {".html", ".py", ".js", ".txt"}:
                continue
            found.update(ICON_RE.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return sorted(found)


def rewrite_urls(css: str, source: Path) -> str:
    """Point each relative url() of `source` (a file under DIST) at the same file from OUT_DIR."""
    source_static = "dsfr/dist/" + source.parent.relative_to(DIST).as_posix()

    def fix(match: re.Match[str]) -> str:
        raw = match.group(1).strip("'\"")
        if raw.startswith(("data:", "#", "/", "http:", "https:")):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(source_static, raw))
        return f"url({posixpath.relpath(target, OUT_STATIC)})"

    return URL_RE.sub(fix, css)


def strip_banner(css: str) -> str:
    return re.sub(r"^/\*!.*?\*/", "", css, count=1, flags=re.S)


def css_file(path: Path) -> str:
    return rewrite_urls(strip_banner(path.read_text(encoding="utf-8")), path)


def icon_rules(icons: list[str]) -> str:
    source = DIST / "utility" / "icons" / "icons.main.min.css"
    css = strip_banner(source.read_text(encoding="utf-8"))
    wanted = set(icons)
    kept = []
    for rule in re.findall(r"[^{}]+\{[^{}]*\}", css):
        selectors = rule.split("{", 1)[0].split(",")
        names = {s.split(":", 1)[0].strip().lstrip(".") for s in selectors}
        if names & wanted:
            kept.append(rule)
    missing = wanted - {n for r in kept for n in ICON_RE.findall(r.split("{", 1)[0])}
    if missing:
        raise SystemExit(f"Icônes absentes du DSFR : {', '.join(sorted(missing))}")
    return rewrite_urls("".join(kept), source)


def build_css() -> str:
    version = re.search(r"DSFR v[\d.]+", (DIST / "core" / "core.main.min.css").read_text())
    parts = [
        f"/*! Parcours: trimmed {version.group(0) if version else 'DSFR'} (MIT), "
        "built by scripts/build_dsfr_assets.py */\n"
    ]
    parts.append(css_file(DIST / "core" / "core.main.min.css"))
    for name in COMPONENTS:
        parts.append(css_file(DIST / "component" / name / f"{name}.main.min.css"))
    parts.append(icon_rules(used_icons()))
    parts.append(css_file(DIST / "core" / "core.print.min.css"))
    for name in COMPONENTS:
        print_css = DIST / "component" / name / f"{name}.print.min.css"
        if print_css.exists():
            parts.append(css_file(print_css))
    return "".join(parts) + "\n"


def build_js() -> str:
    parts = [f"/*! Parcours: DSFR core + {', '.join(SCRIPTED)} (MIT) */\n"]
    files = [DIST / "core" / "core.module.min.js"]
    files += [DIST / "component" / name / f"{name}.module.min.js" for name in SCRIPTED]
    # Each file declares top-level consts with the same short names: one block each.
    for js in files:
        parts.append("{\n" + strip_banner(js.read_text(encoding="utf-8")).strip() + "\n}\n")
    return "".join(parts)


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    CSS_OUT.write_text(build_css(), encoding="utf-8")
    JS_OUT.write_text(build_js(), encoding="utf-8")
    print(f"{CSS_OUT.relative_to(ROOT)}: {CSS_OUT.stat().st_size} octets")
    print(f"{JS_OUT.relative_to(ROOT)}: {JS_OUT.stat().st_size} octets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
