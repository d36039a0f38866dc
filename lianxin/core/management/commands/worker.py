from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Run the background worker (huey consumer) on its own.")

    def handle(self, *args, **options):
        call_command("run_huey")
