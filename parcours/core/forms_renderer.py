"""Form renderer: Django's widget templates, with the commonest ones rendered in Python.

Every filter bar and form of the application renders `<input>` and `<select>` widgets through
Django's template engine: one template render per widget and one more per `<option>` (a
measure-type select has ~30). Profiling the caseload showed a quarter of its template time
there. `FastTemplatesSetting` produces the same HTML for the plain input, select and option
templates with string building (tests/test_forms_renderer.py compares both outputs); any other
widget template, or a project override of one of these, goes through the templates as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "date",
        "datetime",
        "time",
        "email",
        "number",
        "password",
        "search",
        "tel",
        "url",
        "hidden",
        "checkbox",
        "color",
    )
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` under autoescaping."""
    return str(conditional_escape(value if isinstance(value, SafeData) else str(value)))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html: False drops the attribute, True writes its name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_text(value)}"')
    return "".join(parts)


def render_input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = f' value="{_text(value)}"' if value is not None else ""
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def render_option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def render_select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION_TEMPLATE:
                return None  # a custom option template: let the engine render it all
            parts.append("\n  " + render_option(option) + "\n")  # the include keeps its newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


# Django's empty choice of a model field ("---------"): every select of Parcours says "Choisir…"
# instead (issue 16), whichever form built it.
DJANGO_EMPTY_LABEL = "---------"
EMPTY_LABEL = "Choisir…"


def french_empty_choice(widget: Mapping[str, Any]) -> None:
    for _group, choices, _index in widget.get("optgroups", ()):
        for option in choices:
            if option.get("value") in ("", None) and option.get("label") == DJANGO_EMPTY_LABEL:
                option["label"] = EMPTY_LABEL


FAST: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **dict.fromkeys(INPUT_TEMPLATES, render_input),
    SELECT_TEMPLATE: render_select,
    OPTION_TEMPLATE: render_option,
}


class FastTemplatesSetting(TemplatesSetting):
    """TemplatesSetting (project templates may override widgets) with the plain widgets
    rendered in Python when the project does not override their template."""

    def __init__(self) -> None:
        super().__init__()
        self._overridden: dict[str, bool] = {}

    def _project_overrides(self, template_name: str) -> bool:
        if template_name not in self._overridden:
            origin = getattr(self.get_template(template_name), "origin", None)
            name = str(getattr(origin, "name", ""))
            self._overridden[template_name] = "/django/forms/templates/" not in name
        return self._overridden[template_name]

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE:
            french_empty_choice(context["widget"])
        fast = FAST.get(template_name)
        if fast is not None and not self._project_overrides(template_name):
            html = fast(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308 — every value above is escaped
        return super().render(template_name, context, request)
