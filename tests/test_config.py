"""Configuration from the environment: what gunicorn workers starting together agree on."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from directory import config


@pytest.fixture
def fresh_instance(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path / "instance")
    return tmp_path / "instance"


def test_a_new_instance_folder_gets_one_secret_key_kept_across_restarts(fresh_instance):
    first = config._secret_key()
    assert len(first) == 64
    assert config._secret_key() == first
    assert (fresh_instance / "secret_key").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in fresh_instance.iterdir()) == ["secret_key"]


def test_a_worker_that_loses_the_race_for_the_secret_key_takes_the_winner_s(
    fresh_instance, monkeypatch
):
    """Two workers on a new instance folder both find no key; the second one to write it
    used to stop with FileExistsError, and gunicorn with it ("Worker failed to boot")."""
    winner = config._secret_key()
    monkeypatch.setattr(Path, "exists", lambda self: False)  # it looked before the winner wrote
    assert config._secret_key() == winner
    assert sorted(p.name for p in fresh_instance.iterdir()) == ["secret_key"]


def _key_in_a_new_process(instance: str, start: multiprocessing.synchronize.Barrier, out) -> None:
    config.INSTANCE_DIR = Path(instance)
    start.wait()
    out.put(config._secret_key())


def test_workers_starting_together_agree_on_the_secret_key(fresh_instance):
    context = multiprocessing.get_context("fork")
    start, out = context.Barrier(4), context.Queue()
    workers = [
        context.Process(target=_key_in_a_new_process, args=(str(fresh_instance), start, out))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    keys = {out.get(timeout=5) for _ in workers}
    assert keys == {(fresh_instance / "secret_key").read_text()}
