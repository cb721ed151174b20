"""Every interface string is translated, without fuzzy entries or broken placeholders, and
templates hold no text outside gettext."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from directory.i18n import SUPPORTED_LOCALES
from tests.conftest import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def catalog(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def source_messages() -> set[str]:
    found = set()
    for path, method in (("directory", "python"), ("templates", "jinja2")):
        for _file, _line, message, _comments, _context in extract_from_dir(
            PROJECT_ROOT / path,
            method_map=[("**.py", "python")] if method == "python" else [("**.html", method)],
            keywords={
                "_": None,
                "gettext": None,
                "ngettext": (1, 2),
                "_l": None,
                "lazy_gettext": None,
            },
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_message_is_translated(locale):
    messages = catalog(locale)
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in messages if m.id}
    missing_from_catalog = source_messages() - ids
    assert not missing_from_catalog, f"run the extract/update step: {missing_from_catalog}"
    for message in messages:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated in {locale}: {message.id}"
        ids_ = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = {frozenset(PLACEHOLDER.findall(i)) for i in ids_}
        for string in strings:
            assert frozenset(PLACEHOLDER.findall(string)) in expected, (locale, message.id)


TAG_TEXT = re.compile(r">([^<>{}]*[A-Za-zÀ-ÿ][^<>{}]*)<")
# Attributes a person reads or hears, holding literal words rather than a gettext call.
ATTRIBUTE_TEXT = re.compile(r'(?:aria-label|title|placeholder|alt)="([^"{]*[A-Za-z][^"{]*)"')


@pytest.mark.parametrize(
    "template",
    sorted((PROJECT_ROOT / "templates").rglob("*.html")),
    ids=lambda p: str(p.relative_to(PROJECT_ROOT)),
)
def test_templates_hold_no_text_outside_gettext(template: Path):
    source = template.read_text()
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    source = re.sub(r"\{[{%].*?[%}]\}", "", source, flags=re.S)
    allowed = {"Nabij", "· Nabij"}  # the product's name
    stray = [t.strip() for t in TAG_TEXT.findall(source) if t.strip() and t.strip() not in allowed]
    stray += ATTRIBUTE_TEXT.findall(source)
    assert not stray, stray


def test_arabic_counts_from_11_to_99_say_the_counted_word_in_the_accusative():
    """Arabic counts 11 to 99 with the singular in the accusative ("90 يومًا"), and 100 to
    102 with the plain singular ("100 يوم"); the catalogue's Plural-Forms picks the form,
    so each form must sit where that rule looks for it."""
    from babel.support import Translations

    arabic = Translations.load(str(TRANSLATIONS), ["ar"])
    fathatan = "\u064b"  # the accusative ending
    checked = 0
    for message in catalog("ar"):
        if not message.pluralizable or message.string[4] == message.string[5]:
            continue
        singular, plural = message.id
        ninety, hundred = (
            arabic.unpgettext(message.context, singular, plural, n)
            if message.context
            else arabic.ungettext(singular, plural, n)
            for n in (90, 100)
        )
        assert ninety.count(fathatan) > hundred.count(fathatan), singular
        checked += 1
    assert checked >= 5
