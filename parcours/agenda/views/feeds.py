"""Calendar feeds: the user's secret iCalendar link (create, revoke) and the feed itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from parcours.accounts.http import AuthedRequest
from parcours.core.doors import allowed
from parcours.core.downloads import document
from parcours.core.middleware import mark_private

from .. import selectors, services
from ..access import AGENDA_ROLES
from ..documents import ical_feed

TITLE = "Abonnement agenda"
FEED_ACTIONS = ("creer", "revoquer")


@allowed(roles=AGENDA_ROLES, methods=("GET", "POST"))
def feeds(request: AuthedRequest) -> HttpResponse:
    user = request.user
    new_url = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in FEED_ACTIONS:
            messages.error(request, "Action inconnue : créer ou révoquer un lien.")
            return render(request, "agenda/feeds.html", {"title": TITLE}, status=400)
        token = services.renew_feed(acting_user=user, create=action == "creer")
        if token:
            new_url = request.build_absolute_uri(reverse("agenda:ical", args=[token]))
            messages.success(
                request, "Nouveau lien d'abonnement créé ; l'ancien ne fonctionne plus."
            )
        else:
            messages.success(request, "Lien d'abonnement révoqué.")
    return render(
        request,
        "agenda/feeds.html",
        {"title": TITLE, "active": selectors.active_feed(user), "new_url": new_url},
    )


@login_not_required
@require_GET
def ical(request: HttpRequest, token: str) -> HttpResponse:
    """iCalendar feed by secret token: initials and type only, never sensitive data."""
    feed = selectors.live_feed(token) if len(token) <= 100 else None
    if feed is None:
        raise Http404("Flux introuvable.")
    rows = selectors.feed_appointments(feed.user)
    services.journal_feed_read(feed, len(rows))
    response = document(ical_feed(feed.user, rows), "agenda.ics", "text/calendar")
    # Anonymous (the token is the credential): NoStoreMiddleware does not see a signed-in user.
    mark_private(response)
    return response
