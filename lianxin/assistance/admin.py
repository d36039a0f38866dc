from django.contrib import admin

from lianxin.assistance.models import AidApplication, AidScheme, ApprovalLevel


class ApprovalLevelInline(admin.TabularInline):
    model = ApprovalLevel
    extra = 1
    fields = ("position", "name", "unit", "department", "working_days")


@admin.register(AidScheme)
class AidSchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "funder", "max_per_application", "max_per_year", "is_active")
    list_filter = ("is_active", "funder")
    search_fields = ("name",)
    inlines = [ApprovalLevelInline]


@admin.register(AidApplication)
class AidApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications move only through their own pages (reviews, payments)."""

    list_display = ("number", "scheme", "resident", "amount", "status", "submitted_at")
    list_filter = ("status", "scheme")
    search_fields = ("number",)
    readonly_fields = [f.name for f in AidApplication._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
