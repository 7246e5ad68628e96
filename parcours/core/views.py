from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from parcours.rules.roles import Role

from .doors import allowed


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "erreur", "database": "indisponible"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# "" is an account without a role yet (a role request waits for a second person): it gets the
# minimal home page, not a 403 (accounts.models.NO_ROLE).
@allowed(roles=(*Role.values, ""))
def home(request: HttpRequest) -> HttpResponse:
    role = getattr(request.user, "role", None)
    if role == Role.ADMIN:
        return redirect("accounts:user_list")
    if role in (Role.DPIP, Role.DFSPIP):
        return redirect("people:team")
    if role in (
        Role.CPIP,
        Role.SECRETARIAT,
        Role.PSYCHOLOGUE,
        Role.SURVEILLANT,
        Role.JAP,
        Role.GREFFE_SAP,
    ):
        return redirect("people:caseload")
    return render(request, "core/home_minimal.html", {"title": "Accueil"})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context: dict[str, Any] = {"title": title, "message": message, "status": status}
    return render(request, "core/error.html", context, status=status)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Requête invalide", "La demande n'a pas pu être comprise.")


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else "Accès refusé."
    return _error(request, 403, "Accès refusé", message)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page introuvable",
        "La page demandée n'existe pas ou vous n'y avez pas accès.",
    )


CSRF_EXPIRED = (
    "Le formulaire a expiré, ou votre session a changé depuis son ouverture (nouvelle connexion, "
    "déconnexion dans un autre onglet). Rien n'a été enregistré."
)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a missing or stale CSRF token (settings.CSRF_FAILURE_VIEW): a French page
    that says nothing was saved and offers the way back to the form, where the browser usually
    still holds the text typed."""
    context = {"title": "Formulaire expiré", "message": CSRF_EXPIRED, "status": 403}
    return render(request, "core/csrf_failure.html", context, status=403)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error_500.html",
        {"title": "Erreur du serveur"},
        status=500,
    )
