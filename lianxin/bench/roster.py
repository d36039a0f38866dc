"""Roster import: rows per second against openpyxl alone, and peak memory of a large import.

1. A 10,000-row roster of invented people is written to a temporary directory.
2. openpyxl alone (read-only, values only) reads it in a fresh process that imports nothing
   else: best of three.
3. The full import (check every row, seal, insert with history) runs on a fresh SQLite database
   in a subprocess, twice; the better run counts. Target: at least half openpyxl's rate.
4. A 100,000-row roster is imported the same way; the peak resident memory of the importing
   process is taken from the kernel (wait4). Target: under 300 MB.

`python -m lianxin.bench.roster import SITE FILE` is the importing subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 10_000
LARGE_ROWS = 100_000
RATE_TARGET = 0.5
MEMORY_TARGET_MB = 300
COMMUNITIES = ["青禾一社区", "青禾二社区", "枣园社区"]

READ_ALONE = """
import sys, time
from openpyxl import load_workbook
started = time.perf_counter()
workbook = load_workbook(sys.argv[1], read_only=True)
rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
workbook.close()
print(rows, time.perf_counter() - started)
"""


def _env(site: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        LIANXIN_VAR_DIR=str(site), LIANXIN_ENV="test", DJANGO_SETTINGS_MODULE="lianxin.settings"
    )
    return env


def _read_alone(path: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", READ_ALONE, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[1])


def _import(site: Path, path: Path) -> tuple[dict, int]:
    """Migrate a fresh SQLite database in `site`, then import `path` in a subprocess.

    Returns what the subprocess reported and its peak RSS in KB (from wait4)."""
    site.mkdir()
    subprocess.run([sys.executable, "-m", "lianxin", "migrate", "-v0"], env=_env(site), check=True)
    child = subprocess.Popen(
        [sys.executable, "-m", "lianxin.bench.roster", "import", str(site), str(path)],
        env=_env(site),
        stdout=subprocess.PIPE,
        text=True,
    )
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"the import subprocess failed ({child.returncode})")
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss


def run(report) -> None:
    from lianxin.testing.rosters import synthetic_roster

    with tempfile.TemporaryDirectory(prefix="lianxin-bench-") as tmp:
        tmp = Path(tmp)
        roster = synthetic_roster(tmp / "roster-10k.xlsx", ROWS, communities=COMMUNITIES)
        report.note(f"{ROWS:,} invented rows, {roster.stat().st_size / 1e6:.1f} MB")

        read = min(_read_alone(roster) for _ in range(3))
        read_rate = report.rate("openpyxl alone reads (read-only, values)", ROWS, read)

        runs = [_import(tmp / f"site-{n}", roster)[0] for n in range(2)]
        for result in runs:
            if (result["status"], result["created"]) != ("done", ROWS):
                raise RuntimeError(f"the import did not complete: {result}")
        best = min(r["seconds"] for r in runs)
        import_rate = report.rate("import: check, seal, insert with history", ROWS, best)
        report.note(
            f"(check {min(r['check_seconds'] for r in runs):.2f} s, "
            f"insert {min(r['insert_seconds'] for r in runs):.2f} s)"
        )
        report.ratio("import rate / openpyxl rate", import_rate, read_rate, target=RATE_TARGET)

        large = synthetic_roster(tmp / "roster-100k.xlsx", LARGE_ROWS, communities=COMMUNITIES)
        report.note(f"{LARGE_ROWS:,} invented rows, {large.stat().st_size / 1e6:.1f} MB")
        result, importer_kb = _import(tmp / "site-large", large)
        if (result["status"], result["created"]) != ("done", LARGE_ROWS):
            raise RuntimeError(f"the large import did not complete: {result}")
        report.rate("100,000-row import", LARGE_ROWS, result["seconds"])
        report.value(
            "100,000-row import: peak RSS of the importing process",
            importer_kb / 1024,
            "MB",
            target=MEMORY_TARGET_MB,
            higher_is_better=False,
        )


def _import_child(site: str, path: str) -> None:
    """In a fresh process on the migrated database in `site`: import `path`, print timings."""
    import django

    django.setup()
    from lianxin.accounts.models import Role
    from lianxin.directory import roster_import
    from lianxin.directory.models import RosterImport
    from lianxin.testing import factories as f

    subdistrict = f.SubdistrictFactory(name="青禾街道", code="qinghe")
    for n, name in enumerate(COMMUNITIES):
        f.CommunityFactory(subdistrict=subdistrict, name=name, code=f"bench-{n}")
    admin = f.UserFactory(username="bench-admin", role=Role.ADMIN)
    stored = roster_import.imports_dir() / "bench.xlsx"
    shutil.copyfile(path, stored)
    job = RosterImport.objects.create(
        created_by=admin, file_name=Path(path).name, stored_path=str(stored)
    )
    steps: dict[str, float] = {}

    def progress(step, done, total):
        steps.setdefault(step, time.perf_counter())

    started = time.perf_counter()
    result = roster_import.run(job.pk, on_progress=progress)
    finished = time.perf_counter()
    print(
        json.dumps(
            {
                "status": result.status,
                "created": result.created_count,
                "errors": result.error_count,
                "seconds": finished - started,
                "check_seconds": steps.get("insert", finished) - started,
                "insert_seconds": finished - steps.get("insert", finished),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["import"]:
        _import_child(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: python -m lianxin.bench.roster import SITE FILE")
