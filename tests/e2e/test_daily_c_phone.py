"""Issue 16, item 7: on a phone (390 px) a person's file does not scroll sideways, in milieu
ouvert and in milieu fermé, even when a panel holds a long unbroken word (an e-mail address,
a reference) or the header holds every action button."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from .conftest import E2E_MARKS, sideways_scroll

pytestmark = E2E_MARKS

Login = Callable[..., Page]

# What a real file may hold: a long e-mail address in a side panel and in a main panel, and two
# more buttons in the header (a manager's "Transférer", "Droit d'accès").
LONG_CONTENT = """() => {
  const word = 'jean-baptiste.delacroix-montgolfier.hebergement-urgence@association-exemple.fr';
  const columns = 'main .fr-grid-row--gutters > [class*="fr-col"]';
  for (const column of document.querySelectorAll(columns)) {
    const p = document.createElement('p');
    p.textContent = 'Courriel : ' + word;
    column.prepend(p);
  }
  const group = document.querySelector('main .fr-btns-group');
  for (const label of ['Transférer', "Droit d'accès"]) {
    const li = document.createElement('li');
    li.innerHTML = '<a class="fr-btn fr-btn--secondary" href="#">' + label + '</a>';
    group.append(li);
  }
}"""


@pytest.mark.parametrize("username", ["cpip.demo", "cpip.mf.demo"])
def test_a_person_file_does_not_scroll_sideways_on_a_phone(login: Login, username: str) -> None:
    page = login(username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/personnes/")
    hrefs = page.eval_on_selector_all(
        "main a[href^='/personnes/']", "links => links.map(a => a.getAttribute('href'))"
    )
    person = next(h for h in hrefs if h.count("/") == 3 and h.endswith("/") and len(h) > 20)
    page.goto(person)
    page.wait_for_load_state("load")
    problems = sideways_scroll(page)
    assert not problems, f"{person}: {problems}"
    page.evaluate(LONG_CONTENT)
    problems = sideways_scroll(page)
    assert not problems, f"{person}, with long content: {problems}"
