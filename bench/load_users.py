"""The simulated people of `bench/load.py`, as a Locust file (not meant to be run by hand).

    locust --headless -f bench/load_users.py --host http://127.0.0.1:PORT -u 50 -r 50 -t 600s

with NABIJ_LOAD_PLAN naming the JSON plan `bench/load.py` writes: the search queries, the
listing pages, the accounts, and where to write what happened.

Every simulated person thinks 1 to 3 seconds between two actions and picks one of them by
weight: 80% searches, 15% listing views (organisation and service pages), 5% writes (half
referrals, half listing edits). A write is done at a desk: a browser session signed in once
as an info-point worker (referrals) or as a trusted member of one organisation (edits of
that organisation's listing), shared by everyone who needs it and used by one person at a
time. A referral desk moves on to the next worker's account before the per-account limit
on referrals (30 an hour) would refuse it. Loopback only: the plan's host is 127.0.0.1.

Each request is recorded by kind (its Locust name) with its status and time; each write
the server acknowledged (303) is recorded with what makes it checkable afterwards: the
referral's id and submission key, the edited organisation and the new name and summary.
"""

from __future__ import annotations

import json
import os
import random
import re
import string
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from gevent.queue import Empty, Queue
from locust import HttpUser, between, events, task
from locust.clients import HttpSession

PLAN = json.loads(Path(os.environ["NABIJ_LOAD_PLAN"]).read_text())

REFERRALS_PER_ACCOUNT = 25  # below the 30 an hour the server allows one account
TIMEOUT = 60  # seconds for any one request
REFERRAL_ID = re.compile(r"/referrals/([0-9a-f-]{36})$")

# What happened, written to PLAN["output"] when the run stops.
latencies: dict[str, list[float]] = defaultdict(list)
failed_after: dict[str, list[float]] = defaultdict(list)  # ms before each 5xx or no answer
statuses: dict[str, Counter] = defaultdict(Counter)
referrals: list[dict] = []  # acknowledged ones
edits: list[dict] = []  # every one sent, in order, with the answer's status
refused: Counter = Counter()  # writes not acknowledged, by kind and reason
accounts = iter(PLAN["referral_accounts"])
desks: dict[str, Queue] = {}


@events.request.add_listener
def _record(name, response_time, response=None, exception=None, **_kwargs) -> None:
    latencies[name].append(response_time)
    status = getattr(response, "status_code", None) or 0  # 0: no answer at all
    statuses[name][str(status)] += 1
    if status == 0 or status >= 500:
        failed_after[name].append(response_time)


@events.test_start.add_listener
def _open_desks(environment, **_kwargs) -> None:
    if urlsplit(environment.host or "").hostname != "127.0.0.1":
        raise SystemExit("bench/load_users.py only runs against 127.0.0.1")
    desks["referral"] = Queue()
    for _ in range(PLAN["referral_desks"]):
        desks["referral"].put(ReferralDesk(environment))
    desks["listing"] = Queue()
    for editor in PLAN["editors"]:
        desks["listing"].put(ListingDesk(environment, editor))


@events.test_stop.add_listener
def _write_results(**_kwargs) -> None:
    Path(PLAN["output"]).write_text(
        json.dumps(
            {
                "latencies": latencies,
                "failed_after": failed_after,
                "statuses": statuses,
                "referrals": referrals,
                "edits": edits,
                "refused": refused,
            }
        )
    )


