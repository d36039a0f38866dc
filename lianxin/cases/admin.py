from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    Category,
    CategoryQuestion,
    Rating,
    RatingInvitation,
    Referral,
)


class ChildCategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 0
    fields = (
        "name",
        "code",
        "default_department",
        "handling_limit",
        "handling_unit",
        "is_active",
        "sort_order",
    )


class CategoryQuestionInline(admin.StackedInline):
    """Questions asked when this kind of problem is reported (Open311 service attributes)."""

    model = CategoryQuestion
    extra = 0
    fields = (
        ("order", "code", "required"),
        "description",
        ("datatype", "datatype_description"),
        "choices",
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "default_department",
        "response_limit",
        "response_unit",
        "handling_limit",
        "handling_unit",
        "urgent_handling_limit",
        "urgent_handling_unit",
        "is_active",
    )
    list_filter = ("parent", "is_active", "handling_unit")
    search_fields = ("name", "code", "keywords")
    list_select_related = ("parent", "default_department")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "parent",
                    "name",
                    "code",
                    "plain_description",
                    "appeal_types",
                    "default_department",
                    "keywords",
                    "is_active",
                    "sort_order",
                )
            },
        ),
        (
            _("Ordinary time limits"),
            {"fields": (("response_limit", "response_unit"), ("handling_limit", "handling_unit"))},
        ),
        (
            _("Urgent time limits"),
            {
                "fields": (
                    ("urgent_response_limit", "urgent_response_unit"),
                    ("urgent_handling_limit", "urgent_handling_unit"),
                )
            },
        ),
    )

    def get_inlines(self, request, obj):
        if obj is not None and obj.parent_id is None:
            return [ChildCategoryInline]
        return [CategoryQuestionInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReferralInline(ReadOnlyInline):
    model = Referral
    fields = ("department", "role", "status", "round", "referred_at", "due_at", "replied_at")


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("at", "kind", "actor", "actor_label", "is_public", "note")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases change only through the staff pages (services keep the timeline); the admin
    shows them read-only."""

    list_display = (
        "number",
        "title",
        "status",
        "category",
        "community",
        "received_at",
        "handling_due_at",
    )
    list_filter = ("status", "channel", "urgency", "community")
    search_fields = ("number", "title", "tracking_code")
    date_hierarchy = "received_at"
    list_select_related = ("category__parent", "community")
    inlines = [ReferralInline, EventInline]
    exclude = ("reporter_phone_cipher", "reporter_phone_index")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Case._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ("case", "kind", "at", "actor", "is_public")
    list_filter = ("kind", "is_public")
    search_fields = ("case__number", "note")
    list_select_related = ("case", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("case", "round", "satisfaction", "resolved", "is_callback", "created_at")
    list_filter = ("satisfaction", "resolved", "is_callback")
    list_select_related = ("case",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(Attachment)
admin.site.register(
    RatingInvitation, list_display=("case", "round", "created_at", "expires_at", "used_at")
)
