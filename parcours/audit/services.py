"""The one way to write the journal: `record(...)`, called inside the business transaction.

The request id and the client IP come from the request context (`core.context`, bound by
`core.middleware.RequestContextMiddleware`), so services journal without the request."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from parcours.core import context

from .models import AuditAction, AuditEvent


def record(
    action: AuditAction | str,
    *,
    actor: Any = None,
    obj: Any = None,
    person: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    person_public_id: UUID | None = None,
    spip_id: int | None = None,
    motif: str = "",
    motif_detail: str = "",
    username: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `obj` (a model with `public_id`) fills the object fields; `person` (the
    file the event concerns: anything with `public_id` and `spip_id`) fills the person and the
    SPIP."""
    if person is not None:
        person_public_id = person.public_id
        spip_id = person.spip_id if spip_id is None else spip_id
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(getattr(obj, "public_id", obj.pk))
        object_label = object_label or str(obj)[:200]
    org = getattr(actor, "organisation", None) if actor is not None else None
    if spip_id is None and org is not None:
        spip_id = org.spip_id
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    bound = context.current()
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_username=(actor.get_username() if authenticated else username)[:150],
        actor_role=getattr(actor, "role", "") if authenticated else "",
        actor_organisation=str(org)[:200] if org is not None else "",
        spip_id=spip_id,
        action=str(action),
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:200],
        person_public_id=person_public_id,
        motif=motif,
        motif_detail=motif_detail[:500],
        request_id=bound.request_id,
        ip_address=bound.client_ip,
        details=details or {},
    )
