"""The demo's video (``project/content/video.py``): frames painted by Pillow, and the
committed files the emulator serves, which ffmpeg made from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from datocms_app.emulator.hls import read_playlist
from datocms_app.emulator.mp4 import Mp4Info, read_mp4
from project.content.video import (
    DURATION,
    FPS,
    HEIGHT,
    OUTPUT_DIR,
    POSTER_TIME,
    WIDTH,
    encode_video,
    main,
    paint_frame,
)
from tests.services import require_executable


def test_frames_are_deterministic_and_sized() -> None:
    first = paint_frame(0)
    assert (first.size, first.mode) == ((640, 360), "RGB")
    assert first.tobytes() == paint_frame(0).tobytes()
    assert first.tobytes() != paint_frame(1).tobytes()  # it moves
    with pytest.raises(ValueError, match=r"^frame index must be between 0 and 95, got 96\.$"):
        paint_frame(FPS * DURATION)


def test_committed_files_are_the_scripts_output() -> None:
    assert read_mp4(OUTPUT_DIR / "ocean-dawn.mp4") == Mp4Info(
        width=WIDTH, height=HEIGHT, duration=DURATION, framerate=FPS, codec="avc1",
        frame_count=FPS * DURATION,
    )  # fmt: skip
    assert (OUTPUT_DIR / "ocean-dawn.mp4").stat().st_size < 300_000
    playlist = read_playlist(OUTPUT_DIR / "hls" / "index.m3u8")
    assert (sorted(playlist.files), playlist.duration) == (["segment0.ts", "segment1.ts"], 4.0)
    # The poster is the middle frame (Mux's default thumbnail time), as JPEG.
    with Image.open(OUTPUT_DIR / "poster.jpg") as poster:
        assert (poster.format, poster.size) == ("JPEG", (WIDTH, HEIGHT))
        frame = poster.convert("RGB")

    def distance(index: int) -> float:
        return max(ImageStat.Stat(ImageChops.difference(frame, paint_frame(index))).mean)

    # JPEG noise only (about 2 levels on average); the neighbouring frames are further away.
    middle = round(POSTER_TIME * FPS)
    assert distance(middle) < 3 < min(distance(middle - 1), distance(middle + 1))


def test_regenerating_needs_ffmpeg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SystemExit) as stop:
        encode_video(tmp_path / "out")
    assert str(stop.value) == (
        "ffmpeg is needed to regenerate the demo video (Debian/Ubuntu: apt-get install "
        f"ffmpeg). The emulator and the tests only read the committed files in {OUTPUT_DIR}."
    )
    assert not (tmp_path / "out").exists()


def test_regenerating(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_executable("ffmpeg")
    out = tmp_path / "video-ocean"
    (out / "hls").mkdir(parents=True)
    (out / "hls" / "segment7.ts").write_bytes(b"stale")  # an older, longer version
    main(["--output", str(out)])
    files = sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file())
    assert files == ["hls/index.m3u8", "hls/segment0.ts", "hls/segment1.ts", "ocean-dawn.mp4",
                     "poster.jpg"]  # fmt: skip
    printed = capsys.readouterr().out.splitlines()
    assert [line.split()[-1] for line in printed] == [str(out / name) for name in files]
    assert read_mp4(out / "ocean-dawn.mp4") == read_mp4(OUTPUT_DIR / "ocean-dawn.mp4")
    assert read_playlist(out / "hls" / "index.m3u8").duration == 4.0
    assert (out / "poster.jpg").read_bytes() == (OUTPUT_DIR / "poster.jpg").read_bytes()
