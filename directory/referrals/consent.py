"""The consent text read to the client, versioned: the referral records the version, the
language the client heard it in and the text itself, with the organisations named."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

CONSENT_VERSION = "2026-11"


def consent_text(locale: str, organisations: list[str]) -> str:
    """The consent text in `locale`, naming the receiving organisations."""
    with force_locale(locale):
        return _(
            "The info point will pass on your question to: %(organisations)s. They receive "
            "only what you agree to share: your first name or initials, how and when to "
            "reach you, your languages and the help you need. Only the info point and these "
            "organisations can read it, and every reading is recorded. You can withdraw your "
            "consent at any time by telling the info point: your details are then erased. "
            "A referral that is declined or never accepted is deleted after 30 days; the "
            "others are made anonymous 12 months after they are closed.",
            organisations="; ".join(organisations),
        )
