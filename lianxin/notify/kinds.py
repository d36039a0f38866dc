"""Event kinds: who hears of what, on which channels by default, and in which words.

To add a kind: add a member to `EventKind` (short stable code, translated label), add its
`KindSpec` to `SPECS` (audience, default channels per role, a sample context that documents
the template variables and feeds the preview, and the Chinese default texts), then run
`lianxin makemigrations notify` (the choices changed) and `lianxin migrate`, which creates
its templates. Administrators may then edit them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import Role


class EventKind(models.TextChoices):
    CASE_RECEIVED = "case_received", _("Case received (to the resident)")
    CASE_REFERRED = "case_referred", _("Case referred (to the resident)")
    CASE_FEEDBACK = "case_feedback", _("Result fed back (to the resident)")
    CASE_MERGED = "case_merged", _("Case merged with the same problem (to the resident)")
    CASE_REOPENED = "case_reopened", _("Case handled again (to the resident)")
    CASE_DEADLINE = "case_deadline", _("New deadline (to the resident)")
    REFERRAL_ASSIGNED = "referral_assigned", _("New referral (to the department)")
    REFERRAL_RETURNED = "referral_returned", _("Referral returned (to the dispatcher)")
    CASE_DUE_SOON = "case_due_soon", _("Deadline approaching")
    CASE_OVERDUE_URGED = "case_overdue_urged", _("Urging of overdue work")
    CASE_SUPERVISED = "case_supervised", _("Supervision of overdue work")
    CASE_RATED = "case_rated", _("Case rated by the resident")
    RECEPTION_UPCOMING = "reception_upcoming", _("Upcoming reception day (to residents)")
    AID_SUBMITTED = "aid_submitted", _("Aid application submitted (to the resident)")
    AID_LEVEL_PASSED = "aid_level_passed", _("Aid application passed a review (to the resident)")
    AID_RETURNED = "aid_returned", _("Aid application sent back (to the resident)")
    AID_REJECTED = "aid_rejected", _("Aid application not approved (to the resident)")
    AID_PAID = "aid_paid", _("Aid paid (to the resident)")
    PROJECT_MILESTONE = "project_milestone", _("Practical project milestone (to followers)")
    PROJECT_COMPLETED = "project_completed", _("Practical project completed (to followers)")
    NOTICE = "notice", _("Notice to residents")
    MESSAGE = "message", _("Message")


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom group")


class Audience(models.TextChoices):
    STAFF = "staff", _("Staff")
    RESIDENT = "resident", _("Residents")


STAFF_CHANNELS = (Channel.INBOX, Channel.EMAIL, Channel.SMS, Channel.WECOM)
RESIDENT_CHANNELS = (Channel.SMS,)
# Staff can choose these; the inbox always receives everything, so nothing is ever missed.
OPTIONAL_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WECOM)

EMAIL_FOOTER = "\n\n查看详情：{{ link }}\n\n——\n连心 · 党代表联系服务平台\n本邮件由系统自动发送，请勿直接回复。"


@dataclass(frozen=True)
class KindSpec:
    audience: str
    title: str
    body: str
    sms: str
    sample: dict
    # Optional channels on by default, per role ("*" for any role not listed).
    defaults: dict = field(default_factory=lambda: {"*": frozenset()})
    # Variables for the template of a cloud SMS provider ("name={{ expression }}" lines).
    sms_params: str = ""

    def default_channels(self, role: str) -> frozenset:
        return self.defaults.get(role, self.defaults.get("*", frozenset()))

    def channels(self) -> tuple:
        return STAFF_CHANNELS if self.audience == Audience.STAFF else RESIDENT_CHANNELS

    def default_template(self, channel: str) -> tuple[str, str]:
        """(subject, body) of the default template of one channel."""
        if channel == Channel.INBOX:
            return self.title, self.body
        if channel == Channel.EMAIL:
            return self.title, self.body + EMAIL_FOOTER
        if channel == Channel.WECOM:
            return self.title, "【连心】" + self.title + "\n" + self.body + "\n详情：{{ link }}"
        return "", self.sms


_CASE_SAMPLE = {
    "case_number": "LX20260512-0031",
    "case_title": "幼儿园早晨广播噪音扰民",
    "tracking_code": "K7M2Q9",
    "community": "幸福里社区",
    "department": "区教育委员会",
    "departments": "实验幼儿园、区住房和城乡建设委员会",
    "due": "5月20日17:00",
    "holder": "李红（区教育委员会）",
    "reason": "该事项属物业管理范围，请转物业公司办理",
    "feedback": "幼儿园已调整广播音量和时段，早晨7:30前不再播放。",
    "rating": "满意",
    "reopened": False,
    "round": 1,
}

_AID_SAMPLE = {
    "name": "牛某",
    "scheme": "残疾人困难补助",
    "number": "BF2026-0007",
    "amount": "2000.00",
    "applicant": "王新春",
    "level": "柳荫街道办事处审核",
    "passed": "社区初审",
    "note": "请补充近三个月的医疗费用票据",
    "paid": "2000.00",
    "paid_on": "2026年6月12日",
    "method": "银行转账",
}

_PROJECT_SAMPLE = {
    "project": "职工小食堂建设",
    "milestone": "厨房设备安装完成",
    "progress": 60,
    "result": "小食堂已投入使用，每天供应午餐和晚餐。",
}

SPECS: dict[str, KindSpec] = {
    EventKind.CASE_RECEIVED: KindSpec(
        audience=Audience.RESIDENT,
        title="诉求已受理",
        body="您反映的诉求已受理，查询码{{ tracking_code }}。",
        sms="您反映的诉求已受理，查询码{{ tracking_code }}，可凭码查询办理进度：{{ link }}",
        sms_params="code={{ tracking_code }}",
        sample=_CASE_SAMPLE,
    ),
    EventKind.CASE_REFERRED: KindSpec(
        audience=Audience.RESIDENT,
        title="诉求已转办",
        body="您的诉求已转交{{ departments }}办理。",
        sms="您的诉求（查询码{{ tracking_code }}）已转交{{ departments }}办理，进度可查：{{ link }}",
        sms_params="code={{ tracking_code }}\ndepartment={{ departments }}",
        sample=_CASE_SAMPLE,
    ),
    EventKind.CASE_FEEDBACK: KindSpec(
        audience=Audience.RESIDENT,
        title="办理结果反馈",
        body="您的诉求已办结：{{ feedback }}",
        sms="您的诉求（查询码{{ tracking_code }}）已办结：{{ feedback|truncatechars:40 }}请您评价：{{ link }}",
        sms_params="code={{ tracking_code }}",
        sample=_CASE_SAMPLE,
    ),
    EventKind.CASE_MERGED: KindSpec(
        audience=Audience.RESIDENT,
        title="诉求已合并办理",
        body="您的诉求与其他居民反映的同一问题合并办理（编号{{ survivor_number }}），办理进度和评价照常通知您。",
        sms="您的诉求（查询码{{ tracking_code }}）与其他居民反映的同一问题合并办理，进度仍可凭原查询码查询：{{ link }}",
        sms_params="code={{ tracking_code }}",
        sample={**_CASE_SAMPLE, "survivor_number": "LX-2026-000118"},
    ),
    EventKind.CASE_REOPENED: KindSpec(
        audience=Audience.RESIDENT,
        title="诉求重新办理",
        body="根据您的评价，您的诉求已重新办理，新的办理时限为{{ due }}。",
        sms="根据您的评价，您的诉求（查询码{{ tracking_code }}）已重新办理，办理时限{{ due }}，进度可查：{{ link }}",
        sms_params="code={{ tracking_code }}\ndue={{ due }}",
        sample=_CASE_SAMPLE,
    ),
    EventKind.CASE_DEADLINE: KindSpec(
        audience=Audience.RESIDENT,
        title="办理时限已确定",
        body="您的诉求办理时限为{{ due }}。",
        sms="您的诉求（查询码{{ tracking_code }}）办理时限为{{ due }}，进度可查：{{ link }}",
        sms_params="code={{ tracking_code }}\ndue={{ due }}",
        sample=_CASE_SAMPLE,
    ),
    EventKind.RECEPTION_UPCOMING: KindSpec(
        audience=Audience.RESIDENT,
        title="党代表接待日预告",
        body="{{ community }}党代表接待日定于{{ date }}在{{ place }}举行。",
        sms="{{ community }}党代表接待日定于{{ date }}在{{ place }}举行，欢迎您前来反映情况、提出建议。",
        sms_params="community={{ community }}\ndate={{ date }}\nplace={{ place }}",
        sample={
            "community": "幸福里社区",
            "date": "6月8日（周六）上午9:00—11:30",
            "place": "社区党群服务中心一楼",
            "representatives": "王建国、张秀英",
        },
    ),
    EventKind.AID_SUBMITTED: KindSpec(
        audience=Audience.RESIDENT,
        title="帮扶申请已提交",
        body="您的{{ scheme }}申请（编号{{ number }}，{{ amount }}元）已提交{{ level }}。",
        sms="{{ name }}您好，{{ applicant }}已为您提交{{ scheme }}申请（编号{{ number }}，{{ amount }}元），现由{{ level }}，审核结果将短信告知。",
        sms_params="scheme={{ scheme }}\nnumber={{ number }}\namount={{ amount }}",
        sample=_AID_SAMPLE,
    ),
    EventKind.AID_LEVEL_PASSED: KindSpec(
        audience=Audience.RESIDENT,
        title="帮扶申请审核通过",
        body="您的{{ scheme }}申请（编号{{ number }}）已通过{{ passed }}。{% if level %}现由{{ level }}。{% else %}已批准，等待发放。{% endif %}",
        sms="您的{{ scheme }}申请（编号{{ number }}）已通过{{ passed }}。{% if level %}现由{{ level }}。{% else %}已批准{{ amount }}元，发放后将短信告知。{% endif %}",
        sms_params="scheme={{ scheme }}\nnumber={{ number }}\npassed={{ passed }}",
        sample=_AID_SAMPLE,
    ),
    EventKind.AID_RETURNED: KindSpec(
        audience=Audience.RESIDENT,
        title="帮扶申请需补充材料",
        body="您的{{ scheme }}申请（编号{{ number }}）需补充：{{ note }}",
        sms="您的{{ scheme }}申请（编号{{ number }}）需补充：{{ note|truncatechars:40 }}，{{ applicant }}将与您联系。",
        sms_params="scheme={{ scheme }}\nnumber={{ number }}",
        sample=_AID_SAMPLE,
    ),
    EventKind.AID_REJECTED: KindSpec(
        audience=Audience.RESIDENT,
        title="帮扶申请未获批准",
        body="您的{{ scheme }}申请（编号{{ number }}）未获批准：{{ note }}",
        sms="您的{{ scheme }}申请（编号{{ number }}）经{{ passed }}未获批准，原因：{{ note|truncatechars:40 }}。如有疑问请联系社区。",
        sms_params="scheme={{ scheme }}\nnumber={{ number }}",
        sample=_AID_SAMPLE,
    ),
    EventKind.AID_PAID: KindSpec(
        audience=Audience.RESIDENT,
        title="帮扶款已发放",
        body="您的{{ scheme }}（编号{{ number }}）{{ paid }}元已于{{ paid_on }}通过{{ method }}发放。",
        sms="您的{{ scheme }}{{ paid }}元已于{{ paid_on }}通过{{ method }}发放，请注意查收。",
        sms_params="scheme={{ scheme }}\namount={{ paid }}\ndate={{ paid_on }}",
        sample=_AID_SAMPLE,
    ),
    EventKind.PROJECT_MILESTONE: KindSpec(
        audience=Audience.RESIDENT,
        title="民生实事进展",
        body="您关注的民生实事「{{ project }}」{{ milestone }}：{{ progress }}%。",
        sms="您关注的民生实事「{{ project|truncatechars:20 }}」{{ milestone }}，进度{{ progress }}%。详情：{{ link }}",
        sms_params="project={{ project|truncatechars:20 }}\nmilestone={{ milestone }}",
        sample=_PROJECT_SAMPLE,
    ),
    EventKind.PROJECT_COMPLETED: KindSpec(
        audience=Audience.RESIDENT,
        title="民生实事已完成",
        body="您关注的民生实事「{{ project }}」已完成：{{ result }}",
        sms="您关注的民生实事「{{ project|truncatechars:20 }}」已完成，欢迎评价：{{ link }}",
        sms_params="project={{ project|truncatechars:20 }}",
        sample=_PROJECT_SAMPLE,
    ),
    EventKind.NOTICE: KindSpec(
        audience=Audience.RESIDENT,
        title="{{ title }}",
        body="{{ text }}",
        sms="{{ text }}{{ opt_out }}",
        sms_params="content={{ text }}",
        sample={
            "title": "医保新政宣讲",
            "text": "6月8日上午9点在社区党群服务中心讲解今年医保报销新规定，欢迎参加。",
            "opt_out": "回复TD退订",
        },
    ),
    EventKind.REFERRAL_ASSIGNED: KindSpec(
        audience=Audience.STAFF,
        title="新转办件：{{ case_title }}",
        body="{{ department }}收到新的转办件「{{ case_title }}」（编号{{ case_number }}），请于{{ due }}前签收办理。",
        sms="{{ department }}有新转办件「{{ case_title|truncatechars:20 }}」，请于{{ due }}前登录连心签收办理。",
        sms_params="department={{ department }}\ntitle={{ case_title|truncatechars:20 }}",
        defaults={
            Role.HANDLER: frozenset({Channel.EMAIL, Channel.SMS, Channel.WECOM}),
            "*": frozenset({Channel.EMAIL}),
        },
        sample=_CASE_SAMPLE,
    ),
    EventKind.REFERRAL_RETURNED: KindSpec(
        audience=Audience.STAFF,
        title="转办件被退回：{{ case_title }}",
        body="{{ department }}退回了转办件「{{ case_title }}」（编号{{ case_number }}），退回理由：{{ reason }}。请重新分派。",
        sms="{{ department }}退回了转办件「{{ case_title|truncatechars:20 }}」，请登录连心重新分派。",
        sms_params="department={{ department }}\ntitle={{ case_title|truncatechars:20 }}",
        defaults={"*": frozenset({Channel.EMAIL})},
        sample=_CASE_SAMPLE,
    ),
    EventKind.CASE_DUE_SOON: KindSpec(
        audience=Audience.STAFF,
        title="即将到期：{{ case_title }}",
        body="您办理的诉求「{{ case_title }}」（编号{{ case_number }}）将于{{ due }}到期，请抓紧办理并及时反馈群众。",
        sms="您办理的诉求「{{ case_title|truncatechars:20 }}」将于{{ due }}到期，请抓紧办理。",
        sms_params="title={{ case_title|truncatechars:20 }}\ndue={{ due }}",
        defaults={
            Role.REPRESENTATIVE: frozenset({Channel.SMS}),
            Role.HANDLER: frozenset({Channel.EMAIL, Channel.WECOM}),
            "*": frozenset({Channel.EMAIL}),
        },
        sample=_CASE_SAMPLE,
    ),
    EventKind.CASE_OVERDUE_URGED: KindSpec(
        audience=Audience.STAFF,
        title="催办：{{ case_title }}",
        body="诉求「{{ case_title }}」（编号{{ case_number }}）已超过办理时限（应于{{ due }}前办结），现予催办，请尽快办理并反馈办理情况。",
        sms="【催办】诉求「{{ case_title|truncatechars:20 }}」已超期（时限{{ due }}），请尽快办理并反馈。",
        sms_params="title={{ case_title|truncatechars:20 }}\ndue={{ due }}",
        defaults={"*": frozenset({Channel.EMAIL, Channel.SMS, Channel.WECOM})},
        sample=_CASE_SAMPLE,
    ),
    EventKind.CASE_SUPERVISED: KindSpec(
        audience=Audience.STAFF,
        title="督办：{{ case_title }}",
        body="诉求「{{ case_title }}」（编号{{ case_number }}）经催办仍未办结，已列入督办。当前承办：{{ holder }}，时限{{ due }}。",
        sms="【督办】诉求「{{ case_title|truncatechars:20 }}」经催办仍未办结，已列入督办，请督促限期办结。",
        sms_params="title={{ case_title|truncatechars:20 }}",
        defaults={"*": frozenset({Channel.EMAIL, Channel.SMS, Channel.WECOM})},
        sample=_CASE_SAMPLE,
    ),
    EventKind.CASE_RATED: KindSpec(
        audience=Audience.STAFF,
        title="群众已评价：{{ case_title }}",
        body="诉求「{{ case_title }}」（编号{{ case_number }}）群众评价：{{ rating }}。{% if reopened %}群众不满意，诉求已重办。{% endif %}",
        sms="诉求「{{ case_title|truncatechars:20 }}」群众评价：{{ rating }}。{% if reopened %}已重办。{% endif %}",
        sms_params="title={{ case_title|truncatechars:20 }}\nrating={{ rating }}",
        sample=_CASE_SAMPLE,
    ),
    EventKind.MESSAGE: KindSpec(
        audience=Audience.STAFF,
        title="{{ title }}",
        body="{{ body }}",
        sms="{{ body|truncatechars:60 }}",
        sms_params="content={{ body|truncatechars:60 }}",
        sample={"title": "系统通知", "body": "本周五18:00至20:00系统维护，期间暂停使用。"},
    ),
}


def spec(kind: str) -> KindSpec:
    try:
        return SPECS[kind]
    except KeyError:
        raise ValueError(
            f"Unknown notification kind {kind!r}; add it to lianxin.notify.kinds."
        ) from None
