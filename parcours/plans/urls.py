"""Routes of parcours.plans (mounted under /plans/ by config/urls.py)."""

from django.urls import path

from . import views

app_name = "plans"

PERSON_ID = "personne/<uuid:person_id>/"
PLAN = "<uuid:public_id>/"

urlpatterns = [
    path("a-contresigner/", views.to_countersign, name="to_countersign"),
    path("parametres/", views.plan_settings, name="settings"),
    path(PERSON_ID, views.person_plans, name="person"),
    path(f"{PERSON_ID}nouveau/", views.start, name="start"),
    path(PLAN, views.plan_detail, name="detail"),
    path(f"{PLAN}imprimer/", views.plan_print, name="print"),
    path(f"{PLAN}plan.pdf", views.plan_pdf_view, name="pdf"),
    path(f"{PLAN}accord/", views.agreement, name="agreement"),
    path(f"{PLAN}contresigner/", views.countersign, name="countersign"),
    path(f"{PLAN}renvoyer/", views.return_to_draft, name="return"),
    path(f"{PLAN}objectifs/ajouter/", views.goal_create, name="goal_create"),
    path(f"objectifs/{PLAN}", views.goal_edit, name="goal_edit"),
    path(f"objectifs/{PLAN}supprimer/", views.goal_delete, name="goal_delete"),
    path("objectifs/<uuid:goal_id>/etapes/ajouter/", views.step_create, name="step_create"),
    path(f"etapes/{PLAN}", views.step_edit, name="step_edit"),
    path(f"etapes/{PLAN}supprimer/", views.step_delete, name="step_delete"),
    path(f"etapes/{PLAN}etat/", views.step_status, name="step_status"),
]
