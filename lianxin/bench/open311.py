"""Open311 under a real server (`make bench`, or `python -m lianxin.bench open311`).

For SQLite (a file in a temporary LIANXIN_VAR_DIR) and PostgreSQL (OPEN311_BENCH_DATABASE_URL,
default the local server's `wt_api_bench`, created afresh):

1. migrate, create an Open311 key, start gunicorn as `lianxin serve` does (2 workers ×
   4 threads, settings with the bench-only `/bench/insert/` view);
2. drive `POST /open311/v2/requests.json` and `POST /bench/insert/` (one row inserted) with
   the same concurrent keep-alive clients for the same time; report requests per second and
   the ratio (target: at least half the minimal insert). A POST checks and keeps the request
   and answers with a token (GeoReport "batch"); the worker files it as a case, and
   step 3 measures that rate for one worker;
3. file the kept requests as cases, as the worker does, and report cases per second;
4. bulk-load 100,000 cases spread over a year and measure the p95 latency of
   `GET /open311/v2/requests.json` with its default window (90 days, at most 1,000).

Everything runs on loopback and stops by itself.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    met: bool | None = None


CLIENTS = int(os.environ.get("OPEN311_BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("OPEN311_BENCH_SECONDS", "12"))
ROUNDS = 4
CASES = int(os.environ.get("OPEN311_BENCH_CASES", "100000"))
GETS = int(os.environ.get("OPEN311_BENCH_GETS", "60"))
PG_URL = os.environ.get(
    "OPEN311_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wt_api_bench"
)
# The scale-out pairing: PostgreSQL with Redis for the cache and the job queue (emptied first).
REDIS_URL = os.environ.get("OPEN311_BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
TARGET_RATIO = 0.5


def run(report) -> None:
    """Hand each measurement to the runner's report, the baseline beside it, and the ratio
    against its target where there is one."""
    for result in _results():
        report.value(result.name, result.value, result.unit)
        if result.baseline is not None:
            report.value(f"  {result.baseline_name}", result.baseline, result.unit)
            if result.target:
                report.ratio("  ratio", result.value, result.baseline, target=TARGET_RATIO)


def _results() -> list[Result]:
    results: list[Result] = []
    for label, database_url, redis_url in (
        ("SQLite", "", ""),
        ("PostgreSQL + Redis", PG_URL, REDIS_URL),
    ):
        print(f"-- {label}", flush=True)
        with tempfile.TemporaryDirectory(prefix="lianxin-bench-") as var_dir:
            if database_url:
                _recreate_postgres_database(database_url)
            if redis_url:
                import redis

                redis.Redis.from_url(redis_url).flushdb()
            env = _environment(var_dir, database_url, redis_url)
            results += _measure(label, env)
    return results


def _environment(var_dir: str, database_url: str, redis_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "PYTEST_VERSION")
    }
    env.update(
        LIANXIN_ENV="development",
        LIANXIN_VAR_DIR=var_dir,
        DJANGO_SETTINGS_MODULE="lianxin.bench.settings",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env.update(REDIS_URL=redis_url, HUEY_NAME="lianxin-bench")
    return env


def _recreate_postgres_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "lianxin", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _python(env: dict[str, str], code: str) -> str:
    script = "import django; django.setup()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with the arguments `lianxin serve` uses."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.log = Path(env["LIANXIN_VAR_DIR"]) / "gunicorn.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "lianxin.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body, _ms = _request("127.0.0.1", self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not start; see {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _request(host, port, method, path, body=None, connection=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection(host, port, timeout=60)
    headers = {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if own:
        connection.close()
    return response.status, data, elapsed


def _drive(port: int, path: str, body: bytes, seconds: float) -> tuple[float, int]:
    """CLIENTS keep-alive connections POSTing for `seconds`; (requests per second, errors)."""
    done = [0] * CLIENTS
    errors = [0] * CLIENTS
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            try:
                status, _data, _ms = _request(None, None, "POST", path, body, connection)
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            if status == 200:
                done[index] += 1
            else:
                errors[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started), sum(errors)


SETUP = """
from lianxin.api.models import Open311Scope
from lianxin.api.services import open311_client_create
from lianxin.api.selectors import open311_services
_client, key = open311_client_create(
    name="bench", rate_limit=10**9, read_scope=Open311Scope.ALL
)
print(key)
print(open311_services().first().code)
"""


FILE_PENDING = """
import datetime, time
from lianxin.api.services import open311_requests_file_pending
started = time.perf_counter()
filed = total = 0
while True:
    done = open311_requests_file_pending(older_than=datetime.timedelta(0))
    filed += done
    if not done:
        break
