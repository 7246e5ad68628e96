"""A fake SMS provider: a real HTTP server on 127.0.0.1 (free port) in a thread.

Modes: "ok", "down" (not listening), "slow" (answers after `delay` seconds), "500", "429"
(with Retry-After), "400" (invalid number). Like a real provider, it de-duplicates by
`Idempotency-Key`: a second request with a known key gets the first answer and is not delivered
again. `requests` records every request; `deliveries` the distinct delivered keys.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeProvider:
    def __init__(self) -> None:
        self.mode = "ok"
        self.delay = 2.0
        self.retry_after = "120"
        self.requests: list[dict[str, Any]] = []
        self.deliveries: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.port = 0
        self._start()

    # --- lifecycle -------------------------------------------------------------------------

    def _start(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                owner.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def set_mode(self, mode: str) -> None:
        """ "down" closes the socket (connection refused); any other mode listens again on the
        same port."""
        if mode == "down" and self.server is not None:
            self._stop()
        elif mode != "down" and self.server is None:
            self._start()
        self.mode = mode

    def close(self) -> None:
        self._stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms"

    # --- requests --------------------------------------------------------------------------

    def _answer(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        payload = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.wfile.write(payload)

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length", "0"))
        data = json.loads(handler.rfile.read(length) or b"{}")
        key = handler.headers.get("Idempotency-Key", "")
        with self.lock:
            self.requests.append(
                {
                    "key": key,
                    "authorization": handler.headers.get("Authorization", ""),
                    "mode": self.mode,
                    "data": data,
                }
            )
            mode = self.mode
        if mode == "slow":
            time.sleep(self.delay)
        if mode == "500":
            self._answer(handler, 500, {"error": "internal"})
            return
        if mode == "429":
            self._answer(handler, 429, {"error": "rate"}, {"Retry-After": self.retry_after})
            return
        if mode == "400":
            self._answer(handler, 400, {"error": "invalid number"})
            return
        with self.lock:
            if key not in self.deliveries:
                self.deliveries[key] = {"id": f"fake-{len(self.deliveries) + 1}", "data": data}
            answer = {"id": self.deliveries[key]["id"], "status": "delivered"}
        # "slow": the message is accepted (and delivered) but the answer comes too late.
        self._answer(handler, 200, answer)


# --- Inbound SMS: what the provider posts to Parcours's webhook (/sms/entrant/) ----------------

INBOUND_SECRET = "secret-partage-du-webhook-sms-de-test-0123456789"


def inbound_body(
    text: str,
    *,
    number: str = "+33612345678",
    message_id: str | None = None,
    received_at: str = "2026-03-02T09:15:00+01:00",
) -> bytes:
    """The provider's JSON body for one received SMS (a fresh id unless given)."""
    import uuid

    payload = {
        "id": message_id or f"fake-in-{uuid.uuid4().hex[:12]}",
        "from": number,
        "text": text,
        "received_at": received_at,
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def inbound_headers(
    body: bytes,
    *,
    secret: str = INBOUND_SECRET,
    timestamp: int | None = None,
    forge: bool = False,
) -> dict[str, str]:
    """The signature headers the provider sends: `forge` signs with another secret."""
    from parcours.notifications.inbound import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

    stamp = str(int(time.time()) if timestamp is None else timestamp)
    key = "un-autre-secret-que-celui-de-parcours" if forge else secret
    return {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: signature(key, stamp, body)}


def post_inbound(
    base_url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0
) -> tuple[int, dict[str, Any]]:
    """POSTs a signed inbound SMS to a running Parcours (the e2e server): (status, JSON)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        f"{base_url.rstrip('/')}/sms/entrant/",
        data=body,
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
