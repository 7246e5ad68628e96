from django.apps import AppConfig


class Config(AppConfig):
    """The demo data and the national benchmark dataset: the top layer, composing each app's
    `demo.py` (commands seed_demo, print_demo_accounts and bench_data)."""

    name = "parcours.demo"
