"""The core never reaches for the emulator; the emulator never names the demo.

The emulator is an optional app (``datocms_app.emulator``): the core defines hooks and the
app fills them in its ``ready()``. These tests read every module's source (no import), so a
new ``import``, relative import or importlib string anywhere outside ``emulator/`` fails here
naming the file and the line. Prose that mentions the app (docstrings, comments, an error
message telling you to add it to ``INSTALLED_APPS``) is allowed; a dotted path into it is not.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import datocms_app

PACKAGE = Path(datocms_app.__file__).resolve().parent
EMULATOR = "datocms_app.emulator"
#: A string that is an importable path into the emulator (``"datocms_app.emulator.x"``).
DOTTED_PATH = re.compile(r"datocms_app\.emulator(\.\w+)*(:\w+)?")
IMPORT_FUNCTIONS = {"import_module", "import_string", "__import__", "find_spec", "import_callable"}
#: What naming the demo looks like from inside the emulator.
DEMO_NAMES = re.compile(r"\bproject[/.]content|artwork|BASE_DIR|\bdemo\b", re.IGNORECASE)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_emulator(dotted: str) -> bool:
    return dotted == EMULATOR or dotted.startswith(EMULATOR + ".")


def _docstrings(tree: ast.Module) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def emulator_references(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Every way ``source`` (module ``module``) imports or names the emulator for import."""
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    docstrings = _docstrings(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if _is_emulator(a.name)]  # fmt: skip
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            names = [f"{base}.{alias.name}" for alias in node.names]
            if _is_emulator(base) or any(_is_emulator(name) for name in names):
                found.append(f"line {node.lineno}: from {'.' * node.level}{node.module or ''} "
                             f"import {', '.join(a.name for a in node.names)}")  # fmt: skip
        elif isinstance(node, ast.Call):
            called = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            arguments = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
            if called in IMPORT_FUNCTIONS and any("emulator" in str(a) for a in arguments):
                found.append(f"line {node.lineno}: {called}({arguments[0]!r})")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and DOTTED_PATH.fullmatch(node.value.strip())
        ):
            found.append(f"line {node.lineno}: the string {node.value!r}")
    return sorted(set(found), key=lambda entry: (int(entry.split()[1].rstrip(":")), entry))


def core_modules(root: Path) -> list[Path]:
    emulator = root / "emulator"
    return sorted(path for path in root.rglob("*.py") if emulator not in path.parents)


def scan_core(root: Path) -> dict[str, list[str]]:
    """``{file: [references]}`` for every core module of the package at ``root``."""
    problems = {}
    for path in core_modules(root):
        found = emulator_references(
            path.read_text(encoding="utf-8"),
            module_name(path, root),
            is_package=path.name == "__init__.py",
        )
        if found:
            problems[str(path.relative_to(root.parent))] = found
    return problems


def test_no_core_module_imports_the_emulator() -> None:
    assert len(core_modules(PACKAGE)) > 40  # the scan really reads the core
    problems = scan_core(PACKAGE)
    assert problems == {}, "the core reaches for datocms_app.emulator:\n" + "\n".join(
        f"{path}: {'; '.join(found)}" for path, found in problems.items()
    )


def test_the_emulator_names_no_demo_file() -> None:
    problems = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in sorted((PACKAGE / "emulator").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DEMO_NAMES.search(line)
    ]
    assert problems == [], "the emulator knows the demo:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("import datocms_app.emulator.embedded\n", "datocms_app.conf",
         ["line 1: import datocms_app.emulator.embedded"]),
        ("from datocms_app.emulator import conf\n", "datocms_app.checks",
         ["line 1: from datocms_app.emulator import conf"]),
        ("from datocms_app import emulator\n", "datocms_app.checks",
         ["line 1: from datocms_app import emulator"]),
        ("from . import emulator\n", "datocms_app.urls", ["line 1: from . import emulator"]),
        ("from .emulator.views import emulator_asset\n", "datocms_app.urls",
         ["line 1: from .emulator.views import emulator_asset"]),
        ("from ..emulator import embedded\n", "datocms_app.cda.client",
         ["line 1: from ..emulator import embedded"]),
        ("def f():\n    from datocms_app.emulator.content import load_project\n",
         "datocms_app.checks", ["line 2: from datocms_app.emulator.content import load_project"]),
        ("import importlib\nm = importlib.import_module('datocms_app.emulator.embedded')\n",
         "datocms_app.cda", ["line 2: import_module('datocms_app.emulator.embedded')",
                             "line 2: the string 'datocms_app.emulator.embedded'"]),
        ("PATH = 'datocms_app.emulator.offline_backend.client_options'\n", "datocms_app.conf",
         ["line 1: the string 'datocms_app.emulator.offline_backend.client_options'"]),
        ('"""Mentions datocms_app.emulator.embedded in prose."""\n', "datocms_app.conf", []),
        ("raise ValueError(\"add 'datocms_app.emulator' to INSTALLED_APPS\")\n",
         "datocms_app.cda", []),
        ("from datocms_app.emulators import x\nfrom .cda import hooks\n", "datocms_app.checks", []),
    ],
)  # fmt: skip
def test_the_scan_sees_every_form(source: str, module: str, expected: list[str]) -> None:
    assert emulator_references(source, module, is_package=module == "datocms_app.cda") == expected


