"""Languages: the reference list of ISO 639 codes, and the languages a service is offered in.

Display names are never stored: they come from CLDR through Babel, in the reader's language.
"""

from __future__ import annotations

import functools
import uuid

from babel import Locale, UnknownLocaleError
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from directory.models.base import Base, UUIDPrimaryKey


@functools.lru_cache(maxsize=4096)
def language_display_name(code: str, in_locale: str) -> str:
    """The name of language `code` written in `in_locale`, as CLDR has it."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(in_locale)
    except (UnknownLocaleError, ValueError):
        return code
    return name or code


class LanguageCode(UUIDPrimaryKey, Base):
    """A language people may look for help in (reference data)."""

    __tablename__ = "language_code"

    code: Mapped[str] = mapped_column(String(12), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    def display_name(self, locale: str) -> str:
        return language_display_name(self.code, locale)


class Language(UUIDPrimaryKey, Base):
    """HSDS language: a language a service (or location, or phone line) is offered in."""

    __tablename__ = "language"
    __table_args__ = (UniqueConstraint("service_id", "code"),)

    service_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE")
    )
    phone_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("phone.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(ForeignKey("language_code.code"))
    note: Mapped[str | None]

    @property
    def name(self) -> str:
        """HSDS `name`: the English name."""
        return language_display_name(self.code, "en")

    def display_name(self, locale: str) -> str:
        return language_display_name(self.code, locale)
