from django.contrib import admin

from lianxin.outreach.models import (
    Activity,
    Attendance,
    CheckIn,
    DutyRule,
    DutyRuleSet,
    Proposal,
    ReceptionDay,
    ReceptionVisitor,
    Visit,
)


@admin.register(DutyRule)
class DutyRuleAdmin(admin.ModelAdmin):
    list_display = ("year", "metric", "period", "minimum", "note")
    list_filter = ("year", "metric", "period")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ("community", "starts_at", "place", "status", "publish_at", "announced_at")
    list_filter = ("status", "community")
    date_hierarchy = "starts_at"
    list_select_related = ("community",)
    # Publication, announcement and closing go through the staff pages and their rules.
    readonly_fields = ("status", "publish_at", "announced_at", "summarised_at", "created_by")


@admin.register(ReceptionVisitor)
class ReceptionVisitorAdmin(admin.ModelAdmin):
    list_display = ("reception", "name", "resident", "case", "arrived_at")
    list_select_related = ("reception__community", "resident", "case")
    raw_id_fields = ("reception", "resident", "case")


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("visited_at", "community", "household", "resident", "recorded_by")
    list_filter = ("community",)
    date_hierarchy = "visited_at"
    list_select_related = ("community", "household", "resident", "recorded_by")
    raw_id_fields = ("household", "resident", "cases")


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("checked_in_at", "representative", "community")
    list_select_related = ("representative", "community")


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "kind", "topic", "place")
    list_filter = ("kind",)
    date_hierarchy = "starts_at"


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("activity", "name", "resident", "phone_masked", "method", "signed_in_at")
    list_select_related = ("activity", "resident")
    raw_id_fields = ("activity", "resident")


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("representative", "case", "created_at")
    list_select_related = ("representative", "case")
    raw_id_fields = ("case",)


@admin.register(DutyRuleSet)
class DutyRuleSetAdmin(admin.ModelAdmin):
    list_display = ("year", "name")
