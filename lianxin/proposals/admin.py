from django.contrib import admin

from lianxin.proposals.models import ProposalHandling


@admin.register(ProposalHandling)
class ProposalHandlingAdmin(admin.ModelAdmin):
    list_display = ("proposal", "department", "answer_kind", "rating", "assigned_at")
    list_filter = ("answer_kind", "rating", "department")
    readonly_fields = [f.name for f in ProposalHandling._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
