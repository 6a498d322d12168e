"""One applicant's whole journey over HTTP, as a browser without JavaScript plays it, and the
audit of the database afterwards. Shared by bench/surge.py and the suite's small surge
(tests/applications/test_surge.py), so there is one way to do it.

The journey: eligibility, the collection statement, the contact email (the draft starts), every
wizard step (the applicant completes the employer's part too, so no employer link is needed),
a small valid file for every required item of the documents checklist (a colour JPEG where the
item carries a photo, a grayscale PDF otherwise), waiting until the Celery worker has checked
them, check your answers, the declarations (typed signatures), then the Pay page with a card and
the sandbox's successful outcome, and the acknowledgment.

Each request is timed (`Step` names it) from the send to the response's headers (time to first
byte) and to its last byte. The client sends the request-start header a proxy would set (the
send time), and, as if behind a TLS-terminating proxy, X-Forwarded-Proto and X-Forwarded-For with
an address of the applicant's own, so the per-client limits count each applicant apart. A
request refused with 503 by the load shedder is retried after `retry_after` seconds (scaled down
from the page's Retry-After); its refusal is recorded.

Outcomes: "submitted" (the acknowledgment was shown), "quota_full" (the clean refusal: the
pre-check or the start said the trade's quota is used up, the draft was suspended, or the Pay
page refused with the quota's message) or "error" (anything else, with what went wrong).

Needs Django set up (the answers come from the wizard tests' helpers, the files from the
documents tests' corpus); the HTTP side uses only the standard library.
"""

from __future__ import annotations

import datetime
import html
import http.client
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

REQUEST_START_HEADER = "X-Request-Start"
SUBMITTED, QUOTA_FULL, ERROR = "submitted", "quota_full", "error"
# The English wording of the quota's refusals (quota.exceptions.QuotaExhausted, QuotaClosed and
# applications.services.suspension); the suite's surge test checks the classification against
# the database, so a change of wording fails there first.
QUOTA_FULL_WORDS = ("is fully used", "is used up", "not being accepted")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SHOWN = re.compile(r'<input type="hidden" name="([^"]+_shown)" value="([^"]*)"')
ITEM = re.compile(r'<h3 id="item-([a-z0-9]+)-([A-Z][A-Z0-9]*)-title">(.*?)</h3>', re.S)
WIZARD = re.compile(r"/apply/([0-9a-f-]{36})/")
ATTEMPT = re.compile(r"/payments/attempt/([0-9a-f-]{36})/")


class JourneyFailed(Exception):
    def __init__(self, outcome: str, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail


@dataclass
class Timing:
    step: str
    method: str
    status: int
    ttfb: float
    total: float
    queued_limit_refusal: bool = False


@dataclass
class Recorder:
    """Every request's timing, from every applicant's thread."""

    timings: list[Timing] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, timing: Timing) -> None:
        with self.lock:
            self.timings.append(timing)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    """A cookie-keeping HTTP client for one applicant, on http.client (a connection per request:
    gunicorn's sync workers close each one)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        address: str,
        recorder: Recorder,
        timeout: float = 120.0,
        retry_after: float = 1.0,
        max_refusals: int = 50,
    ) -> None:
        self.host, self.port, self.address = host, port, address
        self.recorder, self.timeout = recorder, timeout
        self.retry_after, self.max_refusals = retry_after, max_refusals
        self.cookies: dict[str, str] = {}
        self.refusals = 0

    def _once(
        self, step: str, method: str, path: str, body: bytes | None, content_type: str
    ) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {
            "Host": self.host + ":" + str(self.port),
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(k + "=" + v for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Origin"] = "https://" + self.host + ":" + str(self.port)
            headers["Referer"] = headers["Origin"] + path
        try:
            started = time.time()
            headers[REQUEST_START_HEADER] = f"t={started:.6f}"
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            first = time.time()
            data = answer.read()
            last = time.time()
        finally:
            connection.close()
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
        response = Response(
            answer.status,
            {k.lower(): v for k, v in answer.getheaders()},
            data.decode("utf-8", "replace"),
        )
        refusal = response.status == 503 and "retry-after" in response.headers
        self.recorder.add(
            Timing(step, method, response.status, first - started, last - started, refusal)
        )
        return response

    def request(
        self,
        step: str,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/x-www-form-urlencoded",
    ) -> Response:
        """Send, and send again after a refusal by the load shedder (nothing was done)."""
        while True:
            response = self._once(step, method, path, body, content_type)
            if not (response.status == 503 and "retry-after" in response.headers):
                return response
            self.refusals += 1
            if self.refusals > self.max_refusals:
                raise JourneyFailed(ERROR, "refused too often at " + step)
            time.sleep(self.retry_after)

    def get(self, step: str, path: str) -> Response:
        return self.request(step, "GET", path)

    def post(self, step: str, path: str, data: dict[str, Any]) -> Response:
        return self.request(step, "POST", path, urlencode(data, doseq=True).encode())

    def post_file(
        self, step: str, path: str, data: dict[str, str], name: str, content: bytes
    ) -> Response:
        boundary = "surge" + uuid.uuid4().hex
        parts = []
        for key, value in data.items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            parts.append((head + value + "\r\n").encode())
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
        parts.append(("--" + boundary + "--\r\n").encode())
        return self.request(
            step, "POST", path, b"".join(parts), "multipart/form-data; boundary=" + boundary
        )


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + ("?" + parts.query if parts.query else "")


def csrf_of(page: Response) -> str:
    found = CSRF.search(page.body)
    if not found:
        raise JourneyFailed(ERROR, "no CSRF token on a page (" + str(page.status) + ")")
    return found.group(1)


def quota_refusal(page: Response) -> bool:
    text = html.unescape(page.body)
    return 'data-failure="quota"' in page.body or any(w in text for w in QUOTA_FULL_WORDS)


@dataclass(frozen=True)
class Answers:
    """What every simulated applicant types: the wizard tests' valid answers, by step."""

    trade_code: str
    steps: tuple[tuple[str, dict[str, Any]], ...]
    declarations: dict[str, Any]
    files: dict[str, tuple[str, bytes]]  # by carries-photo: "photo" and "scan"
    photo_items: frozenset[str]
    date_of_birth: datetime.date


