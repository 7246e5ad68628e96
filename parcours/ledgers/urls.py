from django.urls import path

from . import views

app_name = "ledgers"
urlpatterns = [
    path("mesure/<uuid:measure_id>/tig/", views.tig_create, name="tig_create"),
    path("tig/<uuid:public_id>/heures/", views.tig_session_add, name="tig_session"),
    path("tig/<uuid:public_id>/modifier/", views.tig_edit, name="tig_edit"),
    path(
        "mesure/<uuid:measure_id>/indemnisation/",
        views.compensation_create,
        name="compensation_create",
    ),
    path(
        "indemnisation/<uuid:public_id>/modifier/",
        views.compensation_edit,
        name="compensation_edit",
    ),
    path(
        "indemnisation/<uuid:public_id>/versement/",
        views.compensation_payment,
        name="compensation_payment",
    ),
]
