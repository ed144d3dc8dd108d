from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisation generator (`seed_demo`): above every other app."""

    name = "demo"
    verbose_name = "Demo"
