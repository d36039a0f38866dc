from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "lianxin.projects"
    label = "projects"
    verbose_name = _("Practical projects")

    def ready(self) -> None:
        from lianxin.outreach import record
        from lianxin.projects.record import commitments_section, projects_section

        record.register(projects_section)
        record.register(commitments_section)
        from lianxin.accounts.models import Role
        from lianxin.core import navigation
        from lianxin.core.demo import STEPS
        from lianxin.portal import sections

        item = navigation.NavItem(
            _("Practical projects"),
            "projects:list",
            "bricks",
            frozenset(Role.values),
            _("Aid and projects"),
        )
        commitments = navigation.NavItem(
            _("Commitments"),
            "projects:commitments",
            "flag",
            frozenset({Role.ADMIN, Role.SUPERVISOR, Role.REPRESENTATIVE}),
            _("Aid and projects"),
        )
        for entry in (item, commitments):
            if entry not in navigation.NAV:
                at = next(
                    (i for i, it in enumerate(navigation.NAV) if it.roles == {Role.ADMIN}),
                    len(navigation.NAV),
                )
                navigation.NAV.insert(at, entry)
        for section in (
            "lianxin.projects.portal.community_commitments",
            "lianxin.projects.portal.community_projects",
        ):
            if section not in sections.COMMUNITY_SECTIONS:
                sections.COMMUNITY_SECTIONS.append(section)
        step = "lianxin.projects.demo.seed"
        if step not in STEPS:
            STEPS.insert(STEPS.index("lianxin.notify.demo.seed"), step)
