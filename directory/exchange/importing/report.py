"""What an import did, or why it stopped: problems name the file, the row and the problem."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from directory.exchange.importing.mapping import ORDER
from directory.exchange.tabular import TABLES_BY_NAME


@dataclass(frozen=True)
class Problem:
    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


class ImportFailed(Exception):
    """The import stopped; nothing was written. `problems` name the file, row and problem."""

    SHOWN = 20

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [str(p) for p in problems[: self.SHOWN]]
        if len(problems) > self.SHOWN:
            lines.append(f"... and {len(problems) - self.SHOWN} more problems")
        super().__init__("\n".join(lines))


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), per table."""

    source: str
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    skipped_tables: Counter = field(default_factory=Counter)
    skipped_fields: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = []
        for name in ORDER:
            if counted := self.counts.get(name):
                lines.append(
                    f"  {TABLES_BY_NAME[name].path}: "
                    + ", ".join(f"{counted[s]} {s}" for s in ("created", "updated", "unchanged"))
                )
        if self.skipped_tables:
            lines.append("Skipped, not kept by Nabij:")
            lines += [f"  {name}: {_plural(n, 'row')}" for name, n in self.skipped_tables.items()]
        if self.skipped_fields:
            lines.append("Fields skipped, not kept by Nabij:")
            lines += [f"  {name}: {_plural(n, 'value')}" for name, n in self.skipped_fields.items()]
        if self.notes:
            lines.append("Notes:")
            lines += [f"  {note}" for note in self.notes]
        return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
