"""Demo step: categories get their usual lead departments, and the district gets cases in
every state — among them the seed's kindergarten-noise case, still 协调落实中, and a case whose
response limit has already passed, for the deadline sweep to urge."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from lianxin.calendar import deadlines
from lianxin.cases import services
from lianxin.cases.models import Category, Channel, RatingInvitation

DEFAULT_DEPARTMENTS = {
    "noise": "区城市管理委员会",
    "noise-institution": "区教育委员会",
    "traffic": "区公安交通管理支队",
    "traffic-road": "区城市管理委员会",
    "property": "青禾物业管理中心",
    "sanitation": "区城市管理委员会",
    "sanitation-building": "区住房和城乡建设委员会",
    "utilities-water": "区供水排水公司",
    "utilities-power": "区供电服务中心",
    "utilities": "区住房和城乡建设委员会",
    "welfare": "区民政局",
    "employment": "区人力资源和社会保障局",
    "elderly": "区民政局",
    "disability": "区残疾人联合会",
    "housing": "区住房和城乡建设委员会",
    "safety": "区住房和城乡建设委员会",
    "education": "区教育委员会",
    "health": "区卫生健康委员会",
    "dispute": "青禾街道办事处",
    "policy": "区委组织部",
    "suggestion": "区委组织部",
}

# title, description, category code, appeal type
ORDINARY_CASES = [
    (
        "小区门口黑车占道",
        "每天傍晚小区东门有黑车拉客，占了半条路，老人过马路很危险。",
        "traffic-parking",
        "complaint",
    ),
    ("3号楼电梯经常停", "3号楼电梯这个月停了四次，楼上老人下不了楼。", "property-elevator", "help"),
    ("楼道堆放杂物", "2单元楼道里堆了旧家具和纸箱，怕着火。", "safety-fire", "report"),
    ("路灯不亮", "枣园北里路口两盏路灯坏了一个多星期，晚上很黑。", "traffic-road", "help"),
    ("垃圾站异味大", "垃圾站夏天味道很大，清运不及时。", "sanitation-garbage", "complaint"),
    ("暖气不热", "家里暖气片只有温的，屋里才十五度。", "utilities-heating", "help"),
    (
        "想申请临时救助",
        "老伴住院花了不少钱，家里一时周转不开，想问能不能申请临时救助。",
        "welfare-relief",
        "help",
    ),
    (
        "失地后想找工作",
        "征地以后一直没找到稳定工作，想参加技能培训。",
        "employment-landless",
        "help",
    ),
    (
        "希望办老年餐桌",
        "社区老人多，希望能办个老年餐桌，中午能吃口热饭。",
        "elderly-meals",
        "suggestion",
    ),
    (
        "残疾人补助怎么申请",
        "我是肢体残疾，想问困难补助需要什么材料。",
        "disability-subsidy",
        "consult",
    ),
    ("装修噪音晚上十点还在响", "楼上装修晚上十点多还在用电钻。", "noise-construction", "complaint"),
    ("建议增加公交班次", "早高峰公交车太挤，建议增加班次。", "traffic-transit", "suggestion"),
    ("下水管道堵塞", "一楼下水返水，物业说要等维修基金。", "property-repair", "help"),
    (
        "孩子入园咨询",
        "明年孩子该上幼儿园了，想问划片和报名时间。",
        "education-enrolment",
        "consult",
    ),
    ("邻居家漏水到我家", "楼上卫生间漏水，天花板都泡了，协商不成。", "dispute-neighbour", "help"),
    (
        "对党员干部作风的建议",
        "希望党员干部多下来走走，多听听老百姓的意见。",
        "suggestion-party",
        "suggestion",
    ),
]


def seed(*, rng: random.Random, context: dict) -> None:
    departments = {d.name: d for d in context["departments"].values()}
    for category in Category.objects.all():
        name = DEFAULT_DEPARTMENTS.get(category.code)
        if name:
            category.default_department = departments[name]
            category.save(update_fields=["default_department"])

    users = context["users"]
    communities = context["communities"]
    residents = [r for r in context["residents_created"] if r.phone_index]
    by_community: dict[int, list] = {}
    for person in residents:
        by_community.setdefault(person.community_id, []).append(person)
    now = timezone.now()

    _kindergarten_noise(users, departments, communities[0], by_community, now)
    _overdue_response(users, communities[0], by_community, now)

    actors = {0: users["worker"], 1: users["rep"], 4: users["worker2"]}
    for index, (title, description, code, appeal) in enumerate(ORDINARY_CASES):
        position = index % len(communities)
        community = communities[position]
        actor = actors.get(position, users["admin"])
        received = _working_days_ago(now, rng.randint(1, 12), hour=rng.randint(8, 17))
        case = services.case_intake(
            actor=actor,
            title=title,
            description=description,
            channel=rng.choice([Channel.VISIT, Channel.PHONE, Channel.WALK_IN, Channel.WECHAT]),
            category=Category.objects.get(code=code),
            appeal_type=appeal,
            community=community,
            reporter_resident=rng.choice(people)
            if (people := by_community.get(community.pk))
            else None,
            is_anonymous=not by_community.get(community.pk),
            received_at=received,
            address=f"{community.address}附近",
        )
        _advance(case, actor, users, rng, stage=index % 6)


def _nth(people: list, index: int):
    """The index-th person, wrapping round in a small demo."""
    return people[index % len(people)]


def _working_days_ago(now, days: int, *, hour: int) -> datetime.datetime:
    day = timezone.localdate(now)
    counted = 0
    while counted < days:
        day -= datetime.timedelta(days=1)
        if deadlines.is_working_day(day):
            counted += 1
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))


def _advance(case, actor, users, rng, *, stage: int) -> None:
    """Move a case some way along its life so every state appears in the demo."""
    handlers = {
        "青禾物业管理中心": users["handler2"],
        "区住房和城乡建设委员会": users["handler3"],
        "小太阳幼儿园": users["handler"],
    }
    if stage == 0:
        return
    services.case_contact(actor=actor, case=case, note="已电话联系居民，了解了具体情况")
    if stage == 1:
        return
    department = case.category.default_department or case.category.parent.default_department
    [referral] = services.case_refer(
        actor=actor, case=case, lead=department, instructions="请核实情况并在时限内答复"
    )
    handler = handlers.get(department.name) or _handler_for(department)
    if stage == 2:
        return
    services.referral_accept(actor=handler, referral=referral)
    services.referral_reply(
        actor=handler, referral=referral, reply="已现场核实并安排整改，预计本周内完成。"
    )
    if stage == 3:
        return
    services.case_feedback(
        actor=actor, case=case, summary="承办单位已整改，已电话告知居民", method="phone"
    )
    if stage == 5:
        token = RatingInvitation.objects.filter(case=case).first().token()
        services.rating_submit(
            token=token,
            resolved=True,
            satisfaction=rng.choice([4, 5]),
            comment="处理得很及时，谢谢",
        )


def _handler_for(department):
    """Every demo department gets a handler login the first time one is needed."""
    from django.conf import settings

    from lianxin.accounts.models import Role, User
    from lianxin.accounts.services import user_create

    existing = User.objects.filter(department=department, role=Role.HANDLER).first()
    if existing:
        return existing
    return user_create(
        username=f"handler-{department.pk}",
        password=settings.LIANXIN_DEMO_PASSWORD,
        role=Role.HANDLER,
        full_name=f"{department.short_name}经办人",
        department=department,
        is_demo=True,
    )


def _kindergarten_noise(users, departments, community, by_community, now) -> None:
    people = by_community[community.pk]
    noise = Category.objects.get(code="noise-institution")
    text = (
        "小太阳幼儿园每天早上六点半就开始放音乐、用喇叭喊操，周末也不停，"
        "楼里老人和上夜班的人都休息不好。"
    )
    received = _working_days_ago(now, 3, hour=9)
    reports = [
        services.case_intake(
            actor=users["rep"],
            title="幼儿园早上放音乐扰民",
            description=text,
            channel=Channel.RECEPTION,
            category=noise,
            appeal_type="complaint",
            community=community,
            reporter_resident=_nth(people, i),
            received_at=received,
            address="青禾路3号小太阳幼儿园",
        )
        for i in range(3)
    ] + [
        services.case_intake(
            actor=None,
            title="幼儿园噪音太大",
            description=text,
            channel=Channel.WEB,
            category=noise,
            appeal_type="complaint",
            community=community,
            reporter_name=_nth(people, 3 + i).name,
            reporter_phone=_nth(people, 3 + i).unsealed_phone(),
            consented=True,
            received_at=received + datetime.timedelta(hours=5 + i),
            address="青禾路3号",
        )
        for i in range(2)
    ]
    survivor = reports[0]
    for duplicate in reports[1:]:
        services.case_merge(actor=users["worker"], case=duplicate, into=survivor)
    services.case_contact(
        actor=users["rep"], case=survivor, note="与反映问题的居民当面沟通，记录了具体时间和影响"
    )
    referrals = services.case_refer(
        actor=users["rep"],
        case=survivor,
        lead=departments["小太阳幼儿园"],
        assisting=[departments["青禾物业管理中心"], departments["区住房和城乡建设委员会"]],
        instructions="请幼儿园调整早操时间和音量；物业、区建委配合核查。",
    )
    services.referral_return(
        actor=users["handler2"],
        referral=referrals[1],
        reason="幼儿园不在我中心物业管理范围内，建议转街道协调。",
    )
    services.case_refer(
        actor=users["rep"],
        case=survivor,
        assisting=[departments["青禾街道办事处"]],
        instructions="请街道协调幼儿园与周边居民。",
    )
    services.referral_accept(actor=users["handler"], referral=referrals[0])
    services.referral_accept(actor=users["handler3"], referral=referrals[2])
    services.case_note(
        actor=users["rep"], case=survivor, public=True, note="幼儿园、街道和区建委正在协调落实中。"
    )


def _overdue_response(users, community, by_community, now) -> None:
    """Received four working days ago and nobody has contacted the resident yet."""
    services.case_intake(
        actor=users["worker"],
        title="单元门禁坏了",
        description="5号楼2单元门禁坏了半个月，谁都能进。",
        channel=Channel.PHONE,
        category=Category.objects.get(code="property-service"),
        appeal_type="help",
        community=community,
        reporter_resident=_nth(by_community[community.pk], 10),
        received_at=_working_days_ago(now, 4, hour=10),
        address="青禾路5号楼2单元",
    )