def answers_for(trade: Any, *, listed_company: bool = False) -> Answers:
    """The answers for a draft of `trade` (a quota.models.SkilledTrade). A listed company
    needs fewer of the company's documents (three items fewer to upload)."""
    from documents.catalogue import CATALOGUE
    from tests.applications import wizard_client as wc
    from tests.documents import corpus

    steps = (
        ("applicant", wc.applicant()),
        ("qualifications", wc.qualifications()),
        ("employment", wc.employment(trade)),
        ("employer", wc.employer_choice("applicant")),
        ("company", wc.company(listed_main_board_or_gem="yes" if listed_company else "no")),
        ("dependants", wc.dependants([])),
    )
    declarations = {
        **wc.signing("0", "CHAN Tai Man"),
        **wc.signing("employer", "Wong Mei Ling", capacity="HR Director"),
    }
    return Answers(
        trade_code=trade.code,
        steps=steps,
        declarations=declarations,
        files={
            "photo": ("photo.jpg", corpus.jpeg_bytes()),
            "scan": ("scan.pdf", corpus.pdf_bytes(colour=False)),
        },
        photo_items=frozenset(item.code for item in CATALOGUE if item.carries_photo),
        date_of_birth=wc.years_ago(30),
    )


@dataclass
class Result:
    number: int
    outcome: str = ERROR
    detail: str = ""
    group_id: str = ""
    uploads_accepted: int = 0
    started_at: float = 0.0
    ended_at: float = 0.0


