"""Record nodes in HTML: which record a node points at, and what renders it.

``RecordLookup`` finds the record of a ``block``/``inlineBlock``/``inlineItem``/``itemLink``
node in the value's ``blocks``/``inlineBlocks``/``links`` (indexed once per rendering);
``render_record`` renders it with the first of ``renderers[typename]``, the kind's callable,
``STRUCTURED_TEXT_RENDERERS`` and the template found by convention (``records``).

Neither reports anything: they return the problem as a message, and the renderer applies
``datocms_app.content_problems`` (raise under DEBUG, else log and fall back).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.template import Context
from django.utils.safestring import SafeString

from datocms_app.escaping import escape_attr
from datocms_app.structured_text.nodes import RECORD_LISTS, StructuredText, record_id
from datocms_app.structured_text.records import (
    RecordContext,
    RecordRenderFunc,
    find_record_template,
    load_settings_renderer,
    render_record_template,
    template_stem,
)

__all__ = ["RecordLookup", "render_output", "render_record"]


def render_output(result: object) -> str:
    """A rule's or renderer's result as HTML: safe strings as they are, anything else escaped."""
    if result is None:
        return ""
    html = getattr(result, "__html__", None)
    if html is not None:
        return str(html())
    return escape_attr(str(result))


class RecordLookup:
    """The records that came with one value, indexed by id on first use."""

    def __init__(self, source: StructuredText) -> None:
        self.source = source
        self._indexes: dict[str, dict[str, Any] | None] = {}

    def _index(self, attribute_name: str) -> dict[str, Any] | None:
        try:
            return self._indexes[attribute_name]
        except KeyError:
            pass
        records = getattr(self.source, attribute_name)
        index: dict[str, Any] | None = None
        if records is not None:
            index = {}
            for record in records:
                found_id = record_id(record)
                if isinstance(found_id, str) and found_id not in index:
                    index[found_id] = record
        self._indexes[attribute_name] = index
        return index

    def find(self, kind: str, item: object) -> tuple[Any, str]:
        """``(record, "")``, or ``(None, what is wrong)``."""
        attribute_name, key = RECORD_LISTS[kind]
        if item.__class__ is not str or not item:
            return None, f'"{kind}" node has no record id in "item" (got {item!r})'
        records = self._index(attribute_name)
        if records is None:
            return None, (
                f'"{kind}" node points at record {item!r}, but no .{key} came with the '
                "document: pass the whole structured text field value "
                '({"value": ..., "blocks": [...], "links": [...], "inlineBlocks": [...]}), '
                f"not its .value, and query {key} {{ __typename id ... }}"
            )
        record = records.get(item)
        if record is None:
            present = ", ".join(sorted(records)[:10]) or "none"
            return None, (
                f'"{kind}" node points at record {item!r}, which is not in .{key} (ids present: '
                f"{present}); select it in your GraphQL query's {key} {{ __typename id ... }}"
            )
        return record, ""


def _missing_template(kind: str, node: dict[str, Any], typename: str | None) -> str:
    item = node.get("item")
    key = RECORD_LISTS[kind][1]
    if typename is None:
        return (
            f"record {item!r} in .{key} has no __typename, so its template cannot be found: "
            f"add __typename to the {key} selection of your GraphQL query"
        )
    if template_stem(typename) is None:
        return (
            f"record {item!r} in .{key} has the __typename {typename!r}, which is not a "
            "GraphQL type name, so no template is looked up for it"
        )
    return (
        f'no template or renderer for {typename} (record {item!r} in a "{kind}" node): '
        f'create one of the templates tried, or pass renderers={{"{typename}": ...}}'
    )


def render_record(
    context: RecordContext,
    *,
    typename: str | None,
    renderers: Mapping[str, RecordRenderFunc],
    kind_callable: RecordRenderFunc | None,
    template_dir: str,
    template_context: Context | Mapping[str, Any] | None,
    request: HttpRequest | None,
) -> tuple[str | None, str, tuple[str, ...]]:
    """``(html, "", names)``, or ``(None, what is missing, templates tried)``."""
    renderer = (renderers.get(typename) if typename else None) or kind_callable
    if renderer is None and typename:
        renderer = load_settings_renderer(typename)
    if renderer is not None:
        return render_output(renderer(context)), "", ()
    names, template = find_record_template(context.kind, typename, template_dir)
    if template is None:
        return None, _missing_template(context.kind, context.node, typename), names
    values = {
        "record": context.record,
        "node": context.node,
        "children": SafeString(context.children),
        "url": context.url,
        "meta": context.meta or {},
        "attrs": context.attrs,
    }
    return render_record_template(template, values, template_context, request), "", names
