"""Counts the shape of the app code (issue 12's "must show" figures).

Counted on `parcours/`, `config/` and `bench/`, migrations and tests left out:

- duplicated pairs: `duplicates` (the team's tool) on a copy of those files, six lines or more;
- imports up the layers: an import whose target sits on a higher layer than the importer
  (LAYERS below; a module of `rules` or `core` importing a domain app, a domain app importing
  the demo / bench code, and so on);
- file-level import cycles: cycles of the module graph built from every import executed at run
  time (module level and inside functions; `if TYPE_CHECKING:` blocks left out);
- imports inside functions: `import` / `from … import` nodes under a function body (`ast`);
- `# type: ignore` comments;
- the largest view module (`views.py` or a module under a `views/` package), in lines.

Usage: `python scripts/architecture_metrics.py [--json]`.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCOPES = ("parcours", "config", "bench")

# Lower number = lower layer. A module may import its own layer or below.
LAYERS: dict[str, int] = {
    # The order of .importlinter's layers contract (siblings share a level).
    "parcours.rules": 0,
    "parcours.core": 1,
    "parcours.audit": 2,
    "parcours.accounts": 3,
    "parcours.catalog": 3,
    "parcours.documents": 3,
    "parcours.people": 4,
    "parcours.measures": 5,
    "parcours.obligations": 6,
    "parcours.breaches": 7,
    "parcours.ledgers": 7,
    "parcours.notifications": 8,
    "parcours.alerts": 8,
    "parcours.notes": 9,
    "parcours.agenda": 9,
    "parcours.reports": 10,
    "parcours.timeline": 11,
    "parcours.demo": 20,
    "config": 30,
    "bench": 40,
}


def layer_of(module: str) -> tuple[str, int] | None:
    best: tuple[str, int] | None = None
    for prefix, level in LAYERS.items():
        if (module == prefix or module.startswith(prefix + ".")) and (
            best is None or len(prefix) > len(best[0])
        ):
            best = (prefix, level)
    return best


def source_files() -> list[Path]:
    files: list[Path] = []
    for scope in SCOPES:
        for path in sorted((ROOT / scope).rglob("*.py")):
            if "migrations" in path.parts or "__pycache__" in path.parts:
                continue
            files.append(path)
    return files


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


class ImportVisitor(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.imports: list[tuple[str, bool, int]] = []  # (target, inside function, line)
        self.depth = 0
        self.type_checking = 0

    def _resolve(self, node: ast.ImportFrom) -> str:
        if node.level == 0:
            return node.module or ""
        base = self.package.split(".")
        base = base[: len(base) - (node.level - 1)]
        return ".".join([*base, node.module] if node.module else base)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        guarded = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        )
        if guarded:
            self.type_checking += 1
            for child in node.body:
                self.visit(child)
            self.type_checking -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function
    visit_Lambda = _function

    def visit_Import(self, node: ast.Import) -> None:
        if not self.type_checking:
            for alias in node.names:
                self.imports.append((alias.name, self.depth > 0, node.lineno))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if self.type_checking:
            return
        target = self._resolve(node)
        for alias in node.names:
            # `from package import module` imports the submodule when it is one.
            self.imports.append((f"{target}.{alias.name}", self.depth > 0, node.lineno))


def analyse() -> dict[str, object]:
    files = source_files()
    modules = {module_name(p): p for p in files}
    graph: dict[str, set[str]] = defaultdict(set)
    inside: list[str] = []
    upward: list[str] = []
    ignores = 0
    largest_view = ("", 0)
    for module, path in modules.items():
        text = path.read_text()
        ignores += len(re.findall(r"#\s*type:\s*ignore", text))
        lines = text.count("\n") + 1
        if (path.name == "views.py" or "views" in path.parts[:-1]) and lines > largest_view[1]:
            largest_view = (str(path.relative_to(ROOT)), lines)
        visitor = ImportVisitor(module, path.name == "__init__.py")
        visitor.visit(ast.parse(text))
        own = layer_of(module)
        for target, in_function, line in visitor.imports:
            if in_function:
                entry = f"{path.relative_to(ROOT)}:{line} {target.rpartition('.')[0] or target}"
                if entry not in inside:
                    inside.append(entry)
            resolved = target
            while resolved and resolved not in modules:
                resolved = resolved.rpartition(".")[0]
            if not resolved:
                continue  # third party / stdlib
            if resolved != module:
                graph[module].add(resolved)
            theirs = layer_of(resolved)
            if own and theirs and own[0] != theirs[0] and theirs[1] > own[1]:
                entry = f"{path.relative_to(ROOT)}:{line} -> {resolved}"
                if entry not in upward:
                    upward.append(entry)
    cycles = sorted(_cycles(graph))
    return {
        "duplicated_pairs": _duplicates(files),
        "imports_up_the_layers": len(upward),
        "imports_up_the_layers_list": upward,
        "file_level_import_cycles": len(cycles),
        "file_level_import_cycles_list": [" <-> ".join(c) for c in cycles],
        "imports_inside_functions": len(inside),
        "imports_inside_functions_list": inside,
        "type_ignores": ignores,
        "largest_view_module": largest_view[0],
        "largest_view_module_lines": largest_view[1],
    }


def _cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []
    counter = 0
    sys.setrecursionlimit(10_000)

    def strong(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                strong(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for node in list(graph):
        if node not in index:
            strong(node)
    return found


def _duplicates(files: list[Path]) -> int | None:
    tool = shutil.which("duplicates")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            target = Path(tmp) / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
        out = subprocess.run(  # noqa: S603
            [tool, "--repo", tmp, "--most", "1", "--seconds", "120"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    match = re.search(r"(\d+) pairs?", out)
    if match:
        return int(match.group(1))
    return 0 if "no duplicates" in out else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", "-v", action="store_true", help="list each finding")
    args = parser.parse_args()
    result = analyse()
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for key, value in result.items():
        if key.endswith("_list"):
            if args.verbose:
                for item in value:  # type: ignore[attr-defined]
                    print(f"    {item}")
            continue
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
