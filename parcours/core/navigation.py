"""Which main-menu entry a page belongs to (templates/base.html marks it aria-current).

A person's file and everything opened from it (measures, obligations, notes, reports, the
appointment pages, the detention record…) belongs to "Personnes suivies"; the lists reached from
the menu belong to their own entry. The entry's key is `NAV_ENTRY`; its group (a DSFR sub-menu)
is `NAV_GROUP`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# (namespace, url_name) → entry; a namespace alone (url_name "*") → entry for its other pages.
ENTRIES: dict[tuple[str, str], str] = {
    ("people", "team"): "team",
    ("people", "create"): "create",
    ("people", "*"): "people",
    ("alerts", "*"): "todo",
    ("agenda", "day"): "agenda",
    ("agenda", "slot_book"): "agenda",
    ("agenda", "places"): "agenda",
    ("agenda", "place_create"): "agenda",
    ("agenda", "template_create"): "agenda",
    ("agenda", "feeds"): "agenda",
    ("agenda", "reception"): "reception",
    ("agenda", "indicators"): "agenda_indicators",
    ("agenda", "*"): "people",  # booking, an appointment, its report to another date
    ("notifications", "inbound_list"): "inbound",
    ("notifications", "inbound_detail"): "inbound",
    ("notifications", "*"): "messages",
    ("assessments", "to_do"): "assessments_to_do",
    ("assessments", "indicators"): "assessments_indicators",
    ("assessments", "*"): "people",
    ("plans", "to_countersign"): "to_countersign",
    ("plans", "settings"): "to_countersign",
    ("plans", "*"): "people",
    ("checkins", "list"): "checkins",
    ("checkins", "*"): "people",
    ("partners", "directory"): "partners",
    ("partners", "profile"): "partners",
    ("partners", "profile_edit"): "partners",
    ("partners", "agreement_add"): "partners",
    ("partners", "inbox"): "partner_inbox",
    ("partners", "inbox_detail"): "partner_inbox",
    ("partners", "*"): "people",
    ("space_staff", "*"): "people",
    ("notes", "search"): "search",
    ("notes", "*"): "people",
    ("reports", "mine"): "reports",
    ("reports", "to_validate"): "to_validate",
    ("reports", "court"): "court",
    ("reports", "*"): "people",
    ("release", "upcoming"): "releases",
    ("release", "indicators"): "release_indicators",
    ("release", "*"): "people",
    ("adjustments", "opportunities"): "opportunities",
    ("adjustments", "reviews"): "opportunities",
    ("adjustments", "commissions"): "commissions",
    ("adjustments", "commission"): "commissions",
    ("adjustments", "item"): "commissions",
    ("adjustments", "decision"): "commissions",
    ("adjustments", "*"): "people",
    ("detention", "simulator"): "simulator",
    ("detention", "*"): "people",
    ("detention_import", "*"): "import",
    ("audit", "*"): "journal",
    ("accounts", "user_list"): "users",
    ("accounts", "user_create"): "users",
    ("accounts", "user_edit"): "users",
    ("accounts", "role_requests"): "role_requests",
    ("accounts", "role_request_decide"): "role_requests",
    ("measures", "*"): "people",
    ("obligations", "*"): "people",
    ("breaches", "*"): "people",
    ("ledgers", "*"): "people",
    ("timeline", "*"): "people",
    ("lifecycle", "*"): "people",
    ("handovers", "request"): "people",
    ("handovers", "*"): "handovers",
}

GROUPS: dict[str, str] = {
    "agenda": "agenda",
    "reception": "agenda",
    "agenda_indicators": "agenda",
    "messages": "agenda",
    "inbound": "agenda",
    "assessments_to_do": "accompagnement",
    "assessments_indicators": "accompagnement",
    "to_countersign": "accompagnement",
    "checkins": "accompagnement",
    "partners": "accompagnement",
    "reports": "reports",
    "to_validate": "reports",
    "opportunities": "milieu",
    "commissions": "milieu",
    "releases": "milieu",
    "release_indicators": "milieu",
    "import": "milieu",
    "simulator": "milieu",
    "team": "pilotage",
    "journal": "pilotage",
    "role_requests": "pilotage",
    "handovers": "pilotage",
}


def nav_entry(namespace: str, url_name: str) -> str:
    return ENTRIES.get((namespace, url_name)) or ENTRIES.get((namespace, "*"), "")


def navigation(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    entry = nav_entry(match.namespace, match.url_name or "") if match else ""
    return {"NAV_ENTRY": entry, "NAV_GROUP": GROUPS.get(entry, "")}