print(filed, time.perf_counter() - started)
"""


def _measure(label: str, env: dict[str, str]) -> list[Result]:
    started = time.perf_counter()
    _manage(env, "migrate", "--noinput", "-v0")
    key, code = _python(env, SETUP).split()
    print(f"   migrated and set up in {time.perf_counter() - started:.0f} s", flush=True)
    post = urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": code,
            "lat": "39.904200",
            "long": "116.407400",
            "address_string": "幸福路12号",
            "description": "小区旁幼儿园每天早上六点放广播，吵得老人睡不好。",
            "first_name": "明",
            "last_name": "王",
            "phone": "13912345678",
        }
    ).encode()
    results = []
    server = Server(env)
    try:
        for path, body in (("/bench/insert/", b""), ("/open311/v2/requests.json", post)):
            _drive(server.port, path, body, 1.5)  # warm up: connections, imports, caches
        # Alternate short rounds, so that a change in the machine's load hits both alike.
        minimal = filing = 0.0
        minimal_errors = filing_errors = 0
        for _round in range(ROUNDS):
            rate, errors = _drive(server.port, "/bench/insert/", b"", SECONDS / ROUNDS)
            minimal, minimal_errors = minimal + rate / ROUNDS, minimal_errors + errors
            rate, errors = _drive(server.port, "/open311/v2/requests.json", post, SECONDS / ROUNDS)
            filing, filing_errors = filing + rate / ROUNDS, filing_errors + errors
        if minimal_errors or filing_errors:
            print(f"   errors: minimal {minimal_errors}, Open311 {filing_errors}", flush=True)
        ratio = filing / minimal if minimal else 0.0
        results.append(
            Result(
                name=f"Open311 POST requests, {label}, {CLIENTS} clients",
                value=filing,
                unit="req/s",
                baseline=minimal,
                baseline_name="minimal one-row insert view",
                target=f"ratio ≥ {TARGET_RATIO}",
                met=ratio >= TARGET_RATIO,
            )
        )

    finally:
        server.stop()

    filed, seconds = _python(env, FILE_PENDING).split()
    results.append(
        Result(
            name=f"Open311 requests filed as cases by one worker, {label}",
            value=int(filed) / float(seconds),
            unit="cases/s",
        )
    )

    started = time.perf_counter()
    _python(env, f"from lianxin.bench.open311 import load_cases; load_cases({CASES})")
    print(f"   loaded {CASES:,} cases in {time.perf_counter() - started:.0f} s", flush=True)
    server = Server(env)
    try:
        path = f"/open311/v2/requests.json?api_key={urllib.parse.quote(key)}"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        for _ in range(3):
            _request(None, None, "GET", path, None, connection)
        timings, sizes = [], set()
        for _ in range(GETS):
            status, data, ms = _request(None, None, "GET", path, None, connection)
            assert status == 200, data[:300]
            timings.append(ms)
            sizes.add(data.count(b'"service_request_id"'))
        connection.close()
        p95 = statistics.quantiles(timings, n=20)[18]
        results.append(
            Result(
                name=(
                    f"GET requests.json p95, {label}, {CASES:,} cases "
                    f"({max(sizes)} requests per answer)"
                ),
                value=p95,
                unit="ms",
                baseline=statistics.median(timings),
                baseline_name="median",
            )
        )

    finally:
        server.stop()
    return results


def load_cases(count: int) -> None:
    """Bulk-insert `count` cases received over the past year, each with its public 'received'
    entry and, for a third, a lead referral (not through the services: this is test data)."""
    import datetime
    import random

    from django.db import transaction
    from django.utils import timezone

    from lianxin.accounts.models import Role, User
    from lianxin.cases.models import (
        Case,
        CaseEvent,
        CaseStatus,
        Channel,
        EventKind,
        Referral,
        ReferralRole,
    )
    from lianxin.cases.selectors import categories_for_choice
    from lianxin.directory.models import Department

    rng = random.Random(311)
    now = timezone.now()
    categories = list(categories_for_choice().filter(parent__isnull=False))
    department = Department.objects.create(name="压测承办单位")
    dispatcher = User.objects.create(username="bench-dispatcher", role=Role.ADMIN)
    statuses = list(CaseStatus.values)
    batch = 5000
    for first in range(0, count, batch):
        with transaction.atomic():
            cases = []
            for i in range(first, min(first + batch, count)):
                received = now - datetime.timedelta(seconds=rng.randrange(365 * 86400))
                status = rng.choice(statuses)
                cases.append(
                    Case(
                        number=f"LX-B-{i:08d}",
                        tracking_code=f"B{i:011d}",
                        title="压测诉求",
                        description="小区路灯不亮，晚上出行不便。",
                        channel=Channel.API,
                        category=rng.choice(categories),
                        address=f"测试路{i % 500}号",
                        latitude=39.9 + rng.random() / 10,
                        longitude=116.4 + rng.random() / 10,
                        received_at=received,
                        status=status,
                        status_changed_at=received,
                        handling_due_at=received + datetime.timedelta(days=10),
                    )
                )
            Case.objects.bulk_create(cases)
            saved = Case.objects.filter(number__in=[c.number for c in cases]).values_list(
                "pk", "received_at"
            )
            CaseEvent.objects.bulk_create(
                CaseEvent(
                    case_id=pk,
                    kind=EventKind.RECEIVED,
                    at=at,
                    is_public=True,
                    data={"message": ["Your request has been received.", {}]},
                )
                for pk, at in saved
            )
            Referral.objects.bulk_create(
                Referral(
                    case_id=pk,
                    department=department,
                    role=ReferralRole.LEAD,
                    referred_by=dispatcher,
                    referred_at=at,
                    status="accepted",
                )
                for pk, at in saved
                if pk % 3 == 0
            )
    # Fresh planner statistics, as autovacuum (PostgreSQL) or a routine ANALYZE would give
    # after a load of this size; without them the planner expects a few dozen rows.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
