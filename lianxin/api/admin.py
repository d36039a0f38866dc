"""Administrators create API tokens and Open311 keys here (or with `lianxin api-token` and
`lianxin open311-key`). A new secret is shown once, in the message after saving."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianxin.api import services
from lianxin.api.models import ApiToken, Open311Client, Open311Request


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "hint", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "hint", "user__username")
    list_select_related = ("user",)
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "name")
        return ("user", "name", "hint", "created_at", "created_by", "last_used_at", "revoked_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("user", "hint", "created_at", "created_by", "last_used_at", "revoked_at")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        token, secret = services.api_token_create(actor=request.user, user=obj.user, name=obj.name)
        obj.pk = token.pk
        self.message_user(
            request,
            gettext("The token, shown only now; give it to the program: %(secret)s")
            % {"secret": secret},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        done = sum(services.api_token_revoke(token=token) for token in queryset)
        self.message_user(request, gettext("%(count)d tokens revoked.") % {"count": done})

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "hint", "read_scope", "rate_limit", "is_active", "last_used_at")
    list_filter = ("is_active", "read_scope")
    search_fields = ("name", "contact", "hint")
    actions = ["rotate"]

    def get_readonly_fields(self, request, obj=None):
        return ("hint", "created_at", "last_used_at") if obj is not None else ()

    def get_fields(self, request, obj=None):
        fields = ["name", "contact", "rate_limit", "read_scope"]
        if obj is not None:
            fields += ["is_active", "hint", "created_at", "last_used_at"]
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = services.open311_client_create(
            name=obj.name,
            contact=obj.contact,
            rate_limit=obj.rate_limit,
            read_scope=obj.read_scope,
        )
        obj.pk = client.pk
        self.message_user(
            request,
            gettext("The API key, shown only now; give it to the application: %(key)s")
            % {"key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Give the selected applications new keys"))
    def rotate(self, request, queryset):
        for client in queryset:
            key = services.open311_client_rotate(client=client)
            self.message_user(
                request,
                gettext("New API key of %(name)s, shown only now: %(key)s")
                % {"name": client.name, "key": key},
                messages.WARNING,
            )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    list_display = ("token", "client", "status", "case", "created_at", "filed_at")
    list_filter = ("status", "client")
    search_fields = ("token", "case__number")
    list_select_related = ("case", "client")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
