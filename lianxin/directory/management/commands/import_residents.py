"""`lianxin import-residents FILE [--community NAME] [--valid-rows-only] [--user USERNAME]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from lianxin.accounts.models import Role, User
from lianxin.directory import roster_import, selectors, services
from lianxin.directory.models import ImportStatus

STEPS = {
    roster_import.CHECK: gettext_lazy("Checking rows"),
    roster_import.INSERT: gettext_lazy("Importing"),
}


class Command(BaseCommand):
    help = _(
        "Import residents from an .xlsx roster: every row is checked first, with a progress "
        "bar and an error report. Nothing is imported while any row fails, unless "
        "--valid-rows-only is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The roster, an .xlsx file."))
        parser.add_argument(
            "--community",
            help=_("Default community for rows whose 社区 cell is empty."),
        )
        parser.add_argument(
            "--valid-rows-only",
            action="store_true",
            help=_("Import the valid rows even if some rows fail."),
        )
        parser.add_argument(
            "--user",
            help=_(
                "Username of the administrator or community worker the import is recorded "
                "under; their communities limit it. Default: the only active administrator."
            ),
        )

    def handle(self, *args, file, community, valid_rows_only, user, **options):
        actor = self._actor(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("The roster must be an .xlsx file."))
        default_community = None
        if community:
            default_community, message = roster_import.resolve_community(actor, community)
            if default_community is None:
                raise CommandError(message)
        with path.open("rb") as handle:
            created = services.roster_import_start(
                actor=actor,
                file_name=path.name,
                chunks=iter(lambda: handle.read(1 << 20), b""),
                default_community=default_community,
                import_valid_rows=valid_rows_only,
                language=translation.get_language() or "",
                enqueue=False,
            )
        bars: dict[str, tqdm] = {}

        def progress(step: str, done: int, total: int) -> None:
            bar = bars.get(step)
            if bar is None:
                for other in bars.values():
                    other.close()
                bar = bars[step] = tqdm(
                    total=total or None,
                    desc=str(STEPS[step]),
                    unit=_("row"),
                    file=self.stderr._out,
                    mininterval=0.5,
                )
            if total and bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        try:
            result = roster_import.run(created.pk, keep_for_decision=False, on_progress=progress)
        finally:
            for bar in bars.values():
                bar.close()
        self._report(result)
        if result.status in (ImportStatus.INVALID, ImportStatus.FAILED):
            if result.status == ImportStatus.FAILED:
                raise CommandError(result.failure)
            raise CommandError(
                _(
                    "Nothing was imported: %(count)s rows have errors. Correct them, or run "
                    "again with --valid-rows-only to import the other rows."
                )
                % {"count": result.error_count}
            )

    def _actor(self, username: str | None) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(_("There is no active user %(name)s.") % {"name": username})
        else:
            admins = list(User.objects.filter(role=Role.ADMIN, is_active=True)[:2])
            if len(admins) != 1:
                raise CommandError(
                    _("Name the user the import is recorded under with --user USERNAME.")
                )
            actor = admins[0]
        if not selectors.can_import_roster(actor):
            raise CommandError(
                _(
                    "%(name)s may not import residents: only administrators and community workers may."
                )
                % {"name": actor.username}
            )
        return actor

    def _report(self, result) -> None:
        out = self.stdout
        out.write(
            _(
                "%(file)s: %(rows)s rows; %(created)s residents created, %(duplicates)s "
                "duplicates not created again, %(errors)s rows with errors."
            )
            % {
                "file": result.file_name,
                "rows": result.total_rows,
                "created": result.created_count,
                "duplicates": result.duplicate_count,
                "errors": result.error_count,
            }
        )
        for problem in result.problems:
            column = problem["column"]
            if problem.get("letter"):
                column = _("%(column)s (column %(letter)s)") % {
                    "column": column,
                    "letter": problem["letter"],
                }
            out.write(
                _("Row %(row)s, %(column)s: %(message)s")
                % {"row": problem["row"], "column": column, "message": problem["message"]}
            )
        if result.problems_truncated:
            out.write(
                _("… and %(count)s more problems.")
                % {"count": result.problem_total - len(result.problems)}
            )
