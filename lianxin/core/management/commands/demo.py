from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.core import demo


class Command(BaseCommand):
    help = _("Fill an empty database with an invented demo district (idempotent).")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
        parser.add_argument("--residents", type=int, default=demo.DEFAULT_RESIDENTS)
        parser.add_argument(
            "--first-start",
            action="store_true",
            help=_("Load only into an empty database; otherwise say so and succeed."),
        )

    def handle(self, *args, seed, residents, first_start, **options):
        if settings.PRODUCTION:
            raise CommandError(_("The demo is refused in production mode."))
        try:
            loaded = demo.load(seed=seed, residents=residents, log=self.stdout.write)
        except demo.DemoRefused as exc:
            if first_start:
                self.stdout.write(_("This database holds real data; the demo is not loaded."))
                return
            raise CommandError(str(exc)) from None
        if loaded:
            self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        else:
            self.stdout.write(_("Demo data is already loaded; nothing to do."))