class Journey:
    """Applicant number `number` plays the journey; `run()` returns its Result, never raises."""

    def __init__(
        self,
        number: int,
        answers: Answers,
        browser: Browser,
        *,
        check_timeout: float = 240.0,
        confirm_timeout: float = 120.0,
    ) -> None:
        self.number, self.answers, self.browser = number, answers, browser
        self.check_timeout, self.confirm_timeout = check_timeout, confirm_timeout
        self.result = Result(number)
        self.group = ""

    def run(self) -> Result:
        self.result.started_at = time.time()
        try:
            self.result.outcome = self._play()
        except JourneyFailed as failure:
            self.result.outcome, self.result.detail = failure.outcome, failure.detail
        except (OSError, http.client.HTTPException) as exc:
            self.result.outcome, self.result.detail = ERROR, type(exc).__name__ + ": " + str(exc)
        self.result.ended_at = time.time()
        self.result.group_id = self.group
        return self.result

    # The steps, in the order a browser goes through them.

    def _form(self, step: str, path: str, data: dict[str, Any], *, expect: str = "") -> str:
        """GET the page, POST its form with `data`; the redirect's path."""
        page = self.browser.get(step, path)
        if page.status != 200:
            self._refused(step, page)
        posted = self.browser.post(step, path, {"csrfmiddlewaretoken": csrf_of(page), **data})
        if posted.status != 302:
            self._refused(step, posted)
        target = path_of(posted.location)
        if "/suspended/" in target:
            raise JourneyFailed(QUOTA_FULL, step + ": draft suspended")
        if expect and expect not in target:
            raise JourneyFailed(ERROR, step + ": sent to " + target)
        return target

    def _refused(self, step: str, page: Response) -> None:
        if page.status in (200, 400) and quota_refusal(page):
            raise JourneyFailed(QUOTA_FULL, step + ": quota full")
        if page.status in (301, 302) and "/suspended/" in page.location:
            raise JourneyFailed(QUOTA_FULL, step + ": draft suspended")
        raise JourneyFailed(ERROR, step + ": HTTP " + str(page.status) + " " + page.location)

    def _play(self) -> str:
        a = self.answers
        self._form(
            "eligibility",
            "/en/apply/eligibility/",
            {
                # the one date input: day, month and year boxes
                "date_of_birth_0": str(a.date_of_birth.day),
                "date_of_birth_1": str(a.date_of_birth.month),
                "date_of_birth_2": str(a.date_of_birth.year),
                "nationality": "GB",
                "residence": "overseas",
                "trade": a.trade_code,
                "contract_months": "36",
            },
            expect="/privacy/",
        )
        self._form("statement", "/en/apply/privacy/", {"acknowledge": "on"}, expect="/new/")
        email = "surge" + str(self.number) + "@example.com"
        first = self._form(
            "start", "/en/apply/new/", {"contact_email": email, "confirm_email": email}
        )
        found = WIZARD.search(first)
        if not found:
            raise JourneyFailed(ERROR, "start: sent to " + first)
        self.group = found.group(1)
        management = "wizard_" + self.group + "-current_step"
        for step, values in a.steps:
            data = {management: step, **{step + "-" + k: v for k, v in values.items()}}
            self._form(step, self._step(step), data)
        self._upload_everything()
        self._form("documents", self._step("documents"), {management: "documents"})
        self._form("check", self._step("check"), {management: "check"})
        self._declarations(management)
        return self._pay()

    def _step(self, step: str) -> str:
        return "/en/apply/" + self.group + "/" + step + "/"

    def _upload_everything(self) -> None:
        page = self.browser.get("documents", self._step("documents"))
        if page.status != 200:
            self._refused("documents", page)
        needed = [
            (key, code)
            for key, code, title in ITEM.findall(page.body)
            if "doc-item__required" in title
        ]
        if not needed:
            raise JourneyFailed(ERROR, "documents: no required item found")
        upload = "/en/documents/" + self.group + "/upload/"
        for key, code in needed:
            name, content = self.answers.files[
                "photo" if code in self.answers.photo_items else "scan"
            ]
            data = {"csrfmiddlewaretoken": csrf_of(page), "person": key, "item": code}
            sent = self.browser.post_file("upload", upload, data, name, content)
            if sent.status != 302:
                self._refused("upload", sent)
        self._wait_until_checked(needed)

    def _wait_until_checked(self, items: list[tuple[str, str]]) -> None:
        import json

        waiting = list(items)
        deadline = time.monotonic() + self.check_timeout
        while waiting:
            key, code = waiting[0]
            path = "/en/documents/" + self.group + "/items/" + key + "/" + code + "/"
            status = self.browser.get("item_status", path)
            if status.status != 200:
                self._refused("item_status", status)
            if not json.loads(status.body)["checking"]:
                if "doc-file--accepted" not in json.loads(status.body)["html"]:
                    raise JourneyFailed(ERROR, "upload " + code + " not accepted")
                self.result.uploads_accepted += 1
                waiting.pop(0)
                continue
            if time.monotonic() > deadline:
                raise JourneyFailed(ERROR, "uploads still being checked after the timeout")
            time.sleep(0.5)

    def _declarations(self, management: str) -> None:
        path = self._step("declarations")
        page = self.browser.get("declarations", path)
        if page.status != 200:
            self._refused("declarations", page)
        data = {
            **dict(SHOWN.findall(page.body)),
            "csrfmiddlewaretoken": csrf_of(page),
            management: "declarations",
            **{"declarations-" + k: v for k, v in self.answers.declarations.items()},
        }
        posted = self.browser.post("declarations", path, data)
        if posted.status != 302:
            self._refused("declarations", posted)

    def _pay(self) -> str:
        pay = "/en/payments/" + self.group + "/"
        page = self.browser.get("pay", pay)
        if page.status != 200 or 'name="method"' not in page.body:
            self._refused("pay", page)
        started = self.browser.post(
            "pay", pay, {"csrfmiddlewaretoken": csrf_of(page), "method": "visa"}
        )
        if started.status != 302:
            self._refused("pay", started)
        sandbox = path_of(started.location)
        card = self.browser.get("sandbox", sandbox)
        if card.status != 200:
            self._refused("sandbox", card)
        back = self.browser.post(
            "sandbox", sandbox, {"csrfmiddlewaretoken": csrf_of(card), "outcome": "success"}
        )
        if back.status != 302:
            self._refused("sandbox", back)
        return self._follow_to_acknowledgment(path_of(back.location))

    def _follow_to_acknowledgment(self, path: str) -> str:
        deadline = time.monotonic() + self.confirm_timeout
        while True:
            step = "return" if "/return/" in path else "confirming"
            if "/acknowledgment/" in path:
                step = "acknowledgment"
            page = self.browser.get(step, path)
            if page.status == 200 and step == "acknowledgment":
                return SUBMITTED
            if page.status in (301, 302):
                path = path_of(page.location)
                if path.endswith("/payments/" + self.group + "/"):
                    final = self.browser.get("pay", path)
                    self._refused("payment", final)
                continue
            if page.status == 200 and ATTEMPT.search(path) and time.monotonic() < deadline:
                time.sleep(1.0)  # the attempt's page refreshes itself while it is confirmed
                continue
            self._refused(step, page)


