"""Load test of a CPIP's day on the national dataset (`manage.py bench_data`), run by
bench/load.sh against gunicorn. Each simulated user signs in as one generated CPIP
(cpip.n00001 …, the demo password), then loops over a realistic mix: the caseload, a person's
file (opened most, often twice in a row), the agenda of the day, a note search, a name search.

    LOCUST_CPIPS=40 .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8765 \
        --headless -u 40 -r 10 --run-time 60s
"""

from __future__ import annotations

import itertools
import os
import random
import re
import threading
from urllib.parse import urlencode

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = os.environ.get("PARCOURS_DEMO_PASSWORD", "cerisier-hirondelle-2026")
CPIPS = int(os.environ.get("LOCUST_CPIPS", "40"))
PERSON_LINK = re.compile(r'href="/personnes/([0-9a-f-]{36})/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NOTE_QUERIES = ["hébergement", "emploi", "soins", "convocation", "bail", "formation"]
NAME_QUERIES = ["mar", "ber", "dub", "lef", "mor", "ben"]

_numbers = itertools.count(1)
_lock = threading.Lock()


def next_username() -> str:
    with _lock:
        number = (next(_numbers) - 1) % CPIPS + 1
    return f"cpip.n{number:05d}"


class Cpip(FastHttpUser):
    """geventhttpclient: the client's own CPU matters on a 2-core machine shared with the server."""

    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.username = next_username()
        page = self.client.get("/connexion/", name="/connexion/")
        found = CSRF.search(page.text or "")
        token = found.group(1) if found else ""
        with self.client.post(
            "/connexion/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"{self.host}/connexion/"},
            name="/connexion/ (POST)",
            catch_response=True,
        ) as response:
            if 'name="password"' in (response.text or ""):
                response.failure(f"connexion refusée pour {self.username}")
        self.people: list[str] = []
        self.caseload()

    @task(4)
    def caseload(self) -> None:
        response = self.client.get("/personnes/", name="/personnes/")
        found = PERSON_LINK.findall(response.text or "")
        if found:
            self.people = list(dict.fromkeys(found))

    @task(5)
    def person_file(self) -> None:
        if not self.people:
            return
        uuid = random.choice(self.people)
        self.client.get(f"/personnes/{uuid}/", name="/personnes/<uuid>/")
        if random.random() < 0.5:  # back to the file after a look elsewhere
            self.client.get(f"/personnes/{uuid}/", name="/personnes/<uuid>/")

    @task(2)
    def agenda(self) -> None:
        self.client.get("/agenda/", name="/agenda/")

    @task(1)
    def note_search(self) -> None:
        query = random.choice(NOTE_QUERIES)
        self.client.get("/recherche/?" + urlencode({"q": query}), name="/recherche/?q=")

    @task(1)
    def name_search(self) -> None:
        query = random.choice(NAME_QUERIES)
        self.client.get("/personnes/?" + urlencode({"q": query}), name="/personnes/?q=")
