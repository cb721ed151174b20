"""Every value a template prints passes `neutralise_bidi` (Jinja's `finalize`): text people
typed can carry characters that make a name read backwards, spoof another, or hide text."""

from __future__ import annotations

import re

# Bidirectional embedding, override and isolate controls (and the implicit marks): in text
# people typed they can make a name read backwards or spoof another. Layout isolation is
# the templates' job (<bdi>, dir="auto"), never the text's.
BIDI_CONTROLS = dict.fromkeys(
    [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
# Other control characters (not tab or line breaks) are kept as typed but printed as a visible
# replacement sign, so they can neither hide text nor break the page.
BIDI_CONTROLS.update(
    dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F], "\ufffd")
)
# Finding none of them is one scan in C; translating is a dictionary look-up per character.
# A page prints hundreds of values and almost none holds such a character.
_ANY_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(BIDI_CONTROLS)) + "]")


def neutralise_bidi(value):
    """Every value a template prints passes here, plain or already marked safe (a translated
    sentence with a user's words in it is Markup)."""
    if isinstance(value, str) and _ANY_CONTROL.search(value):
        # str.translate on the class keeps Markup as Markup; removing characters adds no
        # markup.
        return value.__class__(str.translate(value, BIDI_CONTROLS))
    return value
