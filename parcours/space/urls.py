"""Routes of parcours.space (mounted under /espace/ by config/urls.py)."""

from django.urls import URLPattern

app_name = "space"

urlpatterns: list[URLPattern] = []
