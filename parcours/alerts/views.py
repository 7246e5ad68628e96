from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from parcours.accounts.models import Role, User
from parcours.core.pagination import paginate, querystring_without_page
from parcours.core.permissions import require_roles
from parcours.people.models import Person
from parcours.rules.deadlines import A_VENIR, DEPASSEE, IMMINENTE

from .models import URGENCY_LEVELS, Alert, urgency_q, with_urgency

TODO_ROLES = (Role.CPIP, Role.DPIP, Role.DFSPIP)


class TodoFilterForm(forms.Form):
    urgence = forms.ChoiceField(
        label="Urgence", required=False, choices=[("", "Toutes"), *URGENCY_LEVELS]
    )
    referent = forms.ChoiceField(label="CPIP référent", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.role == Role.CPIP:
            del self.fields["referent"]
            return
        cpips = User.objects.filter(
            role=Role.CPIP, organisation__spip_id=user.spip_id, is_active=True
        ).order_by("last_name", "first_name")
        self.fields["referent"].choices = [("", "Tous")] + [  # type: ignore[attr-defined]
            (str(c.public_id), c.get_full_name()) for c in cpips
        ]


@require_roles(*TODO_ROLES)
@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    """À traiter: the deadlines of the user's people (a CPIP: their caseload; encadrement: the
    SPIP, by referent), overdue first (most overdue first), then by due date."""
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    form = TodoFilterForm(request.GET or None, user=user)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    people = Person.objects.visible_to(user)
    if user.role == Role.CPIP:
        people = people.filter(referent=user)
    elif data.get("referent"):
        people = people.filter(referent__public_id=data["referent"])
    alerts = Alert.objects.filter(person__in=people.values("pk"))
    counts = alerts.aggregate(
        **{level: Count("pk", filter=urgency_q(level, today)) for level, _ in URGENCY_LEVELS}
    )
    if data.get("urgence"):
        alerts = alerts.filter(urgency_q(data["urgence"], today))
    # Due date ascending = overdue first, most overdue first, then the nearest deadlines.
    page = paginate(
        request,
        alerts.select_related("person", "person__referent").order_by(
            "due_date", "person__last_name", "pk"
        ),
    )
    page.object_list = with_urgency(page.object_list, today)
    return render(
        request,
        "alerts/todo.html",
        {
            "title": "À traiter",
            "form": form,
            "page": page,
            "counts": [
                (DEPASSEE, "Dépassées", counts[DEPASSEE]),
                (IMMINENTE, "Imminentes", counts[IMMINENTE]),
                (A_VENIR, "À venir", counts[A_VENIR]),
            ],
            "total": sum(counts.values()),
            "querystring": querystring_without_page(request),
            "show_referent": user.role != Role.CPIP,
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )
