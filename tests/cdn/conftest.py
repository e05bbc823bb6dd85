from tests.caching.support import _isolated_caches, cda_settings, fake_cda

__all__ = ["_isolated_caches", "cda_settings", "fake_cda"]
