"""Load test of a CPIP's pages, run by bench/load.sh against gunicorn, one page at a time.

Each simulated user signs in (the demo password) as one of `LOCUST_ACCOUNTS` (comma-separated;
default: the generated CPIP of the national dataset, cpip.n00001 … cpip.n{LOCUST_CPIPS}),
accepts the charter if asked, reads its caseload once, then requests pages. Every task carries
its page's tag and reports under that name, so `--tags caseload` measures the caseload alone:

- `floor`: the charter page once accepted, the request floor (docs/benchmarks.md);
- `caseload`, `person` (a person of the caseload), `agenda`, `todo` (À traiter), `note-search`,
  `name-search` (« Tout le service », 3 letters);
- `mix`: every page but the floor, weighted as a CPIP's day (the file opened most, often twice
  in a row), with a think time of 0.2–1 s (`LOCUST_THINK=1`).

Without think time (the default) each user sends its next request as soon as the previous one
answers: with more users than gunicorn workers, the page's requests/s is the server's capacity
for that page.

    LOCUST_ACCOUNTS=cpip.demo .venv/bin/locust -f bench/locustfile.py --tags caseload \
        --host http://127.0.0.1:8765 --headless -u 20 -r 20 --run-time 60s --reset-stats
"""

from __future__ import annotations

import itertools
import os
import random
import re
import threading
from collections.abc import Callable
from urllib.parse import urlencode

from locust import between, constant, tag, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = os.environ.get("PARCOURS_DEMO_PASSWORD", "cerisier-hirondelle-2026")
CPIPS = int(os.environ.get("LOCUST_CPIPS", "40"))
ACCOUNTS = [a for a in os.environ.get("LOCUST_ACCOUNTS", "").split(",") if a] or [
    f"cpip.n{number:05d}" for number in range(1, CPIPS + 1)
]
THINK = os.environ.get("LOCUST_THINK", "") == "1"
PERSON_LINK = re.compile(r'href="/personnes/([0-9a-f-]{36})/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NOTE_QUERIES = ["hébergement", "emploi", "soins", "convocation", "bail", "formation"]
NAME_QUERIES = ["mar", "ber", "dub", "lef", "mor", "ben"]

_numbers = itertools.count()
_lock = threading.Lock()


def next_username() -> str:
    with _lock:
        return ACCOUNTS[next(_numbers) % len(ACCOUNTS)]


def page(url: str, name: str, weight: int, *tags: str) -> Callable[[FastHttpUser], None]:
    """The task of a page requested as it is: tagged and reported under its name."""

    @tag(name, *tags)
    @task(weight)
    def request(user: FastHttpUser) -> None:
        user.client.get(url, name=name)

    request.__name__ = request.__qualname__ = name
    return request


class Cpip(FastHttpUser):
    """geventhttpclient: the client's own CPU matters on a 2-core machine shared with the server."""

    wait_time = between(0.2, 1.0) if THINK else constant(0)

    def on_start(self) -> None:
        self.username = next_username()
        self.people: list[str] = []
        page = self.client.get("/connexion/", name="sign-in")
        found = CSRF.search(page.text or "")
        self.post_form("/connexion/", {"username": self.username, "password": PASSWORD}, found)
        charter = self.client.get("/charte/", name="sign-in")
        if 'name="accept"' in (charter.text or ""):
            self.post_form("/charte/", {"accept": "on"}, CSRF.search(charter.text or ""))
        response = self.client.get("/personnes/", name="sign-in")
        self.people = list(dict.fromkeys(PERSON_LINK.findall(response.text or "")))

    def post_form(self, url: str, data: dict[str, str], csrf: re.Match[str] | None) -> None:
        data = {**data, "csrfmiddlewaretoken": csrf.group(1) if csrf else ""}
        with self.client.post(
            url,
            data=data,
            headers={"Referer": f"{self.host}{url}"},
            name="sign-in",
            catch_response=True,
        ) as response:
            if response.status_code >= 400 or 'name="password"' in (response.text or ""):
                response.failure(f"{url} refusé pour {self.username}")

    floor = page("/charte/", "floor", 1)
    caseload = page("/personnes/", "caseload", 4, "mix")

    @tag("person", "mix")
    @task(5)
    def person(self) -> None:
        if not self.people:
            return
        uuid = random.choice(self.people)
        self.client.get(f"/personnes/{uuid}/", name="person")
        if THINK and random.random() < 0.5:  # back to the file after a look elsewhere
            self.client.get(f"/personnes/{uuid}/", name="person")

    agenda = page("/agenda/", "agenda", 2, "mix")
    todo = page("/a-traiter/", "todo", 1, "mix")

    @tag("note-search", "mix")
    @task(1)
    def note_search(self) -> None:
        query = random.choice(NOTE_QUERIES)
        self.client.get("/recherche/?" + urlencode({"q": query}), name="note-search")

    @tag("name-search", "mix")
    @task(1)
    def name_search(self) -> None:
        query = {"perimetre": "service", "q": random.choice(NAME_QUERIES)}
        self.client.get("/personnes/?" + urlencode(query), name="name-search")
