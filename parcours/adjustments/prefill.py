"""The avis à la CAP's "proposition" section, registered in the reports' prefill registry
(reports.prefill.PREFILLERS: a higher app fills a lower app's registry)."""

from __future__ import annotations

from parcours.reports.prefill import PrefillContext, prefiller
from parcours.rules.adjustments import MarkStatus
from parcours.rules.french import agree

from .models import AdjustmentMark, CommissionItem
from .selectors import person_opportunities


@prefiller("proposition_cap")
def proposition(ctx: PrefillContext) -> str:
    """Why the person is examined (their lines on CAP lists to come), the adjustments proposed
    or in preparation, and each adjustment's eligibility with its reasons and articles."""
    lines = []
    items = (
        CommissionItem.objects.filter(
            person=ctx.person, commission__held_on__gte=ctx.today, decision=""
        )
        .select_related("commission")
        .order_by("commission__held_on", "rank")
    )
    enrolled = agree(ctx.person.sex, "Inscrit")
    for item in items:
        what = item.get_kind_display()
        if item.adjustment:
            what += f" : {item.get_adjustment_display()}"
        lines.append(f"{enrolled} à la CAP du {item.commission.held_on:%d/%m/%Y} — {what}.")
    marks = AdjustmentMark.objects.filter(
        person=ctx.person, status__in=(MarkStatus.PROPOSE, MarkStatus.PREPARATION)
    ).order_by("adjustment")
    for mark in marks:
        lines.append(f"{mark.get_adjustment_display()} : {mark.get_status_display().lower()}.")
    found = person_opportunities(ctx.person, ctx.today)
    listed = [a for a in found.assessments if a.listed]
    if listed:
        lines.append("Éligibilité calculée (indicative ; la juridiction décide) :")
        for a in listed:
            when = f" à partir du {a.on:%d/%m/%Y}" if a.on else ""
            lines.append(f"- {a.label} ({a.article}) : {a.eligibility.label.lower()}{when}.")
            lines.extend(f"  {r.text} ({r.article})" for r in a.reasons)
    return "\n".join(lines) or "Aucune proposition enregistrée."
