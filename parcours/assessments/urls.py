"""Routes of parcours.assessments (mounted under /evaluations/ by config/urls.py)."""

from django.urls import URLPattern

app_name = "assessments"

urlpatterns: list[URLPattern] = []
