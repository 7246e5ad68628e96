"""Browser tests: a real `runserver` on its own database, driven by Debian's Chromium.

The server runs as a subprocess against a dedicated database seeded with the demo data (a fresh
SQLite file, or a fresh PostgreSQL database when DATABASE_URL points to PostgreSQL), so the
append-only audit table never has to be flushed. Tests never touch the ORM in-process: they read
the server's state through its pages.

All e2e tests carry `pytest.mark.xdist_group("e2e")`: with `-n 2 --dist loadgroup` they share one
worker, hence one server and one browser.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.conftest import FIXED_NOW

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = settings.DEMO_PASSWORD
STARTUP_TIMEOUT = 60.0
# One timeout for every wait: Playwright actions and `expect` assertions (whose own default of 5 s
# raced a loaded machine: an HTMX fragment that came after 6 s failed a test that passed alone).
DEFAULT_TIMEOUT_MS = 20_000
expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
FROZEN_MANAGE = str(BASE_DIR / "tests" / "e2e" / "frozen_manage.py")

E2E_MARKS = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@dataclass(frozen=True)
class Server:
    url: str
    env: dict[str, str]
    log: Path

    def now(self) -> datetime:
        """The server's clock (the virtual clock of frozen_manage.py), aware."""
        elapsed = time.time() - float(self.env["PARCOURS_FROZEN_EPOCH"])
        return datetime.fromisoformat(self.env["PARCOURS_FROZEN_NOW"]) + timedelta(seconds=elapsed)

    def today(self, zone: str = "Europe/Paris") -> date:
        from zoneinfo import ZoneInfo

        return self.now().astimezone(ZoneInfo(zone)).date()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _clean_env() -> dict[str, str]:
    """The parent's environment without anything Django/Parcours-specific (pytest-django may have
    switched the parent to a test database; the server must get only what we pass)."""
    dropped = ("DJANGO_", "PARCOURS_", "PYTEST_", "DATABASE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(
        {
            # Production's settings with strict template variables.
            "DJANGO_SETTINGS_MODULE": "tests.e2e.strict_settings",
            "PARCOURS_DEMO": "1",
            "PARCOURS_AXES_FAILURE_LIMIT": "1000",
            "PYTHONUNBUFFERED": "1",
            # The virtual clock shared by the server and the commands (frozen_manage.py).
            "PARCOURS_FROZEN_NOW": FIXED_NOW.isoformat(),
            "PARCOURS_FROZEN_EPOCH": repr(time.time()),
        }
    )
    return env


def _postgres_admin_url(url: str) -> str:
    return urlunparse(urlparse(url)._replace(path="/postgres"))


def _create_postgres_database(url: str) -> tuple[str, str]:
    import psycopg
    from psycopg import sql

    name = f"parcours_e2e_{secrets.token_hex(4)}"
    with psycopg.connect(_postgres_admin_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name, urlunparse(urlparse(url)._replace(path=f"/{name}"))


def _drop_postgres_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_postgres_admin_url(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _manage(env: dict[str, str], log: Path, *args: str) -> None:
    with log.open("a") as out:
        out.write(f"\n$ manage.py {' '.join(args)}\n")
        out.flush()
        result = subprocess.run(
            [sys.executable, FROZEN_MANAGE, *args],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=300,
            check=False,
        )
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} a échoué :\n{_tail(log)}", pytrace=False)


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Le serveur s'est arrêté au démarrage :\n{_tail(log)}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"Le serveur ne répond pas sur /health/ :\n{_tail(log)}", pytrace=False)


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Starts `manage.py runserver` on a free port, against its own database seeded with demo
    data; stops it (and drops the PostgreSQL database) at the end of the session."""
    workdir = tmp_path_factory.mktemp("e2e")
    log = workdir / "server.log"
    env = _clean_env()
    env["PARCOURS_VAR_DIR"] = str(workdir)
    parent_url = os.environ.get("DATABASE_URL", "")
    pg_name = ""
    if parent_url.startswith("postgres"):
        pg_name, env["DATABASE_URL"] = _create_postgres_database(parent_url)
    elif parent_url:
        # sqlite:///… in the parent: ours lives in the temporary directory instead.
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'parcours.sqlite3'}"
    proc: subprocess.Popen[bytes] | None = None
    try:
        _manage(env, log, "migrate", "--noinput")
        _manage(env, log, "seed_demo", "--people", "150")
        _manage(env, log, "recompute_alerts")
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with log.open("a") as out:
            proc = subprocess.Popen(
                [sys.executable, FROZEN_MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait_healthy(url, proc, log)
        yield Server(url=url, env=env, log=log)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if pg_name:
            _drop_postgres_database(parent_url, pg_name)


@pytest.fixture(autouse=True)
def no_server_error(e2e_server: Server) -> Iterator[None]:
    """A browser test fails when its server logged a traceback (a 500, an undefined template
    variable): an HTMX fragment that failed may otherwise go unnoticed by the page."""
    start = e2e_server.log.stat().st_size
    yield
    with e2e_server.log.open("rb") as log:
        log.seek(start)
        written = log.read().decode(errors="replace")
    if "Traceback (most recent call last)" in written:
        pytest.fail(f"Le serveur a levé une exception pendant le test :\n{written[-4000:]}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module.

    While sync Playwright is alive, an asyncio loop counts as running in the main thread and
    Django refuses ORM calls there (SynchronousOnlyOperation). These tests never use the ORM
    in-process, and stopping Playwright with the module keeps the other tests that this xdist
    worker runs afterwards unaffected, without setting DJANGO_ALLOW_ASYNC_UNSAFE.
    """
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser: Browser, e2e_server: Server) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh browser contexts (own cookies, own session), closed at the end of the test."""
    contexts: list[BrowserContext] = []

    def make(**kwargs: Any) -> BrowserContext:
        context = browser.new_context(base_url=e2e_server.url, locale="fr-FR", **kwargs)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def path_of(page: Page) -> str:
    return urlparse(page.url).path


# The outermost elements that stick out of the window, outside any ancestor that clips or scrolls
# them (a wide table scrolls in its own box): what a sideways-scroll failure names.
STICKING_OUT_JS = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = (el) => el.getBoundingClientRect().right > width + 1 && !clipped(el);
  // The outermost ones: an element whose parent sticks out is part of its parent's story.
  return [...document.querySelectorAll('body *')]
    .filter((el) => out(el) && (el.parentElement === document.body || !out(el.parentElement)))
    .slice(0, 8)
    .map((el) => {
      const box = el.getBoundingClientRect();
      const text = (el.innerText || '').trim().slice(0, 40).replace(/\\s+/g, ' ');
      const classes = [...el.classList].join('.');
      return `${el.tagName.toLowerCase()}${classes ? '.' + classes : ''} `
        + `${Math.round(box.left)}-${Math.round(box.right)} px « ${text} »`;
    });
}"""
# What the layout waits for before it is measured: the DSFR script's start when the page loads
# it (it marks <html data-fr-js="true">; its components size themselves from then on), then the
# web fonts and two animation frames for what they change.
DSFR_STARTED_JS = """() => !document.querySelector('script[src*="dsfr"]')
    || document.documentElement.dataset.frJs === 'true'"""
