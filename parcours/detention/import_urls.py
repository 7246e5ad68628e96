"""The URL of the import of detention extracts (kept apart from detention/urls.py)."""

from django.urls import path

from .import_views import detention_import

app_name = "detention_import"

urlpatterns = [
    path("", detention_import, name="import"),
]
