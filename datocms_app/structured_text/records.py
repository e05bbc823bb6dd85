"""Records inside structured text, the Django way: templates found by ``__typename``.

``block``, ``inlineBlock``, ``inlineItem`` and ``itemLink`` nodes point at records that the
CDA returns beside the document (``blocks``, ``inlineBlocks``, ``links``). Each renders with
the first of:

1. a Python callable for its ``__typename`` passed as ``renderers={...}``;
2. the general callable for its kind (``render_block=``, ``render_inline_block=``,
   ``render_inline_record=``, ``render_link_to_record=``);
3. a callable named in ``settings.DATOCMS["STRUCTURED_TEXT_RENDERERS"]`` for its typename;
4. a template found by convention (``ImageBlockRecord`` -> ``image_block``)::

       datocms/structured_text/blocks/image_block.html
       datocms/structured_text/inline_blocks/mention_block.html
       datocms/structured_text/inline_records/article.html   (then .../default.html)
       datocms/structured_text/record_links/article.html     (then .../default.html)

Templates see ``record``, ``node``, ``children`` (the link's rendered text, for record
links), ``url`` (from ``RECORD_URL_RESOLVER``, for inline records and record links),
``meta``/``attrs`` (the link's allow-listed meta, as a dict and as attributes) and the
surrounding template context. Template lookups are cached per typename; the cache is cleared
when ``TEMPLATES`` changes and whenever the development server sees a file change.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template import Context, TemplateDoesNotExist
from django.template.base import Template as DjangoTemplate
from django.template.loader import select_template
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from datocms_app.conf import get_settings
from datocms_app.exceptions import ConfigurationError, InvalidArgument
from datocms_app.structured_text.nodes import RECORD_OPTIONS

__all__ = [
    "DEFAULT_TEMPLATE_DIR",
    "NoRecordURLs",
    "RecordContext",
    "RecordRenderFunc",
    "RecordRenderer",
    "RecordURLResolver",
    "SkipRecord",
    "check_callable",
    "clear_template_cache",
    "find_record_template",
    "get_record_url_resolver",
    "import_callable",
    "load_settings_renderer",
    "record_callables",
    "record_template_names",
    "record_typename",
    "render_record_template",
    "resolve_record_url",
    "template_stem",
]

DEFAULT_TEMPLATE_DIR: Final = "datocms/structured_text"

# node type -> (template folder, whether a default.html closes the list)
_FOLDERS: Final[Mapping[str, tuple[str, bool]]] = {
    "block": ("blocks", False),
    "inlineBlock": ("inline_blocks", False),
    "inlineItem": ("inline_records", True),
    "itemLink": ("record_links", True),
}
_GRAPHQL_NAME: Final = re.compile(r"[_A-Za-z][_0-9A-Za-z]*\Z")
_WORD_BOUNDARY: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(frozen=True, slots=True)
class RecordContext:
    """What a record renderer gets: the record, its node and where it sits.

    ``kind`` is the node type (``"block"``, ``"inlineBlock"``, ``"inlineItem"``,
    ``"itemLink"``). ``children`` is the rendered link text of an ``itemLink`` (HTML for
    ``render_html``, text for ``render_plain_text``), ``""`` otherwise. ``url`` comes from
    ``RECORD_URL_RESOLVER`` for ``inlineItem``/``itemLink``. ``meta`` holds the link's
    allow-listed meta attributes and ``attrs`` the same as HTML attributes. ``context`` is the
    surrounding template context (or mapping) when there is one.
    """

    kind: str
    record: Any
    node: dict[str, Any]
    children: str = ""
    url: str | None = None
    meta: Mapping[str, object] | None = None
    attrs: SafeString = field(default_factory=lambda: SafeString(""))
    context: Context | Mapping[str, Any] | None = None
    request: HttpRequest | None = None

    @property
    def typename(self) -> str | None:
        """The record's ``__typename`` (``"ImageBlockRecord"``), if the query asked for it."""
        return record_typename(self.record)


RecordRenderFunc = Callable[[RecordContext], str | None]


class RecordRenderer:
    """Base class for renderers named in ``DATOCMS["STRUCTURED_TEXT_RENDERERS"]``.

    Any callable taking a ``RecordContext`` works; a class like this one is instantiated
    once (without arguments). Return HTML marked safe (``format_html``,
    ``render_to_string``): a plain ``str`` is escaped. ``None`` renders nothing.
    """

    do_not_call_in_templates = True

    def render(self, context: RecordContext) -> str | None:
        raise NotImplementedError("RecordRenderer subclasses must implement render(context)")

    def __call__(self, context: RecordContext) -> str | None:
        return self.render(context)


