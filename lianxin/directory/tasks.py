"""Background jobs of the directory. Arguments are record ids, never personal numbers."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def roster_import_run(import_id: int) -> None:
    from lianxin.directory import roster_import

    roster_import.run(import_id)


@db_periodic_task(crontab(minute="17"))
def roster_imports_expire() -> None:
    from django.core.management import call_command

    call_command("expire_roster_imports", verbosity=0)
