from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.module_loading import import_string


class Config(AppConfig):
    name = "parcours.agenda"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = ("parcours.agenda.panels.appointments",)
    # The manquement form prefilled from a missed appointment (breaches.prefill).
    breach_prefills = {"rdv": "parcours.agenda.breach_prefill.missed_appointment"}

    def ready(self) -> None:
        # An SMS reply OUI / NON answers the reminded appointment (notifications.signals).
        from parcours.notifications.signals import sms_reply_received

        from .receivers import on_sms_reply

        sms_reply_received.connect(on_sms_reply, dispatch_uid="parcours.agenda.receivers")
        # The day page's cached agenda lists (selectors.listed_day_agendas).
        forget = import_string("parcours.agenda.selectors.forget_day_agendas")
        for model in ("agenda.Agenda", "agenda.Place", "accounts.User", "accounts.Organisation"):
            for signal in (post_save, post_delete):
                signal.connect(forget, sender=model, dispatch_uid=f"day-agendas-{model}")
