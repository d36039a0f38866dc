"""Acceptance: after a resident with phone 13800138000 is imported, neither the SQLite file nor
a PostgreSQL dump holds 13800138000 (nor the ID number), and searching by it finds them."""

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from django.db import connection

from conftest import PHONE_A
from lianxin.testing import factories as f
from lianxin.testing import rosters

ID_A = f.synthetic_id()
PHONE_B = "13900139000"

CHILD = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from lianxin.accounts.models import Role
    from lianxin.directory import selectors, services
    from lianxin.testing import factories as f

    call_command("migrate", verbosity=0)
    community = f.CommunityFactory(name="甲社区", code="c-a")
    worker = f.UserFactory(username="wendy", role=Role.WORKER, communities=[community])
    # The page's way: upload, then the background job (immediate here) on commit.
    with open(sys.argv[1], "rb") as handle:
        services.roster_import_start(
            actor=worker, file_name="名册.xlsx", chunks=[handle.read()], language="zh-hans"
        )
    # The command line's way.
    call_command("import_residents", sys.argv[2], "--user", "wendy", verbosity=0)
    found = [r.name for r in selectors.resident_list(worker, phone=sys.argv[3])]
    found_b = [r.name for r in selectors.resident_list(worker, phone=sys.argv[4])]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    print(json.dumps({"found": found, "found_b": found_b}))
    """
)


def _row(name, phone, id_number=""):
    return {
        "姓名": name,
        "手机号": phone,
        "身份证号": id_number,
        "社区": "甲社区",
        "地址": "青禾路1号",
    }


def test_the_sqlite_file_never_holds_an_imported_number(tmp_path):
    var = tmp_path / "site"
    var.mkdir()
    first = rosters.write_roster(tmp_path / "a.xlsx", [_row("居民甲", PHONE_A, ID_A)])
    second = rosters.write_roster(tmp_path / "b.xlsx", [_row("居民乙", PHONE_B)])
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER", "SQLITE_TEST_NAME")
    }
    env.update(
        LIANXIN_VAR_DIR=str(var),
        LIANXIN_ENV="test",
        DJANGO_SETTINGS_MODULE="lianxin.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(first), str(second), PHONE_A, PHONE_B],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "found": ["居民甲"],
        "found_b": ["居民乙"],
    }

    database = var / "lianxin.sqlite3"
    files = [p for p in var.rglob("*") if p.is_file()]
    assert database in files
    assert not list((var / "imports").iterdir())  # the uploads are gone
    wal = var / "lianxin.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed into the main file
    for path in files:
        data = path.read_bytes()
        assert PHONE_A.encode() not in data, path
        assert PHONE_B.encode() not in data, path
        assert ID_A.encode() not in data, path
    # We looked in the right place: the masked copies are there.
    assert b"138****8000" in database.read_bytes()
    assert b"139****9000" in database.read_bytes()


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_dump_never_holds_an_imported_number(worker_a, roster, run_import, client):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.fail("pg_dump is not installed; install postgresql-client")
    result = run_import(worker_a, roster([_row("居民甲", PHONE_A, ID_A)]))
    assert result.created_count == 1

    db = connection.settings_dict
    env = dict(os.environ, PGPASSWORD=db.get("PASSWORD") or "")
    dump = subprocess.run(
        [
            pg_dump,
            "--no-owner",
            "-h",
            db.get("HOST") or "127.0.0.1",
            "-p",
            str(db.get("PORT") or 5432),
            "-U",
            db.get("USER") or "postgres",
            db["NAME"],
        ],
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    ).stdout
    assert b"138****8000" in dump
    assert PHONE_A.encode() not in dump
    assert ID_A.encode() not in dump

    client.force_login(worker_a)
    page = client.get("/staff/directory/residents/", {"phone": PHONE_A}).content.decode()
    assert "居民甲" in page
