"""Fill the calendar from the installed chinesecalendar package, so a fresh `migrate` has
every year it covers. Later releases add years through `lianxin calendar sync`.

A frozen copy of the rules of lianxin.calendar.official at the time of this migration; it only
adds days that are not there and never changes an existing row."""

import datetime

from django.db import migrations

NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def seed(apps, schema_editor):
    from chinese_calendar import constants

    WorkingDay = apps.get_model("calendar", "WorkingDay")
    first, last = min(constants.holidays).year, max(constants.holidays).year
    existing = set(WorkingDay.objects.values_list("date", flat=True))
    rows = []
    day, end = datetime.date(first, 1, 1), datetime.date(last, 12, 31)
    while day <= end:
        if day not in existing:
            if day in constants.workdays:
                kind, note = "makeup", NAMES_ZH.get(constants.workdays[day], constants.workdays[day])
            elif day in constants.holidays:
                kind = "holiday"
                note = NAMES_ZH.get(constants.holidays[day], constants.holidays[day])
                if day in constants.in_lieu_days:
                    note += "（调休）"
            else:
                kind, note = ("weekend" if day.weekday() >= 5 else "workday"), ""
            rows.append(
                WorkingDay(
                    date=day,
                    kind=kind,
                    is_working_day=kind in ("workday", "makeup"),
                    note=note,
                    source="package",
                )
            )
        day += datetime.timedelta(days=1)
    WorkingDay.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
