"""``python -m datocms_app startproject``: the files it writes, the names it renders, the
folders and names it refuses, and a written project that checks and serves as it is.

The end-to-end run in a fresh virtual environment is ``test_startproject_install.py``; these
use this checkout and its environment, and need no network.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from datocms_app import startproject
from datocms_app.exceptions import InvalidArgument
from datocms_app.startproject import TEMPLATE_DIR, main, start_project
from tests.services import require_executable

ROOT = Path(startproject.__file__).resolve().parent.parent

WRITTEN = [
    ".gitignore",
    "README.md",
    "content/records/authors/alex.json",
    "content/records/authors/sam.json",
    "content/records/posts/edit-content-offline.json",
    "content/records/posts/going-live.json",
    "content/records/posts/welcome.json",
    "content/schema.json",
    "content/site.json",
    "content/uploads.json",
    "content/uploads/mountains.jpg",
    "manage.py",
    "mysite/__init__.py",
    "mysite/asgi.py",
    "mysite/records.py",
    "mysite/settings.py",
    "mysite/urls.py",
    "mysite/views.py",
    "mysite/wsgi.py",
    "static/site.css",
    "templates/404.html",
    "templates/base.html",
    "templates/datocms/structured_text/blocks/image_block.html",
    "templates/post_detail.html",
    "templates/post_list.html",
]
SECRET_KEY = re.compile(
    r'SECRET_KEY = env\.str\(\n    "SECRET_KEY", default="(django-insecure-[^"]{50})"\n\)'
)


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def written(tmp_path: Path) -> Path:
    return start_project("mysite", tmp_path / "site")


def test_it_writes_the_project(written: Path, tmp_path: Path) -> None:
    assert written == tmp_path / "site"
    assert files(written) == WRITTEN


def test_names_and_a_fresh_secret_key_are_rendered(written: Path, tmp_path: Path) -> None:
    settings = (written / "mysite" / "settings.py").read_text()
    assert 'ROOT_URLCONF = "mysite.urls"' in settings
    assert '"RECORD_URL_RESOLVER": "mysite.records.record_url",' in settings
    key = SECRET_KEY.search(settings)
    assert key is not None
    other = start_project("othersite", tmp_path / "other")
    other_key = SECRET_KEY.search((other / "othersite" / "settings.py").read_text())
    assert other_key is not None
    assert key.group(1) != other_key.group(1)
    assert (
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")'
        in (written / "manage.py").read_text()
    )
    assert (written / "README.md").read_text().startswith("# mysite\n")
    assert '"site_name": "mysite",' in (written / "content" / "site.json").read_text()
    for path in files(written):
        if not path.endswith(".jpg"):
            text = (written / path).read_text()
            assert "{{ project_name" not in text, path
            assert "{{ secret_key" not in text, path


def test_django_templates_and_the_image_are_copied_as_they_are(written: Path) -> None:
    for name in ("templates/post_detail.html", "content/uploads/mountains.jpg"):
        assert (written / name).read_bytes() == (TEMPLATE_DIR / name).read_bytes()
    # Rendered, the README still shows the template tags it names.
    assert (
        "`{% datocms_video post.video.video alt=post.video.alt %}`"
        in (written / "README.md").read_text()
    )


def test_the_default_folder_is_the_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert start_project("blog") == tmp_path / "blog"
    assert (tmp_path / "blog" / "blog" / "settings.py").is_file()


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert files(start_project("mysite", tmp_path / "empty")) == WRITTEN


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("my-site", "'my-site' is not a valid project name: use a Python identifier (letters, "
                    "digits and underscores, not starting with a digit), e.g. 'mysite'."),
        ("class", "'class' is not a valid project name: use a Python identifier (letters, "
                  "digits and underscores, not starting with a digit), e.g. 'mysite'."),
        ("content", "'content' is the name of a folder the project template writes beside the "
                    "project's package; choose another name, e.g. 'mysite'."),
        ("os", "'os' is already the name of an importable Python module, which the project's "
               "package would shadow or be shadowed by; choose another name, e.g. 'mysite'."),
    ],
)  # fmt: skip
def test_bad_names_are_refused_before_anything_is_written(
    tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        start_project(name, tmp_path / "site")
    assert str(caught.value) == message
    assert not (tmp_path / "site").exists()


def test_existing_folders_are_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mysite").mkdir()
    with pytest.raises(InvalidArgument) as caught:
        start_project("mysite")
    assert str(caught.value) == (
        f"'{tmp_path / 'mysite'}' already exists. Choose another name, or give an empty "
        "folder: python -m datocms_app startproject mysite path/to/empty-folder"
    )
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    with pytest.raises(InvalidArgument) as caught:
        start_project("mysite", tmp_path / "full")
    assert str(caught.value) == (
        f"'{tmp_path / 'full'}' is not empty. startproject never overwrites files: give a new "
        "or empty folder."
    )
    assert files(tmp_path / "full") == ["notes.txt"]
    with pytest.raises(InvalidArgument) as caught:
        start_project("mysite", tmp_path / "full" / "notes.txt")
    assert str(caught.value) == (
        f"'{tmp_path / 'full' / 'notes.txt'}' is a file, not a folder: give a folder for DIR."
    )


# -- the command line -----------------------------------------------------------------------


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["startproject", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m datocms_app startproject [-h] NAME [DIR]\n")
    assert "cd NAME && python manage.py runserver." in out


def test_success_says_what_to_do_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["startproject", "mysite"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        f"Wrote the project 'mysite' to {tmp_path / 'mysite'}. Next:\n\n"
        "    cd mysite\n"
        "    python manage.py runserver\n\n"
        "then open http://127.0.0.1:8000/. Its README.md says how to edit the content offline "
        "and switch to your DatoCMS project.\n"
    )
    assert captured.err == ""


def test_missing_packages_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(startproject.REQUIREMENTS, "not_installed_module", "not-installed")
    assert main(["startproject", "mysite", str(tmp_path / "site")]) == 0
    assert capsys.readouterr().err == (
        '\nIts settings need not-installed, missing from this Python: pip install "datocms-app'
        '[emulator]"\n'
    )


def test_a_refusal_exits_2_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["startproject", "my-site"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        "python -m datocms_app startproject: error: 'my-site' is not a valid project name: use "
        "a Python identifier (letters, digits and underscores, not starting with a digit), "
        "e.g. 'mysite'.\n"
    )


# -- the written project works as it is -----------------------------------------------------

SERVE = textwrap.dedent(
    """
    import django
    django.setup()
    from django.test import Client
    client = Client(SERVER_NAME="localhost")  # one of the default ALLOWED_HOSTS
    for path in ("/", "/posts/welcome/", "/posts/welcome/", "/posts/nope/"):
        response = client.get(path)
        print(path, response.status_code, response.headers.get("X-DatoCMS-Cache"))
    """
)


def project_env() -> dict[str, str]:
    """This environment without its Django and DatoCMS variables, on this checkout's
    ``datocms_app``: what a written project sees."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATOCMS"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_in(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = project_env()
    env["DJANGO_SETTINGS_MODULE"] = "mysite.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=project, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_the_project_checks_clean_and_serves_offline(written: Path) -> None:
    check = run_in(written, "manage.py", "check")
    assert (check.returncode, check.stdout, check.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )
    served = run_in(written, "-c", SERVE)
    assert served.stdout == (
        "/ 200 MISS\n/posts/welcome/ 200 MISS\n/posts/welcome/ 200 HIT\n/posts/nope/ 404 BYPASS\n"
    ), served.stderr


def test_the_project_python_passes_ruff(written: Path) -> None:
    ruff = require_executable("ruff", str(Path(sys.executable).parent / "ruff"))
    result = subprocess.run(
        [ruff, "check", "--no-cache", "--isolated", "--line-length", "100", "--select",
         "E,F,W,I,B,UP", "."],
        cwd=written, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")
