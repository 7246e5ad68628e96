"""Security notices: an e-mail tells a staff member that something changed in how their account
is protected (OWASP ASVS 5.0, V6.3: users are notified of changes to their authentication
details). Someone else acting with the account is then seen by the one person who can tell.

Sent by the task worker after the change has committed (`transaction.on_commit`), so an e-mail
provider that is down never stops the change. The text names the change, its time in the
user's service time zone and the address it came from, never a code or a secret.
"""

from __future__ import annotations

import logging
import zoneinfo
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from parcours.core import context

from .models import User

logger = logging.getLogger("parcours.accounts")

SUBJECT = "Parcours : sécurité de votre compte"
# The events (the journal's `details["evenement"]`, or a password step) that are notified.
NOTICES: dict[str, str] = {
    "activation": "La double authentification a été activée sur votre compte.",
    "desactivation": "La double authentification a été désactivée sur votre compte.",
    "reinitialisation_par_administrateur": (
        "Un administrateur a réinitialisé la double authentification de votre compte : un "
        "nouvel appareil sera demandé à la prochaine connexion."
    ),
    "codes_regeneres": (
        "De nouveaux codes de secours ont été créés pour votre compte ; les anciens ne "
        "fonctionnent plus."
    ),
    "code_secours_utilise": "Un code de secours a servi à confirmer votre identité.",
    "mot_de_passe_defini": "Le mot de passe de votre compte a été défini.",
    "mot_de_passe_change": (
        "Le mot de passe de votre compte a été changé ; vos autres sessions ont été fermées."
    ),
}


def notify(user: Any, event: str, *, left: int | None = None) -> None:
    """After commit, queue the notice of `event` to `user` (nothing for other events, or for an
    account without an e-mail address)."""
    if event not in NOTICES or not getattr(user, "email", ""):
        return
    at = timezone.now().isoformat()
    address = context.current().client_ip or ""
    user_id = user.pk

    def enqueue() -> None:
        try:
            send_security_notice.enqueue(user_id, event, at, address, left)
        except Exception:  # the change is made and journaled; only its notice is lost
            logger.exception("Mise en file de l'avis de sécurité %s impossible", event)

    transaction.on_commit(enqueue)


@task()
def send_security_notice(user_id: int, event: str, at: str, address: str, left: int | None) -> str:
    user = User.objects.filter(pk=user_id, is_active=True).select_related("organisation").first()
    if user is None or not user.email or event not in NOTICES:
        return "sans destinataire"
    moment = parse_datetime(at) or timezone.now()
    local = timezone.localtime(moment, timezone=zoneinfo.ZoneInfo(user.service_timezone))
    body = render_to_string(
        "accounts/security_notice.txt",
        {
            "user": user,
            "what": NOTICES[event],
            # Formatted here: the template would show an aware time in the active zone.
            "when": f"{local:%d/%m/%Y à %H:%M}",
            "address": address,
            "left": left,
        },
    )
    send_mail(SUBJECT, body, None, [user.email], fail_silently=False)
    return "envoyé"
