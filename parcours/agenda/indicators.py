"""Attendance indicators per agent, antenna and SPIP, and the délai de prise en charge."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from parcours.accounts.models import Role, User
from parcours.measures.models import Measure
from parcours.rules.agenda import (
    AppointmentStatus,
    Attendance,
    attendance,
    days_to_first_appointment,
    median,
)

from .access import visible_appointments


def _attendance_by(rows: list[dict[str, Any]], key: str) -> dict[Any, Attendance]:
    statuses: dict[Any, list[AppointmentStatus]] = defaultdict(list)
    for row in rows:
        statuses[row[key]].extend([AppointmentStatus(row["status"])] * row["n"])
    return {k: attendance(v) for k, v in statuses.items()}


def indicator_rows(user: User, days: int) -> dict[str, Any]:
    """Past appointments of the last `days` days: one grouped query, rates computed by the rules.

    A CPIP sees their own figures; DPIP/DFSPIP/secretariat the whole SPIP by agent and antenna."""
    now = timezone.now()
    since = now - timedelta(days=days)
    qs = visible_appointments(user).filter(starts_at__gte=since, starts_at__lt=now)
    if user.role == Role.CPIP:
        qs = qs.filter(agent=user)
    grouped = list(
        qs.values(
            "agent_id",
            "agent__first_name",
            "agent__last_name",
            "place__organisation__name",
            "status",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = attendance(s for row in grouped for s in [AppointmentStatus(row["status"])] * row["n"])
    by_agent = _attendance_by(grouped, "agent_id")
    names = {
        row["agent_id"]: f"{row['agent__first_name']} {row['agent__last_name']}".strip() or "—"
        for row in grouped
    }
    by_antenna = _attendance_by(grouped, "place__organisation__name")
    return {
        "total": total,
        "agents": sorted(((names[k], v) for k, v in by_agent.items()), key=lambda item: item[0]),
        "antennas": sorted(by_antenna.items(), key=lambda item: str(item[0])),
        **_delays(user, since),
    }


def _delays(user: User, since: Any) -> dict[str, Any]:
    """Judgment (or release, when later) → first honoured appointment, in days, for measures
    judged in the period: the median overall, per referent agent and per antenna."""
    measures = Measure.objects.filter(person__spip_id=user.spip_id, judgment_date__gte=since.date())
    if user.role == Role.CPIP:
        measures = measures.filter(person__referent=user)
    rows = measures.annotate(
        first_honoured=Min(
            "person__appointments__starts_at",
            filter=Q(person__appointments__status=AppointmentStatus.HONORE),
        )
    ).values(
        "judgment_date",
        "release_date",
        "first_honoured",
        "person__referent__first_name",
        "person__referent__last_name",
        "person__antenna__name",
    )[:20000]
    overall: list[int] = []
    by_agent: dict[str, list[int]] = defaultdict(list)
    by_antenna: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        origin = max(d for d in (row["judgment_date"], row["release_date"]) if d is not None)
        first = row["first_honoured"]
        value = days_to_first_appointment(
            origin, timezone.localtime(first).date() if first else None
        )
        if value is None:
            continue
        overall.append(value)
        first_name = row["person__referent__first_name"] or ""
        agent = f"{first_name} {row['person__referent__last_name'] or ''}"
        by_agent[agent.strip() or "—"].append(value)
        by_antenna[row["person__antenna__name"] or "—"].append(value)
    return {
        "delay_median": median(overall),
        "delay_count": len(overall),
        "delays_by_agent": sorted((k, median(v), len(v)) for k, v in by_agent.items()),
        "delays_by_antenna": sorted((k, median(v), len(v)) for k, v in by_antenna.items()),
    }
