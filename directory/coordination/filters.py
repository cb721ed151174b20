"""What the coordinators' figures are about: a life domain or a kind of help, a language,
a period, and the measure the map shows. Read from the page's query string (unknown values
are dropped, as the search does) or from the command's options (unknown values stop it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from directory.catalogue.search_params import Vocabulary

PERIODS = (30, 90, 180, 365)  # days back from today
DEFAULT_PERIOD = 90
# What the map can shade by: the numeric columns of the table of neighbourhoods.
MEASURES = ("services", "formal", "informal", "searches", "declined", "overdue")
DEFAULT_MEASURE = "services"


@dataclass(frozen=True)
class GapFilters:
    domain: str = ""  # a life domain's code
    help: str = ""  # a kind of help's code: narrower than the domain, so it decides
    language: str = ""
    period: int = DEFAULT_PERIOD
    measure: str = DEFAULT_MEASURE
    ignored: tuple[str, ...] = field(default=(), compare=False)  # values not understood

    @property
    def need(self) -> str:
        """The kind of help or life domain every figure is about ("" for all)."""
        return self.help or self.domain

    def since(self, now: datetime) -> datetime:
        return now - timedelta(days=self.period)

    def query(self, **replace: str) -> dict[str, str]:
        """These filters as query-string values (defaults left out), with `replace`."""
        values = {
            "domain": self.domain,
            "help": self.help,
            "lang": self.language,
            "period": "" if self.period == DEFAULT_PERIOD else str(self.period),
            "measure": "" if self.measure == DEFAULT_MEASURE else self.measure,
            **replace,
        }
        return {name: value for name, value in values.items() if value}


def read_filters(args: Mapping[str, str], words: Vocabulary) -> GapFilters:
    """The filters in `args` (`domain`, `help`, `lang`, `period`, `measure`); a value that
    names nothing is left out and listed in `ignored`."""
    ignored: list[str] = []

    def pick(name: str, allowed) -> str:
        value = (args.get(name) or "").strip()
        if value and value not in allowed:
            ignored.append(value[:40])
            return ""
        return value

    terms = words.help_terms.values()
    domain = pick("domain", {t.code for t in terms if t.parent is None})
    kind = pick("help", {t.code for t in terms if t.parent is not None})
    language = pick("lang", set(words.languages))
    period = pick("period", {str(days) for days in PERIODS})
    measure = pick("measure", set(MEASURES))
    return GapFilters(
        domain=domain,
        help=kind,
        language=language,
        period=int(period) if period else DEFAULT_PERIOD,
        measure=measure or DEFAULT_MEASURE,
        ignored=tuple(ignored),
    )
