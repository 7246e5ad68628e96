"""`{% render_panel built %}`: renders a panel's template with the page's context and, on top,
the panel's own context (core.panels)."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from parcours.core.panels import BuiltPanel

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context: Context, built: BuiltPanel) -> SafeString:
    assert context.template is not None
    panel_template = context.template.engine.get_template(built.template)
    with context.push(built.context):
        return panel_template.render(context)
