"""Exceptions that cross the layers; `core.middleware.CaseErrorsMiddleware` answers them.

- `ConflictError`: a service refused to overwrite a newer version (optimistic locking). A form
  view that can show both versions catches it (`core.forms_flow.edit_form`); anywhere else the
  middleware answers the 409 page.
- `MotifRequired`: a door needs a break-the-glass motif before opening a file; the middleware
  sends the user to the motif page (for HTMX, with an `HX-Redirect`).
"""

from __future__ import annotations

from typing import Any


class ConflictError(Exception):
    """Someone saved the object since this form was opened (optimistic locking).

    `current` is the saved version when the service has it, for the page that shows both."""

    def __init__(self, message: str = "", *, current: Any = None) -> None:
        super().__init__(message or "Enregistré par quelqu'un d'autre entre-temps.")
        self.message = message
        self.current = current


class MotifRequired(Exception):
    """The user may open this file only after giving a motif (break the glass)."""

    def __init__(self, motif_url: str, *, subject: Any = None) -> None:
        super().__init__("motif requis")
        self.motif_url = motif_url
        self.subject = subject


class Refused(Exception):
    """A service refuses an action for a reason the user can act on (a full slot, a report not
    in the right state…); the message is French and shown as is, with a 4xx."""
