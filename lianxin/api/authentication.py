"""How programs sign in to the REST API: `Authorization: Token <secret>` (or `Bearer`).

The browser uses its ordinary session (with CSRF protection) instead."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from lianxin.api.keys import secret_hash
from lianxin.api.models import ApiToken
from lianxin.api.services import credential_touch


class HashedTokenAuthentication(TokenAuthentication):
    keyword = "Token"
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        parts = header.split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Token <token>”.")
            )
        return self.authenticate_credentials(parts[1])

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=secret_hash(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid or was revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's user is no longer active."))
        credential_touch(token)
        return token.user, token
