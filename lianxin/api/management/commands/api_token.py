"""`lianxin api-token create USERNAME --name NAME`: a REST API token for a program, printed
once. `list` shows tokens (never their secrets); `revoke ID` withdraws one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.api.models import ApiToken
from lianxin.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = _("Create, list or revoke REST API tokens for programs.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help=_("Create a token acting as a user."))
        create.add_argument("username")
        create.add_argument(
            "--name", default="", help=_("Which program uses it (default: the user name).")
        )
        sub.add_parser("list", help=_("List tokens."))
        revoke = sub.add_parser("revoke", help=_("Revoke a token by its number."))
        revoke.add_argument("id", type=int)

    def handle(self, *args, action: str, **options):
        if action == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(_("No user named %(name)s.") % {"name": options["username"]})
            try:
                token, secret = api_token_create(
                    actor=None, user=user, name=options["name"] or user.username
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self.stdout.write(
                _("Token %(id)d for %(user)s (%(role)s). Keep it now; it is not shown again:")
                % {"id": token.pk, "user": user.username, "role": user.get_role_display()}
            )
            self.stdout.write(secret)
        elif action == "list":
            for token in ApiToken.objects.select_related("user").order_by("pk"):
                state = _("revoked") if token.revoked_at else _("active")
                self.stdout.write(
                    f"{token.pk}\t{token.hint}…\t{token.user.username}\t{token.name}\t{state}"
                )
        else:
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(_("No token number %(id)d.") % {"id": options["id"]})
            if not api_token_revoke(token=token):
                raise CommandError(_("Token %(id)d was already revoked.") % {"id": token.pk})
            self.stdout.write(_("Token %(id)d revoked.") % {"id": token.pk})
