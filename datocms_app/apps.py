from django.apps import AppConfig


class DatoCMSConfig(AppConfig):
    name = "datocms_app"
    verbose_name = "DatoCMS"

    def ready(self) -> None:
        # caching plugs the query cache and the page's draft/tag observer into the CDA
        # client's hooks (datocms_app.cda.hooks).
        from datocms_app import caching, checks  # noqa: F401

        checks.register_checks()
