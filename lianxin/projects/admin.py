from django.contrib import admin

from lianxin.projects.models import Milestone, Project


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("title", "due_on", "progress", "reached_on")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "community", "owner", "status", "progress", "starts_on")
    list_filter = ("status", "owner")
    search_fields = ("title",)
    inlines = [MilestoneInline]
    filter_horizontal = ("proposals",)
    raw_id_fields = ("cases",)
