"""The one parser of the ``{% load datocms %}`` tags: ``{% tag value [name=value ...] [as var] %}``.

As Wagtail's image tags share one parser, every tag of ``datocms`` is registered with
``register_function_tag`` over the plain function it calls, and written the same way: its
value (or any number of values, for a function taking ``*values``), then options named like
the function's keyword parameters, then an optional ``as var``. A wrong form raises
``TemplateSyntaxError`` ending with the tag's usage string.

Literal options (``sizes="50vw"``, ``priority=True``, ``2``) are resolved once, when the
template is compiled; variables and filters at render time. A single value that resolves to
nothing (``None``, or ``""`` for a missing variable) renders nothing without calling the
function. The result goes into ``var`` as it is, or into the page escaped unless it is safe.

This module must never call the plain function while parsing, nor mark safe a result the
function did not.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.template import Context, Library, Node, TemplateSyntaxError, Variable
from django.template.base import FilterExpression, Parser, Token, VariableDoesNotExist, kwarg_re
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

__all__ = ["FunctionNode", "TagSyntax", "register_function_tag"]

_NOTHING = SafeString("")
_LITERAL_NAMES = (("True",), ("False",), ("None",))


@dataclass(frozen=True, slots=True)
class TagSyntax:
    """How one tag is written; ``parse`` reads a tag of this form or says what is wrong."""

    name: str
    usage: str
    #: The option names the tag takes; ``None`` for any (a function taking ``**options``).
    options: frozenset[str] | None
    #: Whether it takes any number of values (``*values``) rather than exactly one.
    variadic: bool

    def error(self, problem: str) -> TemplateSyntaxError:
        return TemplateSyntaxError(f"'{self.name}' {problem}. Usage: {self.usage}")

    def parse(
        self, parser: Parser, token: Token
    ) -> tuple[list[FilterExpression], dict[str, FilterExpression], str | None]:
        """``(values, options, target variable or None)`` of one tag."""
        bits = token.split_contents()[1:]
        target = None
        if len(bits) >= 2 and bits[-2] == "as":
            target, bits = bits[-1], bits[:-2]
        values: list[FilterExpression] = []
        options: dict[str, FilterExpression] = {}
        for bit in bits:
            match = kwarg_re.match(bit)
            option = match[1] if match else None
            if bit == "as":
                raise self.error("takes 'as' last, followed by one variable name")
            if option is None:
                if options:
                    raise self.error(f"got {bit!r} after its options: values come first")
                if values and not self.variadic:
                    raise self.error(f"got {bit!r} where an option (name=value) was expected")
                values.append(self._compile(parser, bit))
                continue
            if not values and not self.variadic:
                raise self.error(f"got the option {bit!r} before its value")
            self._check_option(option, options)
            options[option] = self._compile(parser, match[2] if match else bit)
        if not values and not self.variadic:
            raise self.error("needs a value")
        return values, options, target

    def _check_option(self, option: str, seen: dict[str, FilterExpression]) -> None:
        if self.options is not None and option not in self.options:
            known = ", ".join(sorted(self.options))
            raise self.error(
                f"has no option {option!r}; its options are {known}"
                if known
                else f"takes no options, got {option!r}"
            )
        if option in seen:
            raise self.error(f"got the option {option!r} twice")

    def _compile(self, parser: Parser, bit: str) -> FilterExpression:
        try:
            return parser.compile_filter(bit)
        except TemplateSyntaxError as exc:
            raise self.error(f"cannot read {bit!r}: {exc}") from None


def _is_literal(expression: FilterExpression) -> bool:
    """Whether ``expression`` is a constant: a string or number literal, True/False/None."""
    if expression.filters:
        return False
    variable = expression.var
    if not isinstance(variable, Variable):
        return True  # FilterExpression resolved a literal already
    return variable.lookups is None or variable.lookups in _LITERAL_NAMES


def _resolve_uncalled(expression: FilterExpression, context: Context) -> Any:
    """Resolve ``expression`` like Django, except that a callable it ends on is not called.

    Options such as ``render_block=my_renderer`` pass functions, which Django's variable
    lookup would call with no arguments. A missing variable is ``None``.
    """
    variable = expression.var
    if expression.filters or not isinstance(variable, Variable) or not variable.lookups:
        return expression.resolve(context)
    *parents, last = variable.lookups
    if not parents:
        return context.get(last)
    try:
        current = Variable(".".join(parents)).resolve(context)
    except VariableDoesNotExist:
        return None
    try:
        return current[last]
    except (TypeError, KeyError, AttributeError, IndexError, ValueError):
        return getattr(current, last, None)


def _resolve(expression: FilterExpression, context: Context) -> Any:
    return expression.resolve(context)


class FunctionNode(Node):
    """A parsed tag: resolves its values and options, calls the plain function."""

    def __init__(
        self,
        function: Callable[..., Any],
        values: list[FilterExpression],
        options: dict[str, FilterExpression],
        target: str | None,
        *,
        single: bool,
        takes_context: bool,
        call_callables: bool,
    ) -> None:
        self.function = function
        self.values = values
        self.value = values[0] if single else None
        self.takes_context = takes_context
        self.resolve_option = _resolve if call_callables else _resolve_uncalled
        self.constants: dict[str, Any] = {}
        self.variables: dict[str, FilterExpression] = {}
        for name, expression in options.items():
            if _is_literal(expression):
                self.constants[name] = self.resolve_option(expression, Context())
            else:
                self.variables[name] = expression
        self.target = target

    def _options(self, context: Context) -> dict[str, Any]:
        options = dict(self.constants)
        for name, expression in self.variables.items():
            options[name] = self.resolve_option(expression, context)
        if self.takes_context:
            options["context"] = context
        return options

    def render(self, context: Context) -> str:
        if self.value is not None:
            value = self.value.resolve(context)
            if value is None or value == "":
                output: Any = _NOTHING
            elif self.variables or self.takes_context:
                output = self.function(value, **self._options(context))
            else:  # the hot path: literal options only
                output = self.function(value, **self.constants)
        else:
            values = [expression.resolve(context) for expression in self.values]
            output = self.function(*values, **self._options(context))
        if self.target is not None:
            context[self.target] = output
            return ""
        if output.__class__ is SafeString:
            return output
        return conditional_escape(output) if context.autoescape else str(output)


def _parameters(function: Callable[..., Any]) -> list[inspect.Parameter]:
    return list(inspect.signature(function).parameters.values())


def register_function_tag(
    library: Library,
    name: str,
    function: Callable[..., Any],
    *,
    usage: str,
    options_of: Callable[..., Any] | None = None,
    exclude: Collection[str] = (),
    takes_context: bool = False,
    call_callables: bool = True,
) -> None:
    """Register ``{% name value [option=value ...] [as var] %}`` calling ``function``.

    The options are the keyword-only parameters of ``options_of`` (default ``function``)
    but ``exclude``, any name if it takes ``**options``; the tag takes any number of values if
    ``function`` takes ``*values``. ``takes_context`` passes the template context as
    ``context=``; ``call_callables=False`` passes a callable option as it is, and a missing
    one as ``None``, instead of calling it like Django's variable lookup.
    """
    parameters = _parameters(options_of or function)
    syntax = TagSyntax(
        name=name,
        usage=usage,
        options=None
        if any(parameter.kind is parameter.VAR_KEYWORD for parameter in parameters)
        else frozenset(
            parameter.name
            for parameter in parameters
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.name not in exclude
        ),
        variadic=any(
            parameter.kind is parameter.VAR_POSITIONAL for parameter in _parameters(function)
        ),
    )
    single = not syntax.variadic

    def compile_tag(parser: Parser, token: Token) -> FunctionNode:
        values, options, target = syntax.parse(parser, token)
        return FunctionNode(
            function,
            values,
            options,
            target,
            single=single,
            takes_context=takes_context,
            call_callables=call_callables,
        )

    compile_tag.__doc__ = f"``{usage}``\n\n{inspect.getdoc(function) or ''}"
    library.tag(name, compile_tag)
