"""Demo step: most residents of the first community agreed to notices (a few opted out), and
a briefing on the new medical-insurance rules went to its 低保户."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lianxin.directory.models import CareTag, Resident
from lianxin.notices.models import Audience, SmsConsent
from lianxin.notices.services import notice_send


def seed(*, rng, context: dict) -> None:
    users = context["users"]
    home = context["communities"][0]
    now = timezone.now()
    consents = []
    for resident_id in Resident.objects.filter(community=home).values_list("pk", flat=True):
        roll = rng.random()
        if roll < 0.8:
            consents.append(
                SmsConsent(resident_id=resident_id, agreed_at=now, agreed_how="入户登记时签字同意")
            )
        elif roll < 0.85:
            consents.append(
                SmsConsent(
                    resident_id=resident_id,
                    agreed_at=now,
                    agreed_how="入户登记时签字同意",
                    opted_out_at=now,
                    opted_out_how="回复TD退订",
                )
            )
    SmsConsent.objects.bulk_create(consents)
    dibao = CareTag.objects.filter(code="dibao").first()
    if dibao is not None:
        notice_send(
            actor=users["worker"],
            title="医保新政宣讲",
            text="今年医保报销有新规定：门诊报销比例提高。6月8日上午9点在社区党群服务中心讲解，欢迎参加。",
            audience=Audience.CARE_TAG,
            community=home,
            care_tag=dibao,
            now=now - datetime.timedelta(days=1),
        )