# -- the import rules of docs/architecture.md --------------------------------------------------

#: What each part of datocms_app must never import (docs/architecture.md, "Who may import whom").
#: A part is the first name under ``datocms_app`` (a module or a package).
BASE = {
    "conf",
    "exceptions",
    "flows",
    "escaping",
    "content_problems",
    "validation_errors",
    "http_clients",
}
RENDERERS = {"structured_text", "images", "seo"}
EVERYTHING = {
    *BASE,
    *RENDERERS,
    "checks",
    "signals",
    "apps",
    "urls",
    "cda",
    "caching",
    "webhooks",
    "templatetags",
    "preview",
    "cma",
    "management",
    "emulator",
}
NEVER: dict[str, set[str]] = {
    **dict.fromkeys(BASE, EVERYTHING - BASE),
    "cda": {"caching", "webhooks", "preview", "cma", "templatetags", *RENDERERS},
    "caching": {"preview", "cma", "templatetags", *RENDERERS},
    "webhooks": {"preview", "cma", "templatetags", *RENDERERS},
    **{part: {"cda", "caching", "webhooks", "preview", "cma"} for part in RENDERERS},
    "templatetags": {"cda", "caching", "webhooks", "cma"},
    "preview": {"cma"},
    # cma checks structured text payloads with structured_text's dast validator.
    "cma": {"cda", "caching", "webhooks", "preview", "templatetags", "images", "seo"},
}


def imported_parts(source: str, module: str, *, is_package: bool) -> set[str]:
    """The parts of datocms_app that ``source`` imports (absolute or relative imports)."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for name in names:
            parts = name.split(".")
            if parts[0] == "datocms_app" and len(parts) > 1 and parts[1] in EVERYTHING:
                found.add(parts[1])
    return found


def test_each_part_imports_only_what_the_architecture_allows() -> None:
    problems = []
    for path in core_modules(PACKAGE):
        module = module_name(path, PACKAGE)
        part = module.split(".")[1] if "." in module else ""
        forbidden = NEVER.get(part, set())
        imported = imported_parts(
            path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"
        )
        for other in sorted((imported - {part}) & forbidden):
            problems.append(f"{path.relative_to(PACKAGE.parent)} ({part}) imports {other}")
    assert problems == [], "see docs/architecture.md:\n" + "\n".join(problems)


def test_the_cda_client_knows_no_cache() -> None:
    # The measure of issue 12, spelled out: nothing under cda/ imports caching.
    for path in sorted((PACKAGE / "cda").rglob("*.py")):
        module = module_name(path, PACKAGE)
        parts = imported_parts(
            path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"
        )
        assert "caching" not in parts, path


def test_the_library_test_settings_import_no_demo_module() -> None:
    settings = Path(__file__).resolve().parents[1] / "settings.py"
    tree = ast.parse(settings.read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert [name for name in imported if name and name.split(".")[0] == "project"] == []


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("from datocms_app.caching import collector\n", "datocms_app.cda.client", {"caching"}),
        ("from ..caching.stores import get_store\n", "datocms_app.cda.client", {"caching"}),
        ("from . import hooks\n", "datocms_app.cda.client", {"cda"}),
        ("import datocms_app.preview.views\n", "datocms_app.caching.page_cache", {"preview"}),
        ("from datocms_app import seo, images\n", "datocms_app.templatetags.datocms",
         {"seo", "images"}),
        ("import httpx\nfrom django.conf import settings\n", "datocms_app.conf", set()),
    ],
)  # fmt: skip
def test_the_import_scan_sees_every_form(source: str, module: str, expected: set[str]) -> None:
    assert imported_parts(source, module, is_package=False) == expected
