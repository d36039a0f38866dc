from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "lianxin.projects"
    label = "projects"
    verbose_name = _("Practical projects")

    def ready(self) -> None:
        from lianxin.accounts.models import Role
        from lianxin.core import navigation
        from lianxin.core.demo import register_step
        from lianxin.outreach import record
        from lianxin.portal import sections
        from lianxin.projects.record import commitments_section, projects_section

        record.register(projects_section)
        record.register(commitments_section)
        section = _("Aid and projects")
        navigation.register(
            navigation.NavItem(
                _("Practical projects"), "projects:list", "bricks", frozenset(Role.values), section
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Commitments"),
                "projects:commitments",
                "flag",
                frozenset({Role.ADMIN, Role.SUPERVISOR, Role.REPRESENTATIVE}),
                section,
            )
        )
        for dotted in (
            "lianxin.projects.portal.community_commitments",
            "lianxin.projects.portal.community_projects",
        ):
            if dotted not in sections.COMMUNITY_SECTIONS:
                sections.COMMUNITY_SECTIONS.append(dotted)
        register_step("lianxin.projects.demo.seed")
