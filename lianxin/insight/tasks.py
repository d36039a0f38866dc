from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from lianxin.insight import report


@db_periodic_task(crontab(hour="8", minute="30"))
@lock_task("insight-monthly-report")
def send_monthly_report():
    """Every morning: on the first working day of a month, mail last month's report."""
    report.send_due_report()