class FormReader(HTMLParser):
    """What a browser would post for the form whose action is `action`: hidden and text
    inputs, checked boxes and radios, selected options (the first one of a single select
    when none is), text areas."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.found = action, False, False
        self.values: dict[str, list[str]] = defaultdict(list)
        self.textarea: str | None = None
        self.select: tuple[str, bool] | None = None  # name, multiple
        self.first_option: str | None = None
        self.selected = False
        self.option: dict | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action and a.get("method") == "post"
            self.found |= self.inside
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.values[name].append(a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name].append("")
        elif tag == "select" and name:
            self.select = (name, "multiple" in a)
            self.first_option, self.selected = None, False
        elif tag == "option" and self.select:
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}

    def handle_data(self, data) -> None:
        if self.textarea:
            self.values[self.textarea][-1] += data
        elif self.option is not None:
            self.option["text"] += data

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            text = self.values[self.textarea][-1]
            self.values[self.textarea][-1] = text[1:] if text.startswith("\n") else text
            self.textarea = None
        elif tag == "option" and self.option is not None and self.select:
            value = self.option["value"]
            value = self.option["text"].strip() if value is None else value
            if self.first_option is None:
                self.first_option = value
            if self.option["selected"]:
                self.values[self.select[0]].append(value)
                self.selected = True
            self.option = None
        elif tag == "select" and self.select:
            name, multiple = self.select
            if not self.selected and not multiple and self.first_option is not None:
                self.values[name].append(self.first_option)
            self.select = None


def read_form(page: str, action: str) -> dict[str, list[str]] | None:
    reader = FormReader(action)
    reader.feed(page)
    return dict(reader.values) if reader.found else None


class Desk:
    """A browser session of one account, signed in once."""

    def __init__(self, environment) -> None:
        self.environment = environment
        self.client: HttpSession | None = None
        self.email: str | None = None
        self.signed_in = False

    def start(self, email: str) -> None:
        self.client = HttpSession(
            base_url=self.environment.host,
            request_event=self.environment.events.request,
            user=None,
        )
        self.email, self.signed_in = email, False

    def sign_in(self) -> bool:
        assert self.client is not None
        page = self.client.get("/en/account/sign-in", name="sign-in", timeout=TIMEOUT)
        form = read_form(page.text, "/en/account/sign-in") if page.status_code == 200 else None
        if form is None:
            refused["sign-in page " + str(page.status_code)] += 1
            return False
        form.update(email=[self.email], password=[PLAN["password"]])
        answer = self.client.post(
            "/en/account/sign-in",
            data=form,
            name="sign-in",
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        self.signed_in = answer.status_code in (302, 303)
        if not self.signed_in:
            refused[f"sign-in {answer.status_code}"] += 1
        return self.signed_in

    def form_page(self, path: str, query: str, name: str) -> dict[str, list[str]] | None:
        """The form at `path`, signing in again when the session was lost."""
        assert self.client is not None
        for _ in range(2):
            if not self.signed_in and not self.sign_in():
                return None
            page = self.client.get(path + query, name=name, allow_redirects=False, timeout=TIMEOUT)
            if page.status_code in (302, 303):  # sent to the sign-in page
                self.signed_in = False
                continue
            form = read_form(page.text, path) if page.status_code == 200 else None
            if form is None:
                refused[f"{name} {page.status_code}"] += 1
            return form
        return None


class ReferralDesk(Desk):
    def __init__(self, environment) -> None:
        super().__init__(environment)
        self.sent = REFERRALS_PER_ACCOUNT

    def write(self, rng: random.Random) -> None:
        if self.sent >= REFERRALS_PER_ACCOUNT:
            email = next(accounts, None)
            if email is None:
                refused["referral: no account left"] += 1
                return
            self.start(email)
            self.sent = 0
        service = rng.choice(PLAN["referral_services"])
        lang = rng.choice(("nl", "fr", "en"))
        path = f"/{lang}/referrals/new"
        form = self.form_page(path, f"?service={service}", "referral form")
        if form is None:
            return
        client_name = f"Client {rng.randrange(10**6)}"
        form.update(
            client_name=[client_name],
            contact_channel=["phone"],
            client_phone=["+32 470 00 00 00"],
            reachable_when=["weekday mornings"],
            client_languages=rng.sample(["nl", "fr", "ar", "tr", "en"], 2),
            need_terms=[rng.choice(PLAN["need_terms"])],
            need_text=["Needs help with shopping since an operation."],
            urgency=[rng.choice(("routine", "soon"))],
            consent_shares_contact=["y"],
            consent_shares_need=["y"],
            consent_given=["y"],
        )
        answer = self.client.post(
            path, data=form, name="referral write", allow_redirects=False, timeout=TIMEOUT
        )
        self.sent += 1
        found = REFERRAL_ID.search(urlsplit(answer.headers.get("Location", "")).path)
        if answer.status_code == 303 and found:
            referrals.append(
                {
                    "id": found.group(1),
                    "submission_key": form["submission_key"][0],
                    "service": service,
                    "client_name": client_name,
                    "account": self.email,
                }
            )
        else:
            refused[f"referral write {answer.status_code}"] += 1
            if answer.status_code == 429:
                self.sent = REFERRALS_PER_ACCOUNT  # the next one from another account


class ListingDesk(Desk):
    """A trusted member of one organisation: edits publish at once."""

    def __init__(self, environment, editor: dict) -> None:
        super().__init__(environment)
        self.editor = editor
        self.start(editor["email"])

    def write(self, rng: random.Random) -> None:
        organization = self.editor["organization"]
        lang = rng.choice(("nl", "fr", "en"))
        path = f"/{lang}/manage/organizations/{organization}"
        form = self.form_page(path, "", "listing form")
        if form is None:
            return
        token = "zq" + "".join(rng.choices(string.ascii_lowercase, k=10))
        name = f"{self.editor['name'][:250]} {token}"
        summary = f"{self.editor['summary'][:350]} {token}"
        form.update({"text_nl-name": [name], "text_nl-summary": [summary]})
        answer = self.client.post(
            path, data=form, name="listing write", allow_redirects=False, timeout=TIMEOUT
        )
        edits.append(
            {
                "organization": organization,
                "token": token,
                "name": name,
                "summary": summary,
                "status": answer.status_code,
            }
        )
        if answer.status_code != 303:
            refused[f"listing write {answer.status_code}"] += 1


class Person(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.rng = random.Random()

    @task(160)
    def search(self) -> None:
        lang = self.rng.choice(PLAN["languages"])
        query = urlencode(self.rng.choice(PLAN["queries"]))
        self.client.get(f"/{lang}/search?{query}", name="search", timeout=TIMEOUT)

    @task(30)
    def view(self) -> None:
        lang = self.rng.choice(PLAN["languages"])
        self.client.get(f"/{lang}{self.rng.choice(PLAN['views'])}", name="view", timeout=TIMEOUT)

    @task(5)
    def send_referral(self) -> None:
        self._at_desk("referral")

    @task(5)
    def edit_listing(self) -> None:
        self._at_desk("listing")

    def _at_desk(self, kind: str) -> None:
        try:
            desk = desks[kind].get(timeout=30)
        except Empty:
            refused[f"{kind}: every desk busy for 30 s"] += 1
            return
        try:
            desk.write(self.rng)
        finally:
            desks[kind].put(desk)
