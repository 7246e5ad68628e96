"""The time zones of the SPIP, for the nightly jobs run at night in each of them
(core.scheduler, settings.PARCOURS_SERVICE_ZONES and PARCOURS_ZONE_SPIPS)."""

from __future__ import annotations

from .models import Organisation, OrganisationKind


def service_zones() -> list[str]:
    """The distinct time zones of the SPIP."""
    return sorted(
        set(
            Organisation.objects.filter(kind=OrganisationKind.SPIP)
            .values_list("timezone", flat=True)
            .order_by()
        )
    )


def spips_in_zone(zone: str) -> list[int]:
    """The SPIP whose time zone is `zone` (empty for a zone no SPIP is in)."""
    return sorted(
        Organisation.objects.filter(kind=OrganisationKind.SPIP, timezone=zone).values_list(
            "pk", flat=True
        )
    )
