"""Templates translated once, when they are compiled, instead of at every request.

A page translates dozens of fixed sentences (`{{ _("Search") }}`); looking each up again for
every request cost more than searching the index. The sentence is the same for every request
in a language, so each language gets its own compiled copy of every template (a Jinja overlay
environment: same loader, globals and filters, its own cache). When that copy is compiled,
`_("a literal")` becomes the translated text, and `_("… %(name)s …", name=value)` keeps only
the formatting of `value` for the request. `ngettext` of two literals looks its plural form up
in that language's catalogue, which the copy holds, without asking which language the request
is in. A `_()` of a variable is still translated at render time, as before.

The result is exactly what Jinja's newstyle gettext would print: the translation, marked safe
where the template autoescapes, `%`-formatted with its (escaped) variables.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, has_app_context
from flask.templating import Environment as FlaskEnvironment
from flask_babel import force_locale, get_locale, get_translations
from jinja2 import nodes, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

GETTEXT_NAMES = frozenset({"_", "gettext"})
NGETTEXT_NAMES = frozenset({"ngettext"})
FORMAT = "_format_translated"
PLURAL = "_format_plural"


@pass_context
def _format_translated(context: Context, text: str, /, **variables: Any) -> str:
    """What newstyle gettext does after its look-up (jinja2.ext._make_new_gettext)."""
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (a translation, as trusted as the template)
    return text % variables


@pass_context
def _format_plural(
    context: Context, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    """What newstyle ngettext does (jinja2.ext._make_new_ngettext), with the catalogue of the
    language the template was compiled for."""
    variables.setdefault("num", num)
    text = context.environment.translations().ungettext(singular, plural, num)
    return _format_translated(context, text, **variables)


class LocaleEnvironment(FlaskEnvironment):
    """The application's environment: hands each request the templates of its language."""

    locale: str | None = None  # set on the per-language copies only
    _catalogue: Any = None  # their translations, read once

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._per_locale: dict[str, LocaleEnvironment] = {}

    def for_locale(self, code: str) -> LocaleEnvironment:
        environment = self._per_locale.get(code)
        if environment is None:
            environment = self.overlay()
            environment.locale = code
            environment._per_locale = {}
            self._per_locale[code] = environment
        return environment

    def _current(self) -> FlaskEnvironment:
        if self.locale is not None or not has_app_context():
            return self
        try:
            locale = get_locale()
        except RuntimeError:  # no request to choose a language from: translate at render time
            return self
        return self if locale is None else self.for_locale(str(locale))

    def get_template(self, name, parent=None, globals=None):  # noqa: A002 (Jinja's name)
        if self.locale is None:
            return self._current()._get_template(name, parent, globals)
        return self._get_template(name, parent, globals)

    def _get_template(self, name, parent, globals):  # noqa: A002
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):  # noqa: A002
        current = self._current()
        if current is self:
            return super().select_template(names, parent, globals)
        return current.select_template(names, parent, globals)

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        current = self._current()
        if current is self:
            return super().from_string(source, globals, template_class)
        return current.from_string(source, globals, template_class)

    def make_globals(self, d):
        """A template's globals as one plain dict instead of Jinja's ChainMap over the
        environment's: every render copies them into a new context, and copying a ChainMap
        of our ~50 globals key by key took a quarter of a small page's rendering. The app
        sets all its globals when it is created, before any template is loaded (Jinja asks
        for that too)."""
        return {**self.globals, **(d or {})}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        if self.locale is not None:
            _translate_calls(tree, self.translations().ugettext)
        return tree

    def translations(self):
        """The catalogue of this copy's language."""
        if self._catalogue is None:
            with force_locale(self.locale):
                self._catalogue = get_translations()
        return self._catalogue


def _translate_calls(node: nodes.Node, translate) -> None:
    for field in node.fields:
        value = getattr(node, field, None)
        if isinstance(value, nodes.Node):
            setattr(node, field, _translated(value, translate))
            _translate_calls(getattr(node, field), translate)
        elif isinstance(value, list):
            for position, item in enumerate(value):
                if isinstance(item, nodes.Node):
                    value[position] = _translated(item, translate)
                    _translate_calls(value[position], translate)


def _literal_call(node: nodes.Node, names: frozenset[str], count: int, literal: int) -> bool:
    """`node` calls one of `names` with `count` arguments, the first `literal` of them
    strings written in the template, and no *args or **kwargs."""
    return (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Name)
        and node.node.name in names
        and len(node.args) == count
        and all(
            isinstance(arg, nodes.Const) and isinstance(arg.value, str)
            for arg in node.args[:literal]
        )
        and node.dyn_args is None
        and node.dyn_kwargs is None
    )


def _translated(node: nodes.Node, translate) -> nodes.Node:
    """`_("literal", **variables)` translated, `ngettext("literal", "literal", n, **variables)`
    bound to the catalogue; any other node as it was."""
    if _literal_call(node, NGETTEXT_NAMES, count=3, literal=2):
        return nodes.Call(
            nodes.Name(PLURAL, "load", lineno=node.lineno),
            node.args,
            node.kwargs,
            None,
            None,
            lineno=node.lineno,
        )
    if not _literal_call(node, GETTEXT_NAMES, count=1, literal=1):
        return node
    text = translate(node.args[0].value)
    if not node.kwargs:
        try:
            text = text % {}  # newstyle gettext always formats: "%%" prints "%"
        except (TypeError, ValueError, KeyError):
            return node  # a broken translation fails at render time, as it did before
        return nodes.MarkSafeIfAutoescape(nodes.Const(text, lineno=node.lineno), lineno=node.lineno)
    return nodes.Call(
        nodes.Name(FORMAT, "load", lineno=node.lineno),
        [nodes.Const(text, lineno=node.lineno)],
        node.kwargs,
        None,
        None,
        lineno=node.lineno,
    )


def init_app(app: Flask) -> None:
    app.jinja_env.globals[FORMAT] = _format_translated
    app.jinja_env.globals[PLURAL] = _format_plural
