"""The emulator as a Django app: add ``"datocms_app.emulator"`` to ``INSTALLED_APPS``.

Its ``ready()`` registers the emulator's system checks and installs its offline backend on
the CDA client's hook, so that with no API token the core's ``datocms_app.cda`` serves the
content project in-process, and its listen endpoint, so that live updates register their
channels with the emulator's Real-time Updates API, and its CMA on the CMA client's hook
(``datocms_app.cma.hooks``), so that with no token either ``datocms_app.cma`` writes to it.
The core never imports this package: everything the emulator adds to a site goes through
the app registry and those hooks.
"""

from django.apps import AppConfig


class EmulatorConfig(AppConfig):
    name = "datocms_app.emulator"
    label = "datocms_emulator"
    verbose_name = "DatoCMS emulator"

    def ready(self) -> None:
        from datocms_app.cda import hooks
        from datocms_app.cma import hooks as cma_hooks
        from datocms_app.emulator import checks  # noqa: F401  (registers the checks)
        from datocms_app.emulator.offline_backend import client_options, listen_endpoint
        from datocms_app.emulator.offline_cma import cma_client_options
        from datocms_app.emulator.site_registry import connect as register_on_first_request

        hooks.install_offline_backend(client_options)
        hooks.install_listen_endpoint_factory(listen_endpoint)
        cma_hooks.install_offline_backend(cma_client_options)
        # A development server registers where its emulator takes changes (site_registry).
        register_on_first_request()
