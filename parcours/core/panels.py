"""Panels: a page composed of sections that the apps contribute (NetBox's panel layouts).

A page that hosts panels declares a `PanelSet` (the person file: `people.panels.person_file`).
Each app writes its panels next to its selectors, as functions decorated by the set:

    @person_file.panel(key="rendez-vous", title="Rendez-vous", order=50, roles=AGENDA_ROLES)
    def appointments(request, access):
        ...            # its own queries, a constant number of them
        return {...}   # the panel's context, or None to show nothing

and lists them on its AppConfig (`person_file_panels = ("parcours.agenda.panels.appointments",)`),
so the host page never imports the apps above it. The set collects the panels of every installed
app once, in `order`; `build(request, subject)` runs them and returns what the template includes
(`{% render_panel built %}`: its template with its context), in two columns: "main" and "side".

A panel's template is `<app>/panels/<key>.html` (here `agenda/panels/rendez-vous.html`) unless it
names another (`template=...`). `roles`, when given, are the roles that see the panel: for any other
the panel is not built (as if it returned None) and runs no query; without it, the function decides.

A set may declare tabs (the person file: Synthèse, Suivi, Accompagnement…): each panel names its
tab (`tab="ecrits"`; none: the set's first tab) and a page builds one tab at a time, so a tab
costs only its own panels' queries. `tab_of_key(key)` says which tab holds a panel.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string

Builder = Callable[[Any, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    key: str  # the section's anchor on the page
    title: str  # for the page's summary
    template: str
    order: int
    build: Builder
    column: str = "main"
    tab: str = ""  # "": the set's first tab
    roles: Collection[str] | None = None  # None: every role the page lets in

    def __call__(self, request: Any, subject: Any) -> dict[str, Any] | None:
        if self.roles is not None and request.user.role not in self.roles:
            return None
        return self.build(request, subject)


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str


@dataclass(frozen=True)
class BuiltPanel:
    key: str
    title: str
    template: str
    column: str
    context: dict[str, Any]


def shared(request: Any, key: str, load: Callable[[], Any]) -> Any:
    """What several panels of one page read (e.g. the person's measures, shown by one panel and
    sorted by another): loaded once per request by the first panel that asks, then reused."""
    cache: dict[str, Any] = request.__dict__.setdefault("_panels_shared", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def default_template(build: Builder, key: str) -> str:
    """`<app>/panels/<key>.html`, the app being the package of the panel's module
    (`parcours.agenda.panels` -> `agenda`)."""
    app = build.__module__.rpartition(".")[0].rpartition(".")[2]
    return f"{app}/panels/{key}.html"


class PanelSet:
    def __init__(self, name: str, tabs: tuple[Tab, ...] = ()) -> None:
        self.name = name
        self.tabs = tabs
        self._collected: tuple[Panel, ...] | None = None

    def panel(
        self,
        *,
        key: str,
        title: str,
        order: int,
        template: str = "",
        column: str = "main",
        tab: str = "",
        roles: Collection[str] | None = None,
    ) -> Callable[[Builder], Panel]:
        def decorator(build: Builder) -> Panel:
            path = template or default_template(build, key)
            return Panel(key, title, path, order, build, column, tab, roles)

        return decorator

    @property
    def default_tab(self) -> str:
        return self.tabs[0].slug if self.tabs else ""

    def tab_of(self, panel: Panel) -> str:
        return panel.tab or self.default_tab

    def tabs_for(self, role: str) -> tuple[Tab, ...]:
        """The tabs holding at least one panel `role` may see (the first tab always): a tab
        whose every panel is closed to the role is not offered."""
        seen = {self.tab_of(p) for p in self.panels() if p.roles is None or role in p.roles}
        return tuple(t for t in self.tabs if t.slug == self.default_tab or t.slug in seen)

    def tab_of_key(self, key: str) -> str:
        """The tab that shows the panel `key` (the first tab for an unknown key)."""
        for panel in self.panels():
            if panel.key == key:
                return self.tab_of(panel)
        return self.default_tab

    def tab(self, slug: str) -> Tab | None:
        return next((tab for tab in self.tabs if tab.slug == slug), None)

    @property
    def attribute(self) -> str:
        return f"{self.name}_panels"

    def panels(self) -> tuple[Panel, ...]:
        if self._collected is None:
            found: list[Panel] = []
            for config in apps.get_app_configs():
                for path in getattr(config, self.attribute, ()):
                    panel = import_string(path)
                    if not isinstance(panel, Panel):
                        raise TypeError(f"{path} n'est pas un panneau de « {self.name} ».")
                    found.append(panel)
            keys = [p.key for p in found]
            if len(keys) != len(set(keys)):
                raise ValueError(f"Deux panneaux de « {self.name} » ont la même clé : {keys}")
            slugs = {tab.slug for tab in self.tabs}
            for panel in found:
                if panel.tab and panel.tab not in slugs:
                    raise ValueError(
                        f"Le panneau « {panel.key} » vise un onglet inconnu : {panel.tab}"
                    )
            self._collected = tuple(sorted(found, key=lambda p: p.order))
        return self._collected

    def build(self, request: Any, subject: Any, tab: str | None = None) -> list[BuiltPanel]:
        """The panels of one tab (all of them when the set has no tabs), in order."""
        built = []
        for panel in self.panels():
            if self.tabs and self.tab_of(panel) != (tab or self.default_tab):
                continue
            context = panel(request, subject)
            if context is not None:
                built.append(
                    BuiltPanel(panel.key, panel.title, panel.template, panel.column, context)
                )
        return built
