"""The `lianxin` command: every management command under one name.

Hyphenated spellings are accepted for commands whose module names use underscores
(`lianxin import-residents` runs `import_residents`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "lianxin"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
