"""`lianxin serve`: the web server (gunicorn, static files by whitenoise) and the background
worker (huey consumer), supervised together: if either stops, both stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lianxin.env import env_int, env_str

# No query strings in the access log: they may hold a searched phone number.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
DEMO_LOGINS = ["admin", "supervisor", "worker", "rep", "handler"]


class Command(BaseCommand):
    help = _("Serve Lianxin with gunicorn and run the background worker beside it.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-worker", action="store_true", help=_("Do not start the background worker.")
        )

    def handle(self, *args, no_worker: bool, **options):
        host = env_str("HOST", "127.0.0.1")
        port = env_int("PORT", 8000)
        workers = env_int("WEB_CONCURRENCY", 2, minimum=1)
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "lianxin.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(env_int("WEB_THREADS", 4)),
            "--access-logfile",
            "-",
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--graceful-timeout",
            "10",
            "--timeout",
            "120",
        ]
        children = [subprocess.Popen(web)]
        if not no_worker:
            children.append(subprocess.Popen([sys.executable, "-m", "lianxin", "worker"]))
        self._announce(host, port)

        def stop(signum, frame):
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        code = 0
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        stop(None, None)
        for child in children:
            try:
                code = code or child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(code)

    def _announce(self, host: str, port: int) -> None:
        from lianxin.core.models import DemoDataset

        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        lines = [
            "",
            _("Lianxin is running at http://%(host)s:%(port)s/") % {"host": shown, "port": port},
            _("Staff log in at http://%(host)s:%(port)s/accounts/login/")
            % {"host": shown, "port": port},
        ]
        if DemoDataset.objects.exists():
            lines.append(
                _("Demo logins (password: %(pw)s): %(users)s")
                % {"pw": settings.LIANXIN_DEMO_PASSWORD, "users": ", ".join(DEMO_LOGINS)}
            )
        lines.append(_("Press Ctrl+C to stop."))
        self.stdout.write("\n".join(lines) + "\n")
        self.stdout.flush()
