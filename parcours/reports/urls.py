from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.my_reports, name="mine"),
    path("a-valider/", views.to_validate, name="to_validate"),
    path("recus/", views.court_reports, name="court"),
    path("personne/<uuid:person_id>/nouveau/", views.report_create, name="create"),
    path("<uuid:public_id>/", views.report_detail, name="detail"),
    path("<uuid:public_id>/rediger/", views.report_edit, name="edit"),
    path("<uuid:public_id>/sauvegarde/", views.report_autosave, name="autosave"),
    path("<uuid:public_id>/action/", views.report_transition, name="transition"),
    path("<uuid:public_id>/rapport.pdf", views.report_pdf, name="pdf"),
    path("<uuid:public_id>/rapport.docx", views.report_docx, name="docx"),
]