class SkipRecord(RecordRenderer):
    """Render nothing, on purpose and without a warning (a type this site does not show)."""

    def render(self, context: RecordContext) -> str | None:
        return None


class RecordURLResolver:
    """Base class for ``DATOCMS["RECORD_URL_RESOLVER"]``: the URL of a record.

    A plain function ``f(record) -> str | None`` works as well; ``None`` means "this record
    has no page", and record links then render their text only. ``record`` is a CDA record
    (the fields the query selected, ``__typename`` among them). The Web Previews plugin's
    preview links (``datocms_app.preview.links``) call the same resolver with the record as
    DatoCMS's Content Management API describes it, normalised to the same shape, and the
    locale the editor is looking at: a resolver that takes a ``locale`` keyword (a
    ``resolve(self, record, *, locale=None)`` here) receives it, and every resolver runs with
    that locale's language active, so ``reverse()`` gives the URL in that language.
    """

    do_not_call_in_templates = True

    def resolve(self, record: Any) -> str | None:
        raise NotImplementedError("RecordURLResolver subclasses must implement resolve(record)")

    def __call__(self, record: Any, *, locale: str | None = None) -> str | None:
        if locale is not None and _takes_locale(self.resolve):
            return self.resolve(record, locale=locale)  # type: ignore[call-arg]
        return self.resolve(record)


class NoRecordURLs(RecordURLResolver):
    """No record has a URL (the behaviour when ``RECORD_URL_RESOLVER`` is not set)."""

    def resolve(self, record: Any) -> str | None:
        return None


def check_callable(caller: str, option: str, value: object) -> None:
    """Raise ``InvalidArgument`` unless the ``option`` of ``caller()`` is callable or None."""
    if value is not None and not callable(value):
        raise InvalidArgument(
            f"{caller}(): {option} must be callable or None, got {type(value).__name__}."
        )


def record_callables(caller: str, *functions: object) -> dict[str, Any]:
    """``caller``'s record options by node type, each checked to be callable or None.

    ``functions`` are its ``render_block``, ``render_inline_block``, ``render_inline_record``
    and ``render_link_to_record``, in this order (that of ``RECORD_OPTIONS``).
    """
    callables = dict(zip(RECORD_OPTIONS, functions, strict=True))
    for kind, function in callables.items():
        check_callable(caller, RECORD_OPTIONS[kind], function)
    return callables


def record_typename(record: Any) -> str | None:
    value = record.get("__typename") if isinstance(record, Mapping) else None
    if value is None and not isinstance(record, Mapping):
        value = getattr(record, "__typename", None)
    return value if isinstance(value, str) else None


@functools.cache
def import_callable(dotted_path: str, setting: str, base: type) -> Callable[..., Any]:
    """Import the function (or instantiate the ``base`` subclass) a setting names, once."""
    try:
        loaded = import_string(dotted_path)
    except ImportError as exc:
        raise ConfigurationError(
            f"settings.DATOCMS[{setting!r}] names {dotted_path!r}, which cannot be imported "
            f"({exc}). Give the dotted path of a function or of a {base.__name__} subclass."
        ) from exc
    if isinstance(loaded, type):
        loaded = loaded()
    if not callable(loaded):
        raise ConfigurationError(
            f"settings.DATOCMS[{setting!r}] names {dotted_path!r}, which is not callable."
        )
    return loaded  # type: ignore[no-any-return]


def get_record_url_resolver() -> Callable[..., str | None]:
    """The configured ``RECORD_URL_RESOLVER``, imported once (``NoRecordURLs`` if unset)."""
    path = get_settings().RECORD_URL_RESOLVER
    if not path:
        return _NO_URLS
    return import_callable(path, "RECORD_URL_RESOLVER", RecordURLResolver)


def resolve_record_url(record: Any, *, locale: str | None = None) -> str | None:
    """``RECORD_URL_RESOLVER``'s URL for ``record``, in ``locale`` when given.

    With a locale, the resolver runs with that language active (when it is one of
    ``settings.LANGUAGES``) and gets ``locale=`` if it takes that keyword. Raises
    ``ConfigurationError`` when the resolver returns something that is not a string or None.
    """
    resolver = get_record_url_resolver()
    if locale is None:
        url = resolver(record)
    else:
        with translation.override(_language_of(locale)):
            url = resolver(record, locale=locale) if _takes_locale(resolver) else resolver(record)
    if url is not None and not isinstance(url, str):
        raise ConfigurationError(
            f"settings.DATOCMS['RECORD_URL_RESOLVER'] returned {type(url).__name__}; it must "
            "return the record's URL as a string, or None when the record has no page."
        )
    return url


