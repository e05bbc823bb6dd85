"""``pip install datocms-app`` without extras: the core works without the emulator's packages.

A fresh virtual environment (no system site-packages) gets the package built from this
checkout, not editable, without extras: so no graphql-core, no Pillow, no django-environ.
Every module outside ``datocms_app/emulator/`` must import there, and ``django-admin check``
must pass with a token. Without a token, the checks must say what to do: datocms.E003 with
no emulator app, datocms.E033 with the app but not its extra. The environment is built once
per test session (about 10-60 s, with pip's cache); it needs the package index, so a laptop
without network skips, and CI fails.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.packaging.fresh_install import ROOT, install_checkout

pytestmark = pytest.mark.service

IMPORT_EVERY_CORE_MODULE = """
import importlib.util, pkgutil, sys
import django
django.setup()
import datocms_app
names = []
for module in pkgutil.walk_packages(datocms_app.__path__, "datocms_app.", onerror=sys.exit):
    if module.name == "datocms_app.emulator" or module.name.startswith("datocms_app.emulator."):
        continue
    importlib.import_module(module.name)
    names.append(module.name)
missing = [name for name in ("graphql", "PIL", "environ") if importlib.util.find_spec(name)]
print(len(names), "modules;", "installed extras:", missing or "none")
print(" ".join(sorted(names)))
"""

QUERY_WITHOUT_EXTRA = """
import django
django.setup()
from datocms_app import cda
from datocms_app.exceptions import ConfigurationError
try:
    cda.query("{ _site { locales } }")
except ConfigurationError as exc:
    print(exc)
"""


@pytest.fixture(scope="session")
def core_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of a fresh venv holding ``pip install <this checkout>``, without extras."""
    return install_checkout(tmp_path_factory.mktemp("core-only"))


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A minimal site outside this checkout: settings variants, a URLconf, a content project."""
    folder = tmp_path_factory.mktemp("core-site")
    (folder / "core_urls.py").write_text(
        'from django.urls import include, path\n'
        'urlpatterns = [path("datocms/", include("datocms_app.urls"))]\n'
    )  # fmt: skip
    base = textwrap.dedent(
        """
        SECRET_KEY = "core-only"
        DEBUG = True
        ROOT_URLCONF = "core_urls"
        DATABASES = {}
        INSTALLED_APPS = ["django.contrib.contenttypes", "datocms_app"]
        TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates",
                      "APP_DIRS": True}]
        """
    )
    content = folder / "content"
    content.mkdir()
    (content / "schema.json").write_text('{"models": []}')
    variants = {
        "with_token": 'DATOCMS = {"API_TOKEN": "core-only-token"}\n',
        "no_token": "DATOCMS = {}\n",
        "emulator_without_extra": (
            'INSTALLED_APPS += ["datocms_app.emulator"]\n'
            f'DATOCMS = {{"EMULATOR": {{"CONTENT_DIR": {str(content)!r}}}}}\n'
        ),
    }
    for name, extra in variants.items():
        (folder / f"{name}.py").write_text(base + extra)
    return folder


def run(python: Path, site: Path, settings: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "DJANGO"))
    }
    env |= {"DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": str(site)}
    # Run from the site's folder: this checkout's own datocms_app must not shadow the install.
    return subprocess.run(
        [str(python), *args], cwd=site, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip


def test_every_core_module_imports_without_extras(core_python: Path, site: Path) -> None:
    result = run(core_python, site, "with_token", "-c", IMPORT_EVERY_CORE_MODULE)
    assert result.returncode == 0, result.stderr
    summary, names = result.stdout.splitlines()
    count = int(summary.split()[0])
    assert summary == f"{count} modules; installed extras: none"
    assert count > 40
    for expected in ("datocms_app.cda.client", "datocms_app.caching.page_cache",
                     "datocms_app.templatetags.datocms", "datocms_app.webhooks"):  # fmt: skip
        assert expected in names.split()
    installed = run(
        core_python, site, "with_token", "-c", "import datocms_app; print(datocms_app.__file__)"
    )
    assert not installed.stdout.startswith(str(ROOT / "datocms_app"))


def test_check_passes_with_a_token(core_python: Path, site: Path) -> None:
    result = run(core_python, site, "with_token", "-m", "django", "check")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_check_without_token_or_emulator_says_what_to_do(core_python: Path, site: Path) -> None:
    result = run(core_python, site, "no_token", "-m", "django", "check")
    assert result.returncode == 1
    assert (
        "?: (datocms.E003) No DatoCMS API token is configured and no offline backend is "
        "installed: every DatoCMS query would fail.\n"
        "\tHINT: Set settings.DATOCMS['API_TOKEN'] to a read-only API token, or serve a content "
        "project offline: add 'datocms_app.emulator' to INSTALLED_APPS and "
        "pip install 'datocms-app[emulator]'.\n"
    ) in result.stderr


def test_emulator_app_without_its_extra_says_what_to_do(core_python: Path, site: Path) -> None:
    check = run(core_python, site, "emulator_without_extra", "-m", "django", "check")
    assert check.returncode == 1
    assert (
        "?: (datocms.E033) No DatoCMS API token is configured and the emulator app is installed, "
        "but the emulator's dependencies are not: graphql-core, Pillow.\n"
        "\tHINT: pip install 'datocms-app[emulator]', or set DATOCMS['API_TOKEN'] to a "
        "read-only token.\n"
    ) in check.stderr
    assert "datocms.E003" not in check.stderr
    query = run(core_python, site, "emulator_without_extra", "-c", QUERY_WITHOUT_EXTRA)
    assert query.returncode == 0, query.stderr
    assert query.stdout == (
        "No DatoCMS API token is configured, so the emulator app would serve content, but its "
        "dependencies are not installed (graphql-core, Pillow): pip install "
        "'datocms-app[emulator]', or set settings.DATOCMS['API_TOKEN'] to a read-only token "
        "of your DatoCMS project.\n"
    )
