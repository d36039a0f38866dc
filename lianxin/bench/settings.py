"""Settings of the benchmark server: the real settings, plus the bench-only URLs."""

from lianxin.settings import *  # noqa: F403

ROOT_URLCONF = "lianxin.bench.urls"
