"""`make screenshots`: each demo role's main pages at 1366×900 and 390×844, in var/screenshots/.

Runs the browser walk of tests/e2e/test_daily_d_pages.py (its own server on a fresh demo database,
the frozen test calendar) with PARCOURS_SCREENSHOTS_DIR set, so the pictures show exactly the pages
the per-class checks visit: var/screenshots/<role>/<page>-bureau.png and -telephone.png. The walk's
figures (page-ready time, CSS/JS bytes per page) go to var/screenshots/walk.jsonl and are
summarised at the end. A failing check is reported but the pictures are still written.

Usage: .venv/bin/python scripts/screenshots.py [ROLE ...]   (e.g. cpip.demo; default: every role)
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "screenshots"
MODULE = "tests/e2e/test_daily_d_pages.py"


def summarise(report: Path) -> None:
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines() if line]
    if not rows:
        return
    head = ("largeur", "pages", "prête (ms) médiane", "max", "CSS (o)", "JS (o)")
    print("\n{:>8} {:>6} {:>20} {:>7} {:>9} {:>8}".format(*head))
    for width in sorted({r["width"] for r in rows}, reverse=True):
        subset = [r for r in rows if r["width"] == width]
        ready = [r["ready_ms"] for r in subset]
        print(
            f"{width:>8} {len(subset):>6} {statistics.median(ready):>20.0f} {max(ready):>7} "
            f"{max(r['css_bytes'] for r in subset):>9} {max(r['js_bytes'] for r in subset):>8}"
        )


def main(roles: list[str]) -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    report = OUT / "walk.jsonl"
    env = dict(
        os.environ,
        PARCOURS_SCREENSHOTS_DIR=str(OUT),
        PARCOURS_WALK_REPORT=str(report),
        PARCOURS_WALK_ROLES=",".join(roles),
    )
    args = [sys.executable, "-m", "pytest", MODULE, "-q", "-n", "0", "-p", "no:cacheprovider"]
    result = subprocess.run(args, cwd=ROOT, env=env, check=False)  # noqa: S603 (fixed arguments)
    count = len(list(OUT.rglob("*.png")))
    print(f"\n{count} captures dans {OUT.relative_to(ROOT)}/")
    if report.exists():
        summarise(report)
    if result.returncode:
        print("Des vérifications ont échoué (voir ci-dessus) ; les captures sont écrites.")
    return 0 if count else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