def play_all(
    count: int,
    *,
    concurrency: int,
    host: str,
    port: int,
    answers: Answers,
    recorder: Recorder,
    on_result: Callable[[Result], None] | None = None,
    first_number: int = 0,
    check_timeout: float = 240.0,
    **browser_options: Any,
) -> list[Result]:
    """`count` applicants, at most `concurrency` at a time, each in a thread of its own;
    `browser_options` go to each Browser (timeout, retry_after, max_refusals)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(number: int) -> Result:
        address = "198.18." + str(number // 250) + "." + str(number % 250 + 1)
        browser = Browser(host, port, address=address, recorder=recorder, **browser_options)
        result = Journey(number, answers, browser, check_timeout=check_timeout).run()
        if on_result is not None:
            on_result(result)
        return result

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, range(first_number, first_number + count)))


@dataclass(frozen=True)
class Audit:
    """What the database says after a surge, for the trade's pool."""

    capacity: int
    submitted: int
    allocated: int
    oversold: int
    charged: int
    refunded: int
    refunded_in_full: int
    charged_without_slot: int
    uploads: int
    uploads_unchecked: int
    drafts: int
    half_paid: int  # groups still being paid (a hold, PAYMENT_PENDING) once the surge is over
    filled_at: Any  # the datetime of the allocation that filled the pool, or None


def audit(trade: Any) -> Audit:
    """Counts from the database: submitted groups, live allocations against the pool's
    capacity, money taken at the sandbox (received) and given back (refunded), money kept for a
    group that holds no slot, and uploads not yet checked."""
    from django.db.models import F

    from applications.models import Application, ApplicationGroup
    from documents.models import Upload
    from payments.models import PaymentAttempt, SandboxPayment
    from quota.models import Allocation, QuotaPool

    pool = QuotaPool.objects.get(trade=trade)
    groups = ApplicationGroup.objects.filter(
        applications__trade=trade, applications__role=Application.Role.PRINCIPAL
    )
    live = Allocation.objects.filter(application__trade=trade, released_at__isnull=True)
    allocated = live.count()
    references = PaymentAttempt.objects.filter(group__in=groups).values("provider_reference")
    ledger = SandboxPayment.objects.filter(provider_reference__in=references)
    kept = ledger.filter(amount_received_cents__gt=F("amount_refunded_cents"))
    charged_without_slot = 0
    for attempt in PaymentAttempt.objects.filter(
        group__in=groups, provider_reference__in=kept.values("provider_reference")
    ).select_related("group"):
        principal = attempt.group.applications.get(role=Application.Role.PRINCIPAL)
        if not live.filter(application=principal).exists():
            charged_without_slot += 1
    uploads = Upload.objects.filter(group__in=groups)
    last = live.order_by("-allocated_at").first()
    return Audit(
        capacity=pool.capacity,
        submitted=groups.filter(status=ApplicationGroup.Status.SUBMITTED).count(),
        allocated=allocated,
        oversold=max(0, allocated - pool.capacity) + max(0, pool.allocated - pool.capacity),
        charged=ledger.filter(amount_received_cents__gt=0).count(),
        refunded=ledger.filter(amount_refunded_cents__gt=0).count(),
        refunded_in_full=ledger.filter(
            amount_received_cents__gt=0, amount_refunded_cents=F("amount_received_cents")
        ).count(),
        charged_without_slot=charged_without_slot,
        uploads=uploads.count(),
        uploads_unchecked=uploads.filter(status=Upload.Status.PENDING).count(),
        drafts=groups.count(),
        half_paid=groups.filter(status=ApplicationGroup.Status.PAYMENT_PENDING).count(),
        filled_at=last.allocated_at if last is not None and allocated >= pool.capacity else None,
    )
