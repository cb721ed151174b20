"""Where the index lives on disk, and the rules that make it safe with several processes.

    <root>/writer.lock           one writer at a time (an advisory file lock)
    <root>/rebuild.lock          one rebuild at a time
    <root>/current -> gen-<n>    the generation searches read; swapped atomically
    <root>/gen-<n>/              a Whoosh index; applied.json: the last outbox id in it;
                                 lexicon.json: the words of kinds of help and places

A rebuild writes a new generation beside the current one and swaps the `current` link in one
rename, so searches keep working during a rebuild.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

CURRENT = "current"
MARKER = "applied.json"
LEXICON = "lexicon.json"


class LockTimeout(RuntimeError):
    pass


@contextlib.contextmanager
def writer_lock(root: Path, timeout: float = 60.0, name: str = "writer.lock") -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with (root / name).open("a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(f"another process holds {root / name}") from None
                time.sleep(0.01)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_generation(root: Path) -> Path | None:
    link = root / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    path = root / target
    return path if path.is_dir() else None


def new_generation(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"gen-{time.time_ns()}-{os.getpid()}"
    path.mkdir()
    return path


def swap(root: Path, generation: Path) -> None:
    """Make `generation` current in one atomic rename, then drop the generations older than
    the one it replaces (that one stays: searches opened a moment ago may still read it;
    newer ones may be another process's rebuild in progress)."""
    if not generation.is_dir():
        raise FileNotFoundError(generation)
    previous = current_generation(root)
    temporary = root / f".{CURRENT}-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    temporary.symlink_to(generation.name)
    os.replace(temporary, root / CURRENT)
    if previous is None or previous == generation:
        return
    cutoff = previous.stat().st_mtime
    for old in root.glob("gen-*"):
        if old not in (generation, previous) and old.is_dir() and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)


def read_marker(generation: Path) -> int | None:
    try:
        return int(json.loads((generation / MARKER).read_text())["applied_outbox_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_marker(generation: Path, applied_outbox_id: int, fingerprint: str = "") -> None:
    """What the generation holds: the last outbox row applied, and the fingerprint of its
    content (see `search.engine.content_digest`)."""
    _write_atomically(
        generation / MARKER,
        json.dumps({"applied_outbox_id": applied_outbox_id, "fingerprint": fingerprint}),
    )


def read_fingerprint(generation: Path) -> str | None:
    try:
        return str(json.loads((generation / MARKER).read_text())["fingerprint"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_lexicon(generation: Path) -> str | None:
    try:
        return (generation / LEXICON).read_text(encoding="utf-8")
    except OSError:
        return None


def write_lexicon(generation: Path, text: str) -> None:
    """Replace the lexicon in one rename (a reader sees the old one or the new one)."""
    if read_lexicon(generation) != text:
        _write_atomically(generation / LEXICON, text)


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
