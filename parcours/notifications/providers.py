"""SMS and e-mail providers behind one interface: `send(message) -> ProviderResult`.

Errors are typed: `TemporaryProviderError` (timeout, connection refused, 5xx, 429 with an optional
Retry-After) is retried with backoff; `PermanentProviderError` (4xx: invalid number, refused
content) fails the message at once. Backends (settings.PARCOURS_SMS_BACKEND):

- "console": logs the SMS (development default);
- "file": appends one JSON line per SMS to var/outbox/sms.jsonl;
- "http": POSTs JSON to PARCOURS_SMS_URL with a bearer token and the message's idempotency key
  in the `Idempotency-Key` header (stdlib urllib, timeout PARCOURS_SMS_TIMEOUT seconds).

E-mails go through Django's e-mail backend (`django.core.mail`, EMAIL_* settings).
"""

from __future__ import annotations

import json
import logging
import smtplib
import socket
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Message

logger = logging.getLogger("parcours.notifications")


@dataclass(frozen=True)
class ProviderResult:
    provider_message_id: str = ""
    delivered: bool = False


class ProviderError(Exception):
    pass


class TemporaryProviderError(ProviderError):
    def __init__(self, text: str, retry_after: float | None = None) -> None:
        super().__init__(text)
        self.retry_after = retry_after


class PermanentProviderError(ProviderError):
    pass


class Provider(Protocol):
    def send(self, message: Message) -> ProviderResult: ...


class ConsoleProvider:
    def send(self, message: Message) -> ProviderResult:
        logger.warning(
            "SMS (console) à %s [%s] : %s", message.recipient, message.idempotency_key, message.body
        )
        return ProviderResult(provider_message_id=f"console-{message.idempotency_key}")


_file_lock = threading.Lock()


class FileProvider:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory or Path(settings.VAR_DIR) / "outbox")

    def send(self, message: Message) -> ProviderResult:
        self.directory.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "at": timezone.now().isoformat(),
                "idempotency_key": str(message.idempotency_key),
                "to": message.recipient,
                "role": message.role,
                "body": message.body,
            },
            ensure_ascii=False,
        )
        with _file_lock, (self.directory / "sms.jsonl").open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return ProviderResult(provider_message_id=f"file-{message.idempotency_key}")


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


class HttpProvider:
    """A JSON-over-HTTPS SMS gateway: POST {"to", "text", "reference"} → {"id", "status"}."""

    def __init__(self, url: str, token: str = "", timeout: float = 10.0) -> None:
        if not url:
            raise ValueError("PARCOURS_SMS_URL est vide : indiquez l'adresse du prestataire SMS.")
        if not url.startswith(("https://", "http://")):
            raise ValueError("PARCOURS_SMS_URL doit commencer par https:// (ou http:// en test).")
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, message: Message) -> ProviderResult:
        payload = json.dumps(
            {"to": message.recipient, "text": message.body, "reference": str(message.public_id)}
        ).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Idempotency-Key": str(message.idempotency_key),
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        # The scheme is checked in __init__ (http or https only).
        request = urllib.request.Request(  # noqa: S310
            self.url, data=payload, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(65536)
        except urllib.error.HTTPError as error:
            status = error.code
            detail = error.read(500).decode("utf-8", errors="replace") if error.fp else ""
            if status == 429:
                raise TemporaryProviderError(
                    "Le prestataire limite le débit (429).",
                    retry_after=_retry_after(error.headers.get("Retry-After")),
                ) from None
            if status >= 500 or status in (408, 425):
                raise TemporaryProviderError(f"Erreur du prestataire ({status}).") from None
            raise PermanentProviderError(
                f"Message refusé par le prestataire ({status}) : {detail[:200]}"
            ) from None
        except TimeoutError:
            raise TemporaryProviderError("Le prestataire ne répond pas (délai dépassé).") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise TemporaryProviderError(
                    "Le prestataire ne répond pas (délai dépassé)."
                ) from None
            raise TemporaryProviderError(f"Prestataire injoignable : {error.reason}") from None
        except (ConnectionError, OSError) as error:
            raise TemporaryProviderError(f"Prestataire injoignable : {error}") from None
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        return ProviderResult(
            provider_message_id=str(data.get("id", ""))[:100],
            delivered=str(data.get("status", "")).lower() == "delivered",
        )


class EmailProvider:
    def send(self, message: Message) -> ProviderResult:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.recipient],
            headers={"X-Parcours-Idempotency-Key": str(message.idempotency_key)},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentProviderError(f"Adresse refusée : {error}") from None
        except (TimeoutError, ConnectionError, OSError) as error:
            raise TemporaryProviderError(f"Serveur de courriel injoignable : {error}") from None
        return ProviderResult(provider_message_id=str(message.idempotency_key))


def sms_provider() -> Provider:
    backend = getattr(settings, "PARCOURS_SMS_BACKEND", "console")
    if backend == "console":
        return ConsoleProvider()
    if backend == "file":
        return FileProvider()
    if backend == "http":
        return HttpProvider(
            settings.PARCOURS_SMS_URL,
            settings.PARCOURS_SMS_TOKEN,
            float(settings.PARCOURS_SMS_TIMEOUT),
        )
    raise ValueError(f"PARCOURS_SMS_BACKEND inconnu : {backend!r} (console, file ou http).")


def provider_for(channel: str) -> Provider:
    return sms_provider() if channel == "sms" else EmailProvider()
