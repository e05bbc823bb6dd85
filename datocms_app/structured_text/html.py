"""``render_html()``: structured text to HTML, as ``datocms-structured-text-to-html-string`` does.

With no options the output is the reference's for every standard node and mark: same
elements, nesting, attributes and attribute order, ``\\n`` in spans as ``<br>``, every text and
attribute value escaped (``'`` is written ``&#x27;`` like Django's ``escape``, where the
reference writes ``&apos;``). We are deliberately safer where the reference is not:
dangerous link URLs lose their ``href`` and link attributes are allow-listed
(``datocms_app.structured_text.links``), unknown marks and invalid heading levels never
become tag names, and text that happens to equal earlier output is still escaped.

Standard nodes are built as strings on the hot path, without templates, escaping every value
through ``datocms_app.escaping``; records go through ``records`` (templates or callables).
Content surprises follow ``datocms_app.content_problems``: raise under ``DEBUG``, else log and
fall back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import KW_ONLY, dataclass
from typing import Any, ClassVar, Final

from django.http import HttpRequest
from django.template import Context
from django.utils.safestring import SafeString

from datocms_app.content_problems import report_structured_text_problem
from datocms_app.escaping import attribute, escape_attr
from datocms_app.exceptions import InvalidArgument
from datocms_app.structured_text.depth import render_document
from datocms_app.structured_text.links import (
    MetaTransformer,
    default_meta_transformer,
    is_safe_link_attribute,
    safe_url,
)
from datocms_app.structured_text.nodes import (
    MARK_TAGS,
    StructuredText,
    iter_nodes,
    path_of,
    read_value,
)
from datocms_app.structured_text.record_nodes import RecordLookup, render_output, render_record
from datocms_app.structured_text.records import (
    DEFAULT_TEMPLATE_DIR,
    RecordContext,
    RecordRenderFunc,
    check_callable,
    get_record_url_resolver,
    record_callables,
    record_typename,
)
from datocms_app.structured_text.rules import MarkContext, MarkRule, NodeContext, NodeRule

__all__ = ["HtmlRenderer", "render_html"]

logger = logging.getLogger("datocms_app.structured_text")

_MARK_WRAP: Final = {mark: ("<" + tag + ">", "</" + tag + ">") for mark, tag in MARK_TAGS.items()}
_HEADINGS: Final = {
    level: ("<h" + str(level) + ">", "</h" + str(level) + ">") for level in range(1, 7)
}


def _attribute_value(value: object) -> str | bool | None:
    if value is None or isinstance(value, (str, bool)):
        return value
    return str(value)


@dataclass(eq=False, repr=False)
class HtmlRenderer:
    """One rendering of one value. Built by ``render_html``; rules reach it via NodeContext."""

    source: StructuredText
    _: KW_ONLY
    node_rules: tuple[NodeRule, ...]
    mark_rules: tuple[MarkRule, ...]
    meta_transformer: MetaTransformer
    record_callables: Mapping[str, RecordRenderFunc | None]
    renderers: Mapping[str, RecordRenderFunc]
    template_dir: str
    context: Context | Mapping[str, Any] | None
    request: HttpRequest | None

    def __post_init__(self) -> None:
        self.records = RecordLookup(self.source)
        self._parents: dict[int, dict[str, Any] | None] | None = None
        self.render_node: Callable[[Any], str] = (
            self._render_with_rules if self.node_rules else self.render_standard
        )

    # -- dispatch ---------------------------------------------------------------------------

    def render_standard(self, node: Any) -> str:
        try:
            method = self._STANDARD[node["type"]]
        except (KeyError, TypeError):
            return self._unknown(node)
        return method(self, node)

    def _render_with_rules(self, node: Any) -> str:
        if isinstance(node, dict):
            for rule in self.node_rules:
                if rule.applies(node):
                    return render_output(rule.render(NodeContext(node, self)))
        return self.render_standard(node)

    def render_children(self, node: dict[str, Any]) -> str:
        children = node.get("children")
        if children.__class__ is not list:
            if children is not None:
                self._report(node, f'"{node.get("type")}" children must be a list', "nothing")
            return ""
        if self.node_rules:
            render = self.render_node
            return "".join([render(child) for child in children])
        # The hot path: render_standard inlined (one call per node fewer).
        standard = self._STANDARD
        parts = []
        for child in children:
            try:
                method = standard[child["type"]]
            except (KeyError, TypeError):
                parts.append(self._unknown(child))
                continue
            parts.append(method(self, child))
        return "".join(parts)

    # -- problems and introspection -----------------------------------------------------------

    def path_of(self, node: object) -> str:
        return path_of(self.source.node, node, self.source.prefix)

    def ancestors_of(self, node: dict[str, Any]) -> tuple[dict[str, Any], ...]:
        if self._parents is None:
            self._parents = {
                id(child): parent for child, _path, parent in iter_nodes(self.source.node)
            }
        ancestors = []
        parent = self._parents.get(id(node))
        while parent is not None:
            ancestors.append(parent)
            parent = self._parents.get(id(parent))
        return tuple(ancestors)

    def _report(
        self, node: object, message: str, rendered: str, tried: tuple[str, ...] = ()
    ) -> None:
        report_structured_text_problem(
            message, path=self.path_of(node), node=node, rendered=rendered, templates_tried=tried
        )

    def _unknown(self, node: Any) -> str:
        if not isinstance(node, dict):
            self._report(
                node, f"a dast node must be a JSON object, got {type(node).__name__}", "nothing"
            )
            return ""
        node_type = node.get("type")
        has_children = isinstance(node.get("children"), list)
        self._report(
            node,
            f"Unknown node type {node_type!r}: render it with "
            f"custom_node_rules=[node_rule({node_type!r}, ...)]",
            "its text" if has_children else "nothing",
        )
        return self.render_children(node) if has_children else ""

    # -- standard nodes -------------------------------------------------------------------------

    def _root(self, node: dict[str, Any]) -> str:
        return self.render_children(node)

    def _paragraph(self, node: dict[str, Any]) -> str:
        return "<p>" + self.render_children(node) + "</p>"

    def _heading(self, node: dict[str, Any]) -> str:
        level = node.get("level")
        tags = _HEADINGS.get(level) if level.__class__ is int else None
        if tags is None:
            self._report(node, f"heading level must be 1 to 6, got {level!r}", "its text")
            return self.render_children(node)
        return tags[0] + self.render_children(node) + tags[1]

    def _list(self, node: dict[str, Any]) -> str:
        if node.get("style") == "bulleted":
            return "<ul>" + self.render_children(node) + "</ul>"
        return "<ol>" + self.render_children(node) + "</ol>"

    def _list_item(self, node: dict[str, Any]) -> str:
        return "<li>" + self.render_children(node) + "</li>"

    def _blockquote(self, node: dict[str, Any]) -> str:
        html = self.render_children(node)
        attribution = node.get("attribution")
        if attribution:
            html += "<footer>" + escape_attr(str(attribution)) + "</footer>"
        return "<blockquote>" + html + "</blockquote>"

    def _code(self, node: dict[str, Any]) -> str:
        language = node.get("language")
        code = node.get("code")
        text = "" if code is None else escape_attr(code if code.__class__ is str else str(code))
        if language is None or language is False:
            return "<pre><code>" + text + "</code></pre>"
        return (
            '<pre data-language="'
            + escape_attr(str(language))
            + '"><code>'
            + text
            + "</code></pre>"
        )

    def _thematic_break(self, node: dict[str, Any]) -> str:
        return "<hr>"

    def _span(self, node: dict[str, Any]) -> str:
        value = node.get("value")
        if value.__class__ is not str:
            self._report(
                node, f"span value must be a string, got {type(value).__name__}", "nothing"
            )
            return ""
        html = escape_attr(value)
        if "\n" in html:
            html = html.replace("\n", "<br>")
        marks = node.get("marks")
        if not marks:
            return html
        if marks.__class__ is not list:
            self._report(node, f"span marks must be a list, got {type(marks).__name__}", "its text")
            return html
        for mark in marks:
            # The reference renders nothing for an empty span with marks (no empty <strong>).
            if not html:
                return ""
            if self.mark_rules:
                rule = next((rule for rule in self.mark_rules if rule.applies(mark)), None)
                if rule is not None:
                    html = render_output(rule.render(MarkContext(mark, SafeString(html), node)))
                    continue
            wrap = _MARK_WRAP.get(mark) if mark.__class__ is str else None
            if wrap is None:
                self._report(
                    node,
                    f"No rule for the mark {mark!r}: render it with "
                    f"custom_mark_rules=[mark_rule({mark!r}, ...)]",
                    "its text",
                )
                continue
            html = wrap[0] + html + wrap[1]
        return html

    def _link(self, node: dict[str, Any]) -> str:
        children = self.render_children(node)
        attrs = self._meta_attributes(node)[1] if node.get("meta") else ""
        url = node.get("url")
        if url is None:
            return "<a" + attrs + ">" + children + "</a>"
        if url.__class__ is not str:
            self._report(node, f"link url must be a string, got {type(url).__name__}", "its text")
            return children
        if safe_url(url) is None:
            logger.warning(
                "Refused the link URL %r at %s: it could run script", url[:80], self.path_of(node)
            )
            return "<a" + attrs + ">" + children + "</a>"
        return "<a" + attrs + ' href="' + escape_attr(url) + '">' + children + "</a>"

    def _meta_attributes(self, node: dict[str, Any]) -> tuple[dict[str, object], str]:
        meta = node.get("meta")
        if meta.__class__ is not list:
            self._report(
                node, f"meta must be a list of {{id, value}}, got {type(meta).__name__}", "its text"
            )
            return {}, ""
        transformed = self.meta_transformer(node, meta)
        if not transformed:
            return {}, ""
        kept: dict[str, object] = {}
        parts = []
        for name, value in transformed.items():
            if not isinstance(name, str) or not is_safe_link_attribute(name):
                self._report(
                    node,
                    f"the meta transformer returned the attribute {name!r}, "
                    "which links may not carry",
                    "its text",
                )
                continue
            kept[name] = value
            parts.append(attribute(name, _attribute_value(value)))
        return kept, "".join(parts)

    # -- records -------------------------------------------------------------------------------

    def _record(self, node: dict[str, Any], kind: str) -> str:
        children = self.render_children(node) if kind == "itemLink" else ""
        rendered = "its text" if kind == "itemLink" else "nothing"
        record, problem = self.records.find(kind, node.get("item"))
        if problem:
            self._report(node, problem, rendered)
            return children
        url: str | None = None
        meta: dict[str, object] | None = None
        attrs = ""
        if kind == "inlineItem" or kind == "itemLink":
            url = self._url(node, record)
            if kind == "itemLink" and node.get("meta"):
                meta, attrs = self._meta_attributes(node)
        context = RecordContext(
            kind=kind,
            record=record,
            node=node,
            children=SafeString(children),
            url=url,
            meta=meta,
            attrs=SafeString(attrs),
            context=self.context,
            request=self.request,
        )
        html, problem, tried = render_record(
            context,
            typename=record_typename(record),
            renderers=self.renderers,
            kind_callable=self.record_callables[kind],
            template_dir=self.template_dir,
            template_context=self.context,
            request=self.request,
        )
        if html is None:
            self._report(node, problem, rendered, tried)
            return children
        return html

    def _url(self, node: dict[str, Any], record: Any) -> str | None:
        url: object = get_record_url_resolver()(record)
        if url is None:
            return None
        if not isinstance(url, str):
            self._report(
                node,
                f"RECORD_URL_RESOLVER returned {type(url).__name__}, not str or None",
                "its text",
            )
            return None
        if safe_url(url) is None:
            logger.warning(
                "Refused the record URL %r at %s: it could run script", url[:80], self.path_of(node)
            )
            return None
        return url

    def _block(self, node: dict[str, Any]) -> str:
        return self._record(node, "block")

    def _inline_block(self, node: dict[str, Any]) -> str:
        return self._record(node, "inlineBlock")

    def _inline_item(self, node: dict[str, Any]) -> str:
        return self._record(node, "inlineItem")

    def _item_link(self, node: dict[str, Any]) -> str:
        return self._record(node, "itemLink")

    _STANDARD: ClassVar[dict[str, Callable[[HtmlRenderer, dict[str, Any]], str]]] = {
        "root": _root,
        "paragraph": _paragraph,
        "heading": _heading,
        "list": _list,
        "listItem": _list_item,
        "blockquote": _blockquote,
        "code": _code,
        "thematicBreak": _thematic_break,
        "span": _span,
        "link": _link,
        "itemLink": _item_link,
        "inlineItem": _inline_item,
        "inlineBlock": _inline_block,
        "block": _block,
    }


def _rules(name: str, rules: Iterable[object], kind: type) -> tuple[Any, ...]:
    found = tuple(rules)
    for rule in found:
        if not isinstance(rule, kind):
            helper = "node_rule" if kind is NodeRule else "mark_rule"
            raise InvalidArgument(
                f"render_html(): {name} takes rules made with {helper}(guard, render), "
                f"got {type(rule).__name__}."
            )
    return found


def render_html(
    value: object,
    *,
    custom_node_rules: Iterable[NodeRule] = (),
    custom_mark_rules: Iterable[MarkRule] = (),
    meta_transformer: MetaTransformer | None = None,
    render_block: RecordRenderFunc | None = None,
    render_inline_block: RecordRenderFunc | None = None,
    render_inline_record: RecordRenderFunc | None = None,
    render_link_to_record: RecordRenderFunc | None = None,
    renderers: Mapping[str, RecordRenderFunc] | None = None,
    template_dir: str = DEFAULT_TEMPLATE_DIR,
    context: Context | Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> SafeString:
    """Render a structured text value (field value, document, node or ``None``) as HTML.

    Records render through ``renderers`` (typename -> callable), the ``render_*`` callables,
    ``STRUCTURED_TEXT_RENDERERS`` or templates under ``template_dir`` (then the default
    ``datocms/structured_text``); see ``datocms_app.structured_text.records``. ``context``
    (a template ``Context`` or a mapping) and ``request`` reach the record templates.
    """
    source = read_value(value, caller="render_html")
    check_callable("render_html", "meta_transformer", meta_transformer)
    callables = record_callables(
        "render_html",
        render_block,
        render_inline_block,
        render_inline_record,
        render_link_to_record,
    )
    if renderers is not None and (
        not isinstance(renderers, Mapping)
        or not all(
            isinstance(typename, str) and callable(renderer)
            for typename, renderer in renderers.items()
        )
    ):
        raise InvalidArgument(
            "render_html(): renderers maps GraphQL type names to callables, e.g. "
            '{"ImageBlockRecord": render_image_block}.'
        )
    if not isinstance(template_dir, str) or not template_dir.strip("/"):
        raise InvalidArgument(
            f"render_html(): template_dir must be a template folder such as "
            f"'amp/structured_text', got {template_dir!r}."
        )
    if context is not None and not isinstance(context, (Context, Mapping)):
        raise InvalidArgument(
            "render_html(): context must be a template Context or a dict, "
            f"got {type(context).__name__}."
        )
    node_rules = _rules("custom_node_rules", custom_node_rules, NodeRule)
    mark_rules = _rules("custom_mark_rules", custom_mark_rules, MarkRule)
    if source is None:
        return SafeString("")
    renderer = HtmlRenderer(
        source,
        node_rules=node_rules,
        mark_rules=mark_rules,
        meta_transformer=meta_transformer or default_meta_transformer,
        record_callables=callables,
        renderers=renderers or {},
        template_dir=template_dir.strip("/"),
        context=context,
        request=request if request is not None else getattr(context, "request", None),
    )
    return SafeString(render_document(renderer.render_node, source))
