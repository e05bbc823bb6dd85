"""datocms_app: DatoCMS content on Django-rendered pages.

The public entry points live in their own modules (``datocms_app.cda``,
``datocms_app.exceptions``...); this package only exposes the version.
"""

__all__ = ["__version__"]

__version__ = "0.1.0.dev0"
