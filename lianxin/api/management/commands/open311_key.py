"""`lianxin open311-key create NAME`: an Open311 client application and its API key, printed
once. `list` shows applications; `rotate NAME` replaces a key; `deactivate NAME` stops one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.api.models import Open311Client, Open311Scope
from lianxin.api.services import (
    open311_client_create,
    open311_client_deactivate,
    open311_client_rotate,
)


class Command(BaseCommand):
    help = _("Create, list, rotate or deactivate Open311 API keys of client applications.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help=_("Create a client application with a new key."))
        create.add_argument("name")
        create.add_argument("--contact", default="", help=_("Who answers for the application."))
        create.add_argument(
            "--rate-limit", type=int, default=60, help=_("Requests it may file per minute.")
        )
        create.add_argument(
            "--read-all",
            action="store_true",
            help=_("May read every case, not only the requests it filed."),
        )
        sub.add_parser("list", help=_("List client applications."))
        for name, text in (
            ("rotate", _("Give an application a new key.")),
            ("deactivate", _("Stop an application's key.")),
        ):
            sub.add_parser(name, help=text).add_argument("name")

    def handle(self, *args, action: str, **options):
        if action == "create":
            try:
                client, key = open311_client_create(
                    name=options["name"],
                    contact=options["contact"],
                    rate_limit=options["rate_limit"],
                    read_scope=Open311Scope.ALL if options["read_all"] else Open311Scope.OWN,
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self._show_key(client, key)
            return
        if action == "list":
            for client in Open311Client.objects.order_by("name"):
                state = _("active") if client.is_active else _("inactive")
                self.stdout.write(
                    f"{client.name}\t{client.hint}…\t{client.rate_limit}/min\t"
                    f"{client.get_read_scope_display()}\t{state}"
                )
            return
        client = Open311Client.objects.filter(name=options["name"]).first()
        if client is None:
            raise CommandError(
                _("No client application named %(name)s.") % {"name": options["name"]}
            )
        if action == "rotate":
            self._show_key(client, open311_client_rotate(client=client))
        else:
            open311_client_deactivate(client=client)
            self.stdout.write(_("%(name)s can no longer use its key.") % {"name": client.name})

    def _show_key(self, client, key: str) -> None:
        self.stdout.write(
            _("API key of %(name)s. Keep it now; it is not shown again:") % {"name": client.name}
        )
        self.stdout.write(key)