def _language_of(locale: str) -> str | None:
    """The Django language for a DatoCMS locale (``pt-BR`` -> ``pt-br``); the active one
    when ``settings.LANGUAGES`` has no variant of it."""
    try:
        return translation.get_supported_language_variant(locale)
    except LookupError:
        return translation.get_language()


def _takes_locale(func: Callable[..., Any]) -> bool:
    """Whether ``func`` accepts a ``locale`` keyword."""
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        parameter.kind is inspect.Parameter.VAR_KEYWORD
        or (
            parameter.name == "locale"
            and parameter.kind
            in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        )
        for parameter in parameters
    )


def load_settings_renderer(typename: str) -> RecordRenderFunc | None:
    path = get_settings().STRUCTURED_TEXT_RENDERERS.get(typename)
    if path is None:
        return None
    return import_callable(path, f"STRUCTURED_TEXT_RENDERERS.{typename}", RecordRenderer)


_NO_URLS: Final = NoRecordURLs()


def template_stem(typename: str) -> str | None:
    """``"ImageBlockRecord"`` -> ``"image_block"``; ``None`` if it is no GraphQL type name."""
    if not _GRAPHQL_NAME.match(typename):
        return None
    name = typename[:-6] if typename.endswith("Record") and len(typename) > 6 else typename
    return _WORD_BOUNDARY.sub("_", name).lower()


def record_template_names(kind: str, typename: str | None, template_dir: str) -> tuple[str, ...]:
    """The templates tried, in order, for a record of ``typename`` in a ``kind`` node."""
    folder, has_default = _FOLDERS[kind]
    dirs = [template_dir]
    if template_dir != DEFAULT_TEMPLATE_DIR:
        dirs.append(DEFAULT_TEMPLATE_DIR)
    stem = template_stem(typename) if typename else None
    names = [f"{directory}/{folder}/{stem}.html" for directory in dirs] if stem else []
    if has_default:
        names += [f"{directory}/{folder}/default.html" for directory in dirs]
    return tuple(names)


# (kind, typename, template_dir) -> (names tried, template found or None)
_template_cache: dict[tuple[str, str | None, str], tuple[tuple[str, ...], Any]] = {}


def find_record_template(
    kind: str, typename: str | None, template_dir: str
) -> tuple[tuple[str, ...], Any]:
    """``(names tried, backend template or None)``, looked up once per typename."""
    key = (kind, typename, template_dir)
    try:
        return _template_cache[key]
    except KeyError:
        pass
    names = record_template_names(kind, typename, template_dir)
    template: Any = None
    if names:
        try:
            template = select_template(list(names))
        except TemplateDoesNotExist:
            template = None
    found = _template_cache[key] = (names, template)
    return found


def clear_template_cache() -> None:
    _template_cache.clear()


@receiver(setting_changed)
def _clear_on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in ("TEMPLATES", "INSTALLED_APPS"):
        clear_template_cache()
    if setting == "DATOCMS":
        import_callable.cache_clear()


@receiver(file_changed)
def _clear_on_file_changed(**kwargs: Any) -> None:
    # runserver resets Django's template loaders on a template change; forget our lookups
    # (including "not found") with them. Returning None lets the autoreloader decide.
    clear_template_cache()


def render_record_template(
    template: Any,
    values: dict[str, Any],
    context: Context | Mapping[str, Any] | None,
    request: HttpRequest | None,
) -> SafeString:
    """Render ``template`` with ``values`` on top of the surrounding ``context``.

    Surrounding whitespace is dropped: the newline that ends most template files would
    otherwise put a space inside a sentence, before the punctuation after an inline record.
    """
    raw = getattr(template, "template", None)
    if isinstance(context, Context) and isinstance(raw, DjangoTemplate):
        # A Django template inside a Django template: render in the same context, like
        # {% include %}, so the record template sees everything the page sees.
        with context.push(values):
            return SafeString(raw.render(context).strip())
    if isinstance(context, Context):
        flat: dict[Any, Any] = dict(context.flatten())
        if request is None:
            request = getattr(context, "request", None)
    else:
        flat = dict(context or {})
    flat.update(values)
    return SafeString(template.render(flat, request).strip())
