from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    # Public: the STOP link of SMS (signed token, no login).
    path("n/stop/<str:token>/", views.stop, name="stop"),
    # Staff screens.
    path("notifications/", views.outbox, name="outbox"),
    path("notifications/<uuid:public_id>/relancer/", views.retry, name="retry"),
    path("notifications/<uuid:public_id>/annuler/", views.cancel, name="cancel"),
    path("notifications/modeles/", views.templates, name="templates"),
    path(
        "notifications/modeles/<slug:role>/<slug:channel>/",
        views.template_edit,
        name="template_edit",
    ),
]
