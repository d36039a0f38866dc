import secrets

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _(
        "Print new secrets for production (SECRET_KEY, LIANXIN_FIELD_KEYS, LIANXIN_INDEX_KEY)."
    )

    requires_system_checks = []

    def handle(self, *args, **options):
        self.stdout.write(f"SECRET_KEY={secrets.token_urlsafe(50)}")
        self.stdout.write(f"LIANXIN_FIELD_KEYS={Fernet.generate_key().decode()}")
        self.stdout.write(f"LIANXIN_INDEX_KEY={secrets.token_urlsafe(32)}")
