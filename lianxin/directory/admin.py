from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lianxin.directory.models import (
    CareTag,
    Community,
    Department,
    Household,
    Pairing,
    Representative,
    Resident,
    RosterImport,
    Subdistrict,
)


class CommunityInline(admin.TabularInline):
    model = Community
    extra = 0
    fields = ("name", "code", "phone")


@admin.register(Subdistrict)
class SubdistrictAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "phone")
    search_fields = ("name",)
    inlines = [CommunityInline]


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "subdistrict", "code", "phone")
    list_filter = ("subdistrict",)
    search_fields = ("name", "code")


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")


@admin.register(Representative)
class RepresentativeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "unit", "phone", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "unit")
    raw_id_fields = ("user",)


@admin.register(CareTag)
class CareTagAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_sensitive", "visit_question", "sort_order")
    list_editable = ("sort_order",)


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ("address", "head_name", "community")
    list_filter = ("community",)
    search_fields = ("address", "head_name")
    filter_horizontal = ("care_tags",)


@admin.register(Resident)
class ResidentAdmin(SimpleHistoryAdmin):
    """Numbers appear masked here; revealing one is done (and logged) on the staff page."""

    list_display = ("name", "community", "phone_masked", "id_masked", "is_party_member")
    list_filter = ("community", "is_party_member", "care_tags")
    search_fields = ("name", "address")
    raw_id_fields = ("household",)
    filter_horizontal = ("care_tags",)
    readonly_fields = ("phone_masked", "id_masked")
    list_select_related = ("community",)


@admin.register(Pairing)
class PairingAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "kind", "start_date", "end_date")
    list_filter = ("kind",)
    raw_id_fields = ("representative", "community", "party_member", "resident", "household")


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = (
        "file_name",
        "created_by",
        "created_at",
        "status",
        "total_rows",
        "created_count",
        "duplicate_count",
        "error_count",
    )
    readonly_fields = [f.name for f in RosterImport._meta.fields]

    def has_add_permission(self, request):
        return False
