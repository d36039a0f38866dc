"""Calendar fixtures for every test.

- The deadline cache of this process is emptied around each test, so a test never sees
  calendar rows another test wrote and rolled back.
- `working_calendar`: the official calendar is in the database. The data migration puts it
  there, but a transactional test (browser tests) empties every table when it ends, so tests
  that compute deadlines ask for this fixture.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _calendar_cache_isolated():
    from lianxin.calendar import deadlines

    deadlines.clear_cache()
    yield
    deadlines.clear_cache()


@pytest.fixture
def working_calendar(db):
    from lianxin.calendar import official
    from lianxin.calendar.reference import ensure_official_calendar

    ensure_official_calendar()
    return official.covered_years()
