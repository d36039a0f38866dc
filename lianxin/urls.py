from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as serve_file

from lianxin.core import views as core_views
from lianxin.notices import views as notice_views

admin.site.site_header = admin.site.site_title = "连心 Lianxin"

urlpatterns = [
    path("", include("lianxin.portal.urls")),
    path("accounts/", include("lianxin.accounts.urls")),
    path("staff/", include("lianxin.core.staff_urls")),
    path("staff/directory/", include("lianxin.directory.urls")),
    path("staff/notify/", include("lianxin.notify.urls")),
    path("staff/calendar/", include("lianxin.calendar.urls")),
    path("staff/cases/", include("lianxin.cases.urls")),
    path("staff/outreach/", include("lianxin.outreach.urls")),
    path("staff/insight/", include("lianxin.insight.urls")),
    path("outreach/", include("lianxin.outreach.public_urls")),
    path("figures/", include("lianxin.insight.public_urls")),
    path("staff/aid/", include("lianxin.assistance.urls")),
    path("staff/projects/", include("lianxin.projects.urls")),
    path("projects/", include("lianxin.projects.public_urls")),
    path("staff/proposals/", include("lianxin.proposals.urls")),
    path("staff/notices/", include("lianxin.notices.urls")),
    path("notices/sms-reply/", notice_views.sms_reply, name="notices_reply"),
    path("api/v1/", include("lianxin.api.urls")),
    path("open311/v2/", include("lianxin.api.open311.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    # Uploaded public files (representatives' photos). A fronting web server may serve
    # MEDIA_ROOT itself; in the embedded default the application does.
    re_path(
        r"^media/(?P<path>representatives/.*)$", serve_file, {"document_root": settings.MEDIA_ROOT}
    ),
    # Photos of practical projects' milestones (public, re-encoded without metadata).
    re_path(r"^media/(?P<path>projects/.*)$", serve_file, {"document_root": settings.MEDIA_ROOT}),
]
