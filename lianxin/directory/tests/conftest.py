"""Fixtures for roster imports: a private VAR_DIR per test and a way to run an import."""

from __future__ import annotations

import random

import pytest

from lianxin.directory import roster_import, services
from lianxin.testing import rosters


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """Uploads and spools of this test live in its own directory."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    return settings.VAR_DIR


@pytest.fixture
def person():
    """A valid roster row in 甲社区 (invented); each call gives another person."""
    rng = random.Random(99)
    people = rosters.people(rng, 10_000, communities=["甲社区"])

    def make(**changes):
        row = next(people)
        row.update(changes)
        return row

    return make


@pytest.fixture
def roster(tmp_path):
    """Write rows (dicts by column name) to an .xlsx roster and return its path."""
    counter = iter(range(1000))

    def write(rows, headers=rosters.HEADERS, **kwargs):
        path = tmp_path / f"roster-{next(counter)}.xlsx"
        return rosters.write_roster(path, rows, headers=headers, **kwargs)

    return write


@pytest.fixture
def run_import():
    """Start an import as the given user and run its job here; returns the finished import."""

    def run(actor, path, *, keep_for_decision=True, **options):
        with open(path, "rb") as handle:
            started = services.roster_import_start(
                actor=actor,
                file_name=path.name,
                chunks=[handle.read()],
                enqueue=False,
                **options,
            )
        return roster_import.run(started.pk, keep_for_decision=keep_for_decision)

    return run
