"""What notices add to other pages (registered in apps.py): the resident's notice setting on
their page, and the notices of the period in the coverage report."""

from __future__ import annotations

from django.template.loader import render_to_string

from lianxin.notices import selectors, services
from lianxin.notices.models import SmsConsent


def resident_consent(request, resident) -> str:
    consent = SmsConsent.objects.filter(resident=resident).first()
    return render_to_string(
        "notices/_resident_consent.html",
        {
            "resident": resident,
            "consent": consent,
            "can_edit": request.user.role in services.SENDERS,
        },
        request=request,
    )


def coverage_notices(request, coverage) -> str:
    figures = selectors.coverage(coverage.community, coverage.start, coverage.end)
    return render_to_string(
        "notices/_coverage.html",
        {"figures": figures, "total": coverage.residents.total},
        request=request,
    )
