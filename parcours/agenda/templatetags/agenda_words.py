"""Words of the agenda's pages: the local time named by its place (« heure de Paris »)."""

from __future__ import annotations

from django import template

register = template.Library()

# The zones of the French services (Organisation.timezone), named as people say them.
ZONE_PLACES = {
    "Europe/Paris": "de Paris",
    "Indian/Reunion": "de La Réunion",
    "Indian/Mayotte": "de Mayotte",
    "America/Guadeloupe": "de la Guadeloupe",
    "America/Martinique": "de la Martinique",
    "America/Cayenne": "de Guyane",
    "America/Miquelon": "de Saint-Pierre-et-Miquelon",
    "Pacific/Noumea": "de Nouméa",
    "Pacific/Tahiti": "de Tahiti",
    "Pacific/Wallis": "de Wallis-et-Futuna",
}
VOWELS = "AEIOUYÂÉÈÊÎÔÛ"


@register.filter
def zone_label(zone: str) -> str:
    """« heure de Paris », « heure de La Réunion »; another zone by its city part (« heure
    d'Amsterdam », « heure de Buenos Aires »); a zone without a place (UTC, Etc/GMT+4) as is."""
    if zone in ZONE_PLACES:
        return f"heure {ZONE_PLACES[zone]}"
    area, _, city = zone.rpartition("/")
    city = city.replace("_", " ")
    if not area or area == "Etc" or not city:
        return f"heure {city or zone}"
    if city[0].upper() in VOWELS:
        return f"heure d'{city}"
    return f"heure de {city}"
