"""A small accessible chart per domain, drawn on the server as inline SVG (no script, no
inline style: presentation attributes only), beside a table with the same figures."""

from __future__ import annotations

from typing import Any

from .selectors import ChartPoint

WIDTH, HEIGHT = 240, 64
LEFT, RIGHT, TOP, BOTTOM = 12, 12, 10, 10
LEVELS = 2  # ranks 0 (pas de besoin) … 2 (besoin important)


def _y(rank: int) -> int:
    return TOP + round((LEVELS - rank) * (HEIGHT - TOP - BOTTOM) / LEVELS)


def domain_charts(rows: list[tuple[str, str, list[ChartPoint]]]) -> list[dict[str, Any]]:
    charts = []
    for code, label, points in rows:
        count = len(points)
        step = (WIDTH - LEFT - RIGHT) / (count - 1) if count > 1 else 0
        drawn = []
        for index, point in enumerate(points):
            x = round(LEFT + index * step) if count > 1 else WIDTH // 2
            drawn.append(
                {
                    "x": x,
                    "y": _y(point.rank) if point.rank is not None else None,
                    "point": point,
                }
            )
        line = " ".join(f"{d['x']},{d['y']}" for d in drawn if d["y"] is not None)
        description = ", ".join(f"{p.label} le {p.on:%d/%m/%Y}" for p in points)
        charts.append(
            {
                "code": code,
                "label": label,
                "points": drawn,
                "line": line,
                "description": f"{label} : {description}.",
                "width": WIDTH,
                "height": HEIGHT,
                "grid": [_y(r) for r in range(LEVELS + 1)],
            }
        )
    return charts
