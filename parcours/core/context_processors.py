from typing import Any

from django.conf import settings
from django.http import HttpRequest


def parcours(request: HttpRequest) -> dict[str, Any]:
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "SESSION_IDLE_SECONDS": settings.PARCOURS_SESSION_IDLE_SECONDS,
    }
