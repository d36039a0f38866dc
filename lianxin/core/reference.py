"""Reference data every installation has from its migrations (care tags, categories, the
working-day calendar). Transactional tests flush tables between tests; they restore it here."""

from django.utils.module_loading import import_string

ENSURE = [
    "lianxin.directory.seed.ensure_care_tags",
    "lianxin.cases.seed.ensure_default_categories",
    "lianxin.calendar.reference.ensure_official_calendar",
]


def ensure_reference_data() -> None:
    for dotted in ENSURE:
        import_string(dotted)()
