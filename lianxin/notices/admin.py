from django.contrib import admin

from lianxin.notices.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Read-only: notices are sent from their page, where consent and limits are applied."""

    list_display = ("title", "audience", "community", "sent_at", "sent_by")
    list_filter = ("audience",)
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