SETTLED_JS = """async () => {
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""
SCROLL_JS = "() => [document.scrollingElement.scrollWidth, document.documentElement.clientWidth]"


def sideways_scroll(page: Page) -> list[str]:
    """Empty when the page does not scroll sideways; otherwise the width and what sticks out.

    Measured once the layout has settled (DSFR_STARTED_JS, SETTLED_JS), against the width the
    page can show (`clientWidth`, the scrollbar left out). CI failed once on an 849 px
    secretariat outbox at 390 px that never reproduced; a failure now names the elements that
    stick out."""
    page.wait_for_function(DSFR_STARTED_JS)
    page.evaluate(SETTLED_JS)
    scroll, width = page.evaluate(SCROLL_JS)
    if scroll <= width:
        return []
    return [f"défilement horizontal : {scroll} > {width}", *page.evaluate(STICKING_OUT_JS)]


def accept_charter(page: Page) -> None:
    # The DSFR checkbox is visually covered by its label: click the label.
    page.locator("label[for=id_accept]").click()
    page.get_by_role("button", name="Accepter et continuer").click()
    page.wait_for_url(lambda url: urlparse(url).path != "/charte/")


def submit_login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/connexion/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: urlparse(url).path != "/connexion/")


@pytest.fixture(scope="session")
def signed_in() -> dict[str, Any]:
    """Cookies of users already logged in this session, to spare a login (Argon2) per test."""
    return {}


@pytest.fixture
def login(
    new_context: Callable[..., BrowserContext], signed_in: dict[str, Any]
) -> Callable[..., Page]:
    """`login("cpip.demo")` -> a page of a new context, logged in, charter accepted.

    `fresh=True` goes through the login form with a brand-new session (no break-the-glass grant
    from an earlier test) and leaves the page on the user's home page. Otherwise the session of an
    earlier test may be reused and the page may be blank: navigate before asserting anything."""

    def do_login(username: str, *, fresh: bool = False) -> Page:
        if not fresh and username in signed_in:
            context = new_context(storage_state=signed_in[username])
            # Still signed in? Asked without rendering a page (the browser is the slow part).
            home = context.request.get("/", max_redirects=0)
            if home.status == 302 and not home.headers["location"].startswith("/connexion/"):
                return context.new_page()
            context.close()
        page = new_context().new_page()
        submit_login(page, username)
        if path_of(page) == "/charte/":
            accept_charter(page)
        if not fresh:
            signed_in[username] = page.context.storage_state()
        return page

    return do_login


PERSON_PATH = re.compile(r"^/personnes/[0-9a-f-]{36}/$")


def open_tab(page: Page, label: str) -> None:
    """Open a tab of the person file (people.panels: Synthèse, Suivi de la mesure, …)."""
    page.locator("nav.person-tabs").get_by_role("link", name=label, exact=True).click()
    expect(
        page.locator("nav.person-tabs").get_by_role("link", name=label, exact=True)
    ).to_have_attribute("aria-current", "page")
