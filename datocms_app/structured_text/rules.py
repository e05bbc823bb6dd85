"""Custom rendering rules: the Python twins of ``renderNodeRule`` and ``renderMarkRule``.

``node_rule(guard, render)`` renders the nodes its guard accepts (a node type, several
types, or a predicate on the node) instead of the standard rule; ``mark_rule(guard,
render)`` does the same for marks on spans. Rules are tried in order, before the standard
ones. A rule returns HTML marked safe (``format_html``, ``SafeString``); a plain ``str`` is
escaped, ``None`` renders nothing::

    from django.utils.html import format_html
    from datocms_app.structured_text import mark_rule, node_rule, render_html

    render_html(
        value,
        custom_node_rules=[
            node_rule("heading", lambda ctx: format_html(
                '<h{} class="title">{}</h{}>', ctx.node["level"] + 1, ctx.children,
                ctx.node["level"] + 1)),
        ],
        custom_mark_rules=[
            mark_rule("strong", lambda ctx: format_html("<b>{}</b>", ctx.children)),
        ],
    )
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString

from datocms_app.exceptions import InvalidArgument

if TYPE_CHECKING:
    from datocms_app.structured_text.html import HtmlRenderer

__all__ = ["MarkContext", "MarkRule", "NodeContext", "NodeRule", "mark_rule", "node_rule"]


class NodeContext:
    """What a node rule gets. ``children`` (the node's rendered children), ``ancestors``
    (nearest first) and ``path`` are computed on first use; ``default()`` is the standard
    rendering of the node, for rules that wrap it."""

    __slots__ = ("_children", "_renderer", "node")

    def __init__(self, node: dict[str, Any], renderer: HtmlRenderer) -> None:
        self.node = node
        self._renderer = renderer
        self._children: SafeString | None = None

    @property
    def children(self) -> SafeString:
        if self._children is None:
            self._children = SafeString(self._renderer.render_children(self.node))
        return self._children

    @property
    def ancestors(self) -> tuple[dict[str, Any], ...]:
        return self._renderer.ancestors_of(self.node)

    @property
    def path(self) -> str:
        return self._renderer.path_of(self.node)

    @property
    def context(self) -> Any:
        """The surrounding template context (or mapping) passed to ``render_html``."""
        return self._renderer.context

    def default(self) -> SafeString:
        return SafeString(self._renderer.render_standard(self.node))


@dataclass(frozen=True, slots=True)
class MarkContext:
    """What a mark rule gets: the mark, the HTML it wraps, and the span it is on."""

    mark: str
    children: SafeString
    node: dict[str, Any]


@dataclass(frozen=True, slots=True)
class NodeRule:
    applies: Callable[[dict[str, Any]], bool]
    render: Callable[[NodeContext], str | None]


@dataclass(frozen=True, slots=True)
class MarkRule:
    applies: Callable[[str], bool]
    render: Callable[[MarkContext], str | None]


def _guard(guard: object, what: str, function: str) -> Callable[[Any], bool]:
    if isinstance(guard, str):
        return lambda value: (value.get("type") if what == "node" else value) == guard
    if isinstance(guard, Iterable) and not callable(guard):
        names = frozenset(guard)
        if not all(isinstance(name, str) for name in names):
            raise InvalidArgument(f"{function}(): guard names must be strings, got {guard!r}.")
        return lambda value: (value.get("type") if what == "node" else value) in names
    if callable(guard):
        return guard
    raise InvalidArgument(
        f"{function}() takes a {what} type, a list of them or a predicate as its guard, "
        f"got {type(guard).__name__}. Example: {function}('heading', render)."
    )


def node_rule(
    guard: str | Iterable[str] | Callable[[dict[str, Any]], bool],
    render: Callable[[NodeContext], str | None],
) -> NodeRule:
    """A rule rendering the nodes ``guard`` accepts with ``render(NodeContext)``."""
    if not callable(render):
        raise InvalidArgument("node_rule(guard, render): render must be callable.")
    return NodeRule(applies=_guard(guard, "node", "node_rule"), render=render)


def mark_rule(
    guard: str | Iterable[str] | Callable[[str], bool],
    render: Callable[[MarkContext], str | None],
) -> MarkRule:
    """A rule rendering the marks ``guard`` accepts with ``render(MarkContext)``."""
    if not callable(render):
        raise InvalidArgument("mark_rule(guard, render): render must be callable.")
    return MarkRule(applies=_guard(guard, "mark", "mark_rule"), render=render)
