"""Labels of the outreach entries in the workbench navigation (core.navigation), kept here so
that this app's catalogue translates them."""

from django.utils.translation import gettext_lazy as _

SECTION = _("Outreach")
LOG_VISIT = _("Log a visit")
VISIT_DIARY = _("Visit diary")
RECEPTIONS = _("Reception days")
CHECK_INS = _("Check-ins")
ONE_TO_ONE = _("One-to-one pairings")
TALKS = _("Talks")
ACTIVITIES = _("Activities and briefings")
COVERAGE = _("Coverage")
DUTIES = _("Duties")
PROPOSALS = _("Proposals")
DUTY_RULES = _("Duty rules")
