"""Browser checks per class of defect on the daily pages the menu walk (test_daily_d_pages) does
not reach: an appointment page (future and past), the convocation and reception print/PDF buttons,
a note's edit form, an obligation's edit form and a report's edit screen, at 1366×900 and 390×844,
with the same detectors: no console or page error, no horizontal scroll at 390 px, every visible
button named on screen, axe-core without serious or critical violation. The PDF buttons are also
followed: each answers a PDF."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from .conftest import E2E_MARKS, sideways_scroll
from .test_daily_d_pages import UNNAMED_JS, WIDTHS, axe_blocking, visit

pytestmark = E2E_MARKS

Login = Callable[..., Page]

LINKS_JS = """(selector) => [...document.querySelectorAll(selector)]
  .map((a) => a.getAttribute('href')).filter((h) => h && h.startsWith('/'))"""


def hrefs(page: Page, selector: str) -> list[str]:
    found: list[str] = page.evaluate(LINKS_JS, selector)
    return found


def first_href(page: Page, path: str, selector: str) -> str | None:
    page.goto(path)
    page.wait_for_load_state("load")
    found = hrefs(page, selector)
    return found[0] if found else None


def cpip_pages(page: Page, *, report: bool = True) -> dict[str, str]:
    """From the CPIP's caseload: a person with an upcoming and a past appointment, a note and an
    obligation; from "Mes rapports": a draft the CPIP can write."""
    page.set_viewport_size({"width": 1366, "height": 900})
    wanted = {
        "rendez-vous à venir": "#rendez-vous > ul:first-of-type a[href^='/agenda/rendez-vous/']",
        "rendez-vous passé": "#rendez-vous h3 + ul a[href^='/agenda/rendez-vous/']",
        "modification d'obligation": "a[href^='/obligations/'][href$='/modifier/']",
        "note": "a[href^='/notes/']:not([href*='/personne/'])",
    }
    found: dict[str, str] = {}
    page.goto("/personnes/")
    people = hrefs(page, "table tbody tr td a[href^='/personnes/']")[:15]
    for person in people:
        # The file's Synthèse (appointments, obligations) and its "Notes et rapports" tab.
        for tab in (person, f"{person}onglet/ecrits/"):
            page.goto(tab)
            page.wait_for_load_state("load")
            for name, selector in wanted.items():
                if name not in found:
                    links = hrefs(page, selector)
                    if links:
                        found[name] = links[0]
        if len(found) == len(wanted):
            break
    assert len(found) == len(wanted), (found, people)
    note = found.pop("note")
    edit = first_href(page, note, "a[href$='/modifier/']")
    assert edit, f"pas de lien « Modifier » sur {note}"
    found["modification de note"] = edit
    if not report:
        return found
    page.goto("/rapports/")
    for report in hrefs(page, "table tbody tr td a[href^='/rapports/']"):
        edit = first_href(page, report, "a[href$='/rediger/']")
        if edit:
            found["rédaction de rapport"] = edit
            break
    assert "rédaction de rapport" in found
    return found


def check_pages(page: Page, username: str, pages: dict[str, str]) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    failures: list[str] = []
    for width, height in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            visit(page, path, errors)
            problems = [*errors]
            if width < 500:
                problems += sideways_scroll(page)
            problems += [f"bouton sans nom : {b}" for b in page.evaluate(UNNAMED_JS)]
            problems += [f"axe : {v}" for v in axe_blocking(page)]
            if problems:
                failures.append(
                    f"{username} — {name} ({path}) à {width} px :\n    " + "\n    ".join(problems)
                )
    return failures


def assert_pdf(page: Page, path: str) -> None:
    response = page.request.get(path)
    assert response.status == 200, path
    assert response.headers["content-type"] == "application/pdf", path
    assert response.body().startswith(b"%PDF"), path


def test_daily_pages_of_the_cpip_at_both_widths(login: Login) -> None:
    page = login("cpip.demo")
    pages = cpip_pages(page)
    failures = check_pages(page, "cpip.demo", pages)
    # The convocation buttons of the future appointment, followed.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(pages["rendez-vous à venir"])
    pdf = page.get_by_role("link", name="Convocation (PDF)")
    docx = page.get_by_role("link", name="Convocation (DOCX)")
    assert pdf.is_visible() and docx.is_visible()
    assert_pdf(page, pdf.get_attribute("href") or "")
    docx_response = page.request.get(docx.get_attribute("href") or "")
    assert docx_response.status == 200 and docx_response.body().startswith(b"PK")
    assert not failures, "\n".join(failures)


def test_reception_print_buttons_at_both_widths(login: Login) -> None:
    page = login("secretariat.demo")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/agenda/accueil/")
    printer = page.get_by_role("button", name="Imprimer")
    pdf = page.get_by_role("link", name="PDF", exact=True)
    assert printer.is_visible() and pdf.is_visible()
    href = pdf.get_attribute("href") or ""
    assert_pdf(page, href)
    failures = check_pages(page, "secretariat.demo", {"accueil": "/agenda/accueil/"})
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("username", ["dpip.demo"])
def test_daily_pages_of_the_dpip_at_both_widths(login: Login, username: str) -> None:
    """The DPIP sees the same appointment, note and obligation pages (as the CPIP's manager)."""
    page = login(username)
    pages = cpip_pages(page, report=False)
    failures = check_pages(page, username, pages)
    assert not failures, "\n".join(failures)
