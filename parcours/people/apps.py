from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.module_loading import import_string


class Config(AppConfig):
    name = "parcours.people"
    # Sections of the person file (people.panels.person_file).
    person_file_panels = (
        "parcours.people.panels.identity",
        "parcours.people.panels.history",
    )

    def ready(self) -> None:
        # The caseload's cached filter choices (people.selectors.filter_choices); the selectors
        # read models, so they are imported only now.
        forget = import_string("parcours.people.selectors.forget_filter_choices")
        for model in ("accounts.User", "accounts.Organisation", "catalog.MeasureType"):
            for signal in (post_save, post_delete):
                signal.connect(forget, sender=model, dispatch_uid=f"filter-choices-{model}")
        # Every refusal of a door (core.doors) is journaled (people sits above the journal).
        from parcours.core.doors import door_refused

        door_refused.connect(
            import_string("parcours.people.access.journal_refusal"), dispatch_uid="door-refused"
        )
