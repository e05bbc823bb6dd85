"""`make bench` checks the programs its benchmarks run before the first one starts."""

from __future__ import annotations

import shutil

import pytest

from benchmarks.__main__ import main


def test_a_missing_program_is_named_with_its_package_before_anything_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name: None if name in {"wrk", "node"} else real_which(name)
    )

    assert main(["snapshot", "page_cache", "structured_text"]) == 2

    err = capsys.readouterr().err
    assert err == (
        "make bench: programs are missing\n"
        "  page_cache needs wrk: apt-get install wrk"
        " (or run the others: make bench BENCH_ARGS='...')\n"
        "  structured_text needs node: apt-get install nodejs npm"
        " (or run the others: make bench BENCH_ARGS='...')\n"
    )
    assert "running" not in err


def test_an_unknown_benchmark_is_refused_with_the_known_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["page_cach"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("unknown benchmark 'page_cach'; known: client_overhead, image_render")
