"""The project's own scripts: what a newcomer and CI run."""

from __future__ import annotations

import re

from tests.conftest import PROJECT_ROOT


def test_every_gunicorn_we_start_has_no_control_socket():
    """gunicorn 27 opens a control socket in ~/.gunicorn/ by default, shared by every
    gunicorn of the machine: ours never do."""
    starts = []
    for path in [*PROJECT_ROOT.glob("scripts/*"), *PROJECT_ROOT.glob("bench/*.py")]:
        text = path.read_text()
        for match in re.finditer(r"gunicorn\"?\)?,?\s*\n?\s*\"?(--|\$|\[)", text):
            starts.append((path.name, text[match.start() : match.start() + 200]))
    assert starts, "no gunicorn start found: the pattern is out of date"
    missing = [name for name, command in starts if "--no-control-socket" not in command]
    assert missing == []


def test_ci_runs_the_readme_s_test_command():
    readme = (PROJECT_ROOT / "README.md").read_text()
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert "scripts/test" in readme
    assert ci.strip().splitlines()[-1].strip() == "scripts/test"


def test_installs_use_the_exact_versions_of_constraints_txt():
    setup = (PROJECT_ROOT / "scripts" / "setup").read_text()
    assert "-c constraints.txt" in setup
    pinned = [
        line
        for line in (PROJECT_ROOT / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert pinned
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^=\s]+", line) for line in pinned)
