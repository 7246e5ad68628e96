from django.urls import path

from . import views

app_name = "ledgers"
urlpatterns = [
    path("mesure/<uuid:measure_id>/tig/", views.tig_create, name="tig_create"),
    path("tig/<uuid:public_id>/heures/", views.tig_session_add, name="tig_session"),
]
