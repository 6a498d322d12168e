"""Fixtures of the payments tests: localstripe as a separate server, a recording stand-in for
Stripe's API where localstripe cannot play a flow, and signing of webhook bodies.

localstripe (GPL-3.0) runs in its own process on loopback through localstripe_server.py and is
only spoken to over HTTP. It is started once per session and emptied before each test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from payments.providers.stripe import StripeProvider

DATA = Path(__file__).resolve().parent.parent / "data"
SERVER_SCRIPT = Path(__file__).resolve().parent / "localstripe_server.py"
API_KEY = "sk_test_localstripe"
WEBHOOK_SECRET = "whsec_test_secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalStripe:
    """The running localstripe server, and what a payer's browser (Stripe.js) would do on it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict]:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if data else None
        req = urllib.request.Request(self.url + path, data=body, method=method)  # noqa: S310
        token = base64.b64encode((API_KEY + ":").encode()).decode()
        req.add_header("Authorization", "Basic " + token)
        try:
            with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310 - loopback
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def reset(self) -> None:
        status, _body = self.request("DELETE", "/_config/data")
        assert status == 200

    def card(self, number: str) -> str:
        """A card payment method, as Stripe.js creates it from what the payer typed."""
        status, body = self.request(
            "POST",
            "/v1/payment_methods",
            {
                "type": "card",
                "card[number]": number,
                "card[exp_month]": "12",
                "card[exp_year]": "2030",
                "card[cvc]": "123",
            },
        )
        assert status == 200, body
        return body["id"]

    def confirm_card(self, intent_id: str, payment_method: str) -> tuple[int, dict]:
        """The payer confirming the intent in the page. (localstripe cannot take the payment
        method in the confirmation itself, as Stripe.js sends it: it is set first.)"""
        status, body = self.request(
            "POST", "/v1/payment_intents/" + intent_id, {"payment_method": payment_method}
        )
        assert status == 200, body
        return self.request("POST", "/v1/payment_intents/" + intent_id + "/confirm")

    def authenticate(self, intent_id: str, client_secret: str) -> tuple[int, dict]:
        """The payer passing the 3-D Secure challenge."""
        return self.request(
            "POST",
            "/v1/payment_intents/" + intent_id + "/_authenticate",
            {"client_secret": client_secret, "success": "true"},
        )


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("localstripe exited with status " + str(process.returncode))
        try:
            with socket.create_connection(("127.0.0.1", urllib.parse.urlsplit(url).port or 0), 0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("localstripe did not start within " + str(timeout) + " s")


@pytest.fixture(scope="session")
def _localstripe_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStripe]:
    port = free_port()
    log = (tmp_path_factory.mktemp("localstripe") / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(SERVER_SCRIPT), str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = "http://127.0.0.1:" + str(port)
    try:
        _wait_until_up(url, process)
        yield LocalStripe(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def localstripe(_localstripe_server: LocalStripe) -> LocalStripe:
    """localstripe, emptied for this test."""
    _localstripe_server.reset()
    return _localstripe_server


@pytest.fixture
def stripe_provider(localstripe: LocalStripe) -> StripeProvider:
    return StripeProvider(
        api_key=API_KEY,
        webhook_secret=WEBHOOK_SECRET,
        api_base=localstripe.url,
        max_network_retries=0,
    )


# A recording stand-in for Stripe's API --------------------------------------------------------


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class FakeStripe:
    """Answers each (method, path) with a canned JSON body and records every request: for the
    flows localstripe cannot play (wallets confirmed at once, listing by creation time)."""

    url: str = ""
    routes: dict[tuple[str, str], tuple[int, dict]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def answer(self, method: str, path: str, body: dict, status: int = 200) -> None:
        self.routes[(method, path)] = (status, body)


@pytest.fixture
def fake_stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode()) if length else {}
            fake.requests.append(
                Recorded(
                    method=self.command,
                    path=parts.path,
                    query=urllib.parse.parse_qs(parts.query),
                    form=form,
                    headers=dict(self.headers.items()),
                )
            )
            status, body = fake.routes.get(
                (self.command, parts.path),
                (404, {"error": {"type": "invalid_request_error", "message": "No route"}}),
            )
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = "http://127.0.0.1:" + str(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def fake_stripe_provider(fake_stripe: FakeStripe) -> StripeProvider:
    return StripeProvider(
        api_key=API_KEY,
        webhook_secret=WEBHOOK_SECRET,
        api_base=fake_stripe.url,
        max_network_retries=0,
    )


def load(relative: str) -> dict:
    """A captured shape from tests/data/."""
    return json.loads((DATA / relative).read_text())


# Signing, in Stripe's scheme: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>"> ---------------


def sign(body: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "t=" + str(timestamp) + ",v1=" + mac.hexdigest()


@pytest.fixture(autouse=True)
def _fee(db):
    """The seed's fee (transactional tests flush what the migration seeded)."""
    import datetime

    from django.utils import timezone

    from payments.models import Fee

    Fee.objects.get_or_create(
        effective_from=timezone.make_aware(datetime.datetime(2025, 6, 30)),
        defaults={"amount_cents": 60000},
    )
