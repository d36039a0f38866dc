from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianxin.notify import selectors, services
from lianxin.notify.forms import NotificationTemplateForm, WeComRobotForm
from lianxin.notify.kinds import Channel, EventKind
from lianxin.notify.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    NotificationTemplate,
    OutboxMessage,
    WeComRobot,
)


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    form = NotificationTemplateForm
    list_display = ("kind", "channel", "subject", "updated_at", "updated_by")
    list_filter = ("channel", "kind")
    search_fields = ("subject", "body")
    readonly_fields = ("preview", "variables", "updated_at", "updated_by")
    fields = (
        "kind",
        "channel",
        "subject",
        "body",
        "provider_template_code",
        "provider_params",
        "variables",
        "preview",
        "updated_at",
        "updated_by",
    )
    actions = ["restore_default"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ("kind", "channel") if obj is not None else ()
        return fixed + tuple(self.readonly_fields)

    @admin.display(description=_("Variables"))
    def variables(self, obj):
        if not obj or not obj.kind:
            return "—"
        from lianxin.notify.kinds import SPECS

        names = ["link", "site_url", "recipient", "kind_label", *SPECS[obj.kind].sample]
        return ", ".join(f"{{{{ {n} }}}}" for n in dict.fromkeys(names))

    @admin.display(description=_("Preview with sample values"))
    def preview(self, obj):
        if not obj or not obj.pk:
            return gettext("Save the template to see a preview.")
        try:
            rendered = selectors.template_preview(obj)
        except Exception as exc:  # a template that renders badly is shown, not raised
            return gettext("The template cannot be rendered: %(error)s") % {"error": exc}
        params = format_html_join("", "<li><code>{}</code> = {}</li>", rendered.provider_params)
        return format_html(
            '<div class="lx-preview"><p><strong>{}</strong></p>{}{}</div>',
            rendered.subject,
            mark_safe(linebreaks(rendered.body, autoescape=True)),
            format_html("<ul>{}</ul>", params) if params else "",
        )

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Restore the default text"))
    def restore_default(self, request, queryset):
        for template in queryset:
            services.template_restore_default(actor=request.user, template=template)
        self.message_user(request, gettext("Default texts restored."), messages.SUCCESS)


@admin.register(WeComRobot)
class WeComRobotAdmin(admin.ModelAdmin):
    form = WeComRobotForm
    list_display = ("name", "department", "community", "masked_url", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    autocomplete_fields = ("department", "community")
    actions = ["send_test"]

    @admin.action(description=_("Send a test message"))
    def send_test(self, request, queryset):
        for robot in queryset:
            services.notify_wecom_group(
                kind=EventKind.MESSAGE,
                department=robot.department,
                community=robot.community,
                context={
                    "title": gettext("Test message"),
                    "body": gettext("This group robot is connected to Lianxin."),
                },
            )
        self.message_user(request, gettext("Test messages queued; see Deliveries."))


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "at", "ok", "error", "duration_ms")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class _DeliveryAdminBase(admin.ModelAdmin):
    list_select_related = ("recipient_user", "robot")
    date_hierarchy = "created_at"
    search_fields = ("recipient_label", "address_masked", "subject", "idempotency_key")
    fields = (
        "kind",
        "channel",
        "provider",
        "recipient_label",
        "shown_address",
        "recipient_user",
        "resident",
        "robot",
        "subject",
        "body",
        "link",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "provider_message_id",
        "idempotency_key",
        "created_at",
        "retried_by",
        "retried_at",
    )
    readonly_fields = fields

    @admin.display(description=_("address"))
    def shown_address(self, obj):
        return obj.shown_address

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(_DeliveryAdminBase):
    list_display = (
        "created_at",
        "kind",
        "channel",
        "provider",
        "recipient_label",
        "shown_address",
        "status",
        "attempts",
        "last_error_short",
    )
    list_filter = ("status", "channel", "provider", "kind")
    inlines = [DeliveryAttemptInline]
    actions = ["retry"]

    @admin.display(description=_("last error"))
    def last_error_short(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Retry the selected failed deliveries"))
    def retry(self, request, queryset):
        done, skipped = 0, 0
        for delivery in queryset.filter(status=DeliveryStatus.FAILED):
            try:
                services.delivery_retry(actor=request.user, delivery=delivery)
                done += 1
            except ValidationError:
                skipped += 1
        self.message_user(request, gettext("%(count)d deliveries queued again.") % {"count": done})


@admin.register(OutboxMessage)
class OutboxMessageAdmin(_DeliveryAdminBase):
    """SMS the outbox provider kept instead of sending (the embedded default)."""

    list_display = ("created_at", "kind", "recipient_label", "shown_address", "body", "status")
    list_filter = ("status", "kind")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(channel=Channel.SMS, provider="outbox")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at")
    list_filter = ("kind",)
    list_select_related = ("recipient",)
    search_fields = ("title", "recipient__username", "recipient__full_name")
    date_hierarchy = "created_at"
    readonly_fields = ("recipient", "kind", "title", "body", "link", "created_at", "read_at")

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email", "sms", "wecom", "updated_at")
    list_filter = ("kind", "email", "sms", "wecom")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name")
    autocomplete_fields = ("user",)
