"""Cache backends for tests, configured in ``CACHES`` like any other (no patching).

``CountingLocMemCache`` records every call (to prove what a read costs); ``BrokenCache``
fails every call like a Redis server that went away.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache

CALLS: list[tuple[str, tuple[str, ...]]] = []


class CountingLocMemCache(LocMemCache):
    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        CALLS.append(("get", (key,)))
        return super().get(key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        keys = list(keys)
        CALLS.append(("get_many", tuple(keys)))
        found = {}
        for key in keys:
            value = super().get(key, self._missing_key, version)
            if value is not self._missing_key:
                found[key] = value
        return found

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        CALLS.append(("set", (key,)))
        super().set(key, value, timeout, version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        CALLS.append(("set_many", tuple(data)))
        for key, value in data.items():
            super().set(key, value, timeout, version)
        return []

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        CALLS.append(("add", (key,)))
        return super().add(key, value, timeout, version)

    def delete(self, key: Any, version: Any = None) -> bool:
        CALLS.append(("delete", (key,)))
        return super().delete(key, version)


class StoreDown(ConnectionError):
    pass


class BrokenCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise StoreDown("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    get = set = add = delete = get_many = set_many = delete_many = touch = has_key = _fail
    incr = clear = _fail
