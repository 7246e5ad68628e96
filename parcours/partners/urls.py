"""Routes of parcours.partners (mounted under /partenaires/ by config/urls.py)."""

from django.urls import URLPattern

app_name = "partners"

urlpatterns: list[URLPattern] = []
