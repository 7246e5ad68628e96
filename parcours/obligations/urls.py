from django.urls import path

from . import views

app_name = "obligations"
urlpatterns = [
    path("obligations/mesure/<uuid:measure_id>/nouvelle/", views.obligation_create, name="create"),
    path("obligations/<uuid:public_id>/modifier/", views.obligation_edit, name="edit"),
    path(
        "obligations/<uuid:obligation_id>/justificatifs/nouveau/",
        views.proof_create,
        name="proof_create",
    ),
    path("justificatifs/<uuid:public_id>/fichier/", views.proof_download, name="proof_download"),
    path("justificatifs/<uuid:public_id>/decision/", views.proof_decide, name="proof_decide"),
]
