"""Reading one record of a seed file, with errors that name the file, the record and the
problem."""

from __future__ import annotations

import enum
import tomllib
from pathlib import Path
from typing import Any, TypeVar

E = TypeVar("E", bound=enum.Enum)


class SeedError(Exception):
    def __init__(self, file: Path | str, record: str, problem: str) -> None:
        self.file, self.record, self.problem = str(file), record, problem
        super().__init__(f"{file}: {record}: {problem}")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise SeedError(path, "(whole file)", f"not valid TOML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError(path, "(whole file)", f"cannot be read: {error}") from error


class Fields:
    """Typed access to one record's keys; `done()` rejects keys nobody asked for."""

    def __init__(self, file: Path, record: str, data: Any) -> None:
        self.file, self.record = file, record
        if not isinstance(data, dict):
            self.fail(f"must be a table, not {type(data).__name__}")
        self.data: dict[str, Any] = data
        self.used: set[str] = set()

    def fail(self, problem: str) -> None:
        raise SeedError(self.file, self.record, problem)

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                self.fail(f"'{key}' is missing")
            return None
        return self.data[key]

    def text(self, key: str, required: bool = True, max_length: int | None = None) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"'{key}' must be a non-empty string")
        if max_length is not None and len(value) > max_length:
            self.fail(f"'{key}' is {len(value)} characters long; at most {max_length} allowed")
        return value.strip()

    def integer(self, key: str, required: bool = True) -> int | None:
        value = self._get(key, required)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            self.fail(f"'{key}' must be a whole number")
        return value

    def boolean(self, key: str, required: bool = False) -> bool | None:
        value = self._get(key, required)
        if value is not None and not isinstance(value, bool):
            self.fail(f"'{key}' must be true or false")
        return value

    def texts(self, key: str, required: bool = False) -> list[str]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(f"'{key}' must be a list of strings")
        return value

    def integers(self, key: str, required: bool = False) -> list[int]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            self.fail(f"'{key}' must be a list of whole numbers")
        return value

    def choice(self, key: str, enum_class: type[E]) -> E:
        value = self._get(key, True)
        try:
            return enum_class(value)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in enum_class)
            self.fail(f"'{key}' is {value!r}; it must be one of: {allowed}")
            raise  # unreachable: fail() raises

    def table(self, key: str, required: bool = True) -> dict[str, Any]:
        value = self._get(key, required)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(f"'{key}' must be a table")
        return value

    def tables(self, key: str, required: bool = False) -> list[dict[str, Any]]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"'{key}' must be a list of tables")
        return value

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            self.fail(f"unknown key(s): {', '.join(unknown)}")
