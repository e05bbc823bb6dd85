from django.apps import AppConfig


class DatoCMSConfig(AppConfig):
    name = "datocms_app"
    verbose_name = "DatoCMS"

    def ready(self) -> None:
        from datocms_app import checks  # noqa: F401  (registers the system checks)
