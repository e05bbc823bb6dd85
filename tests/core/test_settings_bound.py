"""``SettingsBound``: the one way to hold an object built from ``settings.DATOCMS``."""

from __future__ import annotations

import asyncio
import threading

from django.test import override_settings

from datocms_app.conf import DatoCMSSettings, SettingsBound


def test_built_once_per_settings_and_rebuilt_when_they_change() -> None:
    builds: list[str | None] = []

    def build(conf: DatoCMSSettings) -> object:
        builds.append(conf.ENVIRONMENT)
        return object()

    bound = SettingsBound(build)
    with override_settings(DATOCMS={"ENVIRONMENT": "one"}):
        first = bound.get()
        assert bound.get() is first
    with override_settings(DATOCMS={"ENVIRONMENT": "two"}):
        second = bound.get()
    assert second is not first
    assert builds == ["one", "two"]


def test_concurrent_threads_build_it_once() -> None:
    builds: list[int] = []
    started = threading.Barrier(8)

    def build(conf: DatoCMSSettings) -> int:
        builds.append(1)
        return len(builds)

    bound = SettingsBound(build)
    seen: list[int] = []

    def worker() -> None:
        started.wait()
        seen.append(bound.get())

    with override_settings(DATOCMS={"ENVIRONMENT": "threads"}):
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert builds == [1]
    assert seen == [1] * 8


def test_per_event_loop_gives_each_loop_its_own_object() -> None:
    bound = SettingsBound(lambda conf: object(), per_event_loop=True)

    async def twice() -> tuple[object, object]:
        return bound.get(), bound.get()

    with override_settings(DATOCMS={}):
        a1, a2 = asyncio.run(twice())
        b1, _ = asyncio.run(twice())
    assert a1 is a2
    assert b1 is not a1
