"""The flow drivers: one protocol, run by a sync and an async driver with the same outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from typing import Any

import pytest

from datocms_app.flows import arun, run


def countdown(n: int) -> Generator[int, int, str]:
    seen = []
    while n:
        seen.append(n)
        n = yield n
    return f"done after {seen}"


def test_run_sends_each_effects_result_back_and_returns_the_flows_value() -> None:
    assert run(countdown(3), lambda n: n - 1) == "done after [3, 2, 1]"


def test_arun_does_the_same_with_an_async_performer() -> None:
    async def perform(n: int) -> int:
        await asyncio.sleep(0)
        return n - 1

    assert asyncio.run(arun(countdown(3), perform)) == "done after [3, 2, 1]"


def test_a_flow_without_effects_returns_at_once() -> None:
    def immediate() -> Generator[int, Any, str]:
        return "nothing to do"
        yield 0  # pragma: no cover  (makes this a generator)

    assert run(immediate(), lambda effect: pytest.fail("no effect expected")) == "nothing to do"


class Boom(Exception):
    pass


def guarded(log: list[str]) -> Generator[str, Any, str]:
    """Takes a lock, fails in the middle, releases the lock in ``finally`` (an effect too)."""
    yield "acquire"
    try:
        try:
            yield "work"
        except Boom:
            log.append("flow saw Boom")
            raise
    finally:
        yield "release"
    return "unreachable when work fails"


def failing_performer(log: list[str]) -> Any:
    def perform(effect: str) -> None:
        log.append(effect)
        if effect == "work":
            raise Boom("work failed")

    return perform


def test_an_effects_error_is_thrown_into_the_flow_and_its_finally_still_performs() -> None:
    log: list[str] = []
    with pytest.raises(Boom, match="work failed"):
        run(guarded(log), failing_performer(log))
    assert log == ["acquire", "work", "flow saw Boom", "release"]


def test_the_async_driver_throws_errors_into_the_flow_the_same_way() -> None:
    log: list[str] = []
    sync_perform = failing_performer(log)

    async def perform(effect: str) -> None:
        sync_perform(effect)

    with pytest.raises(Boom, match="work failed"):
        asyncio.run(arun(guarded(log), perform))
    assert log == ["acquire", "work", "flow saw Boom", "release"]


def test_a_flow_may_handle_an_effects_error_and_carry_on() -> None:
    def tolerant() -> Generator[str, Any, str]:
        try:
            yield "flaky"
        except Boom:
            return "recovered"
        return "not reached"

    def perform(effect: str) -> None:
        raise Boom(effect)

    assert run(tolerant(), perform) == "recovered"


def test_cancelling_the_task_reaches_the_flow_which_still_releases() -> None:
    log: list[str] = []

    async def main() -> None:
        working = asyncio.Event()

        async def perform(effect: str) -> None:
            log.append(effect)
            if effect == "work":
                working.set()
                await asyncio.sleep(3600)  # cancelled below

        task = asyncio.create_task(arun(guarded(log), perform))
        await working.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert log == ["acquire", "work", "release"]
