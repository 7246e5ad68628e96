"""What an inbound SMS tells the apps above notifications, which notifications never imports.

`sms_reply_received` is sent inside the webhook's transaction when a reply from a matched person
reads OUI or NON, with `person`, `text`, `inbound` (the InboundMessage row) and `keyword`
(rules.vocabulary.InboundKeyword). The agenda connects its receiver in `AppConfig.ready()`
(agenda/receivers.py): it answers the appointment the latest reminder was about and writes the
outcome back with `inbound.note_reply_outcome`.
"""

from __future__ import annotations

from django.dispatch import Signal

sms_reply_received = Signal()
