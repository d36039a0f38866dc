"""Demo step: outreach in the voice of the seed text. The representative `rep` (魏临辉) visits
牛某, a party member with muscular atrophy, and helps him apply for 困难党员帮扶款 and
残疾人困难补助; community workers visit households by care tag; a past reception day with
its visitors' cases and summary, and one published for next week; talks, check-ins, a themed
speech "我的梦、中国梦" and a policy briefing with attendance; duty rules and proposals."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from lianxin.cases.models import Category
from lianxin.core import synthetic
from lianxin.directory.models import (
    CareTag,
    Gender,
    Household,
    Pairing,
    PairingKind,
    Resident,
)
from lianxin.outreach import selectors, services
from lianxin.outreach.models import DutyRuleSet, ReceptionDay, ReceptionStatus

# What visitors heard, per care tag code: (what was heard, answer to the tag's question).
HEARD = {
    "lao-ganbu": ("老同志精神很好，对社区发展很关心。", "建议把社区闲置的锅炉房改成老年活动室。"),
    "lao-dangyuan": (
        "老党员主动问起社区党支部的学习安排。",
        "希望多组织党员学习，带着年轻人一起学。",
    ),
    "xinfang": (
        "反映的房屋漏水问题物业一直没修好，情绪有些激动。",
        "商量由社区出面约物业一起上门查看。",
    ),
    "yijian": ("对小区停车乱象意见很大。", "希望划定停车位，晚上有人管。"),
    "kunnan": ("家里收入不高，孩子上学开销大。", "吃穿没问题，冬天取暖费负担重。"),
    "dibao": ("低保按时发放，老人身体不太好。", "住房老旧，出行要人搀扶，希望有人定期来看看。"),
    "shidi": ("征地后一直打零工，收入不稳定。", "想参加技能培训，找份稳定的工作。"),
    "canji": ("轮椅用了好几年，有些坏了。", "辅具需要更换，康复训练希望能在社区做。"),
    "zhongbing": ("刚做完手术，在家休养。", "医保报销比例不清楚，药费负担重。"),
    "dujulaoren": ("老人一个人住，子女在外地。", "身体还行，就是吃饭凑合，希望有老年餐桌。"),
    "kunnan-dangyuan": ("困难党员生活拮据，但精神头很足。", "希望申请困难党员帮扶。"),
}

TALKS = [
    ("mood", "最近和家里人闹了别扭，情绪低落，聊了一个多小时，心里敞亮了些。"),
    ("setback", "竞聘没选上，有些想不通。谈了岗位成才的路子，约好过段时间再聊。"),
    ("promotion", "刚评上先进，表示感谢组织培养，鼓励他继续发挥带头作用。"),
    ("routine", "聊聊家常，了解最近的工作和生活情况。"),
]

PROPOSALS = [
    (
        "建议党员干部定期下基层听取意见",
        "走访中群众反映，希望党员干部多下来走走，多听听老百姓的意见。建议每月固定一天为“下基层日”，"
        "领导干部到联系社区接待群众。",
        "suggestion-party",
    ),
    (
        "建议在社区开办老年餐桌",
        "社区独居老人多，中午吃饭凑合。建议利用社区闲置用房开办老年餐桌，解决老人吃饭难。",
        "suggestion-community",
    ),
]


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def seed(*, rng: random.Random, context: dict) -> None:
    users = context["users"]
    communities = context["communities"]
    home, neighbour = communities[0], communities[1]
    rep_user, worker, admin = users["rep"], users["worker"], users["admin"]
    rep = selectors.representative_of(rep_user)
    today = timezone.localdate()
    now = timezone.now()
    residents = list(context["residents_created"])
    by_community: dict[int, list[Resident]] = {}
    for person in residents:
        by_community.setdefault(person.community_id, []).append(person)

    niu = _niu(rng, home, rep)
    _visits_to_niu(rep_user, niu, today)
    _visits_by_tag(rng, worker, home, today)
    _check_ins(rep_user, rep, [home, neighbour], today)
    _talks(rng, rep_user, worker, [*by_community.get(home.pk, []), niu], today)
    _receptions(rng, worker, rep, users.get("rep2"), home, by_community.get(home.pk, []), now)
    _activities(rng, worker, admin, home, neighbour, by_community, today)
    _duty_rules(admin, today.year)
    for title, description, code in PROPOSALS:
        services.proposal_submit(
            actor=rep_user,
            title=title,
            description=description,
            category=Category.objects.filter(code=code).first(),
        )


def _niu(rng, community, rep) -> Resident:
    """牛某 of the seed text and his wife, a household paired with the representative."""
    street = community.address.rstrip("0123456789号")
    household = Household.objects.create(
        community=community,
        address=f"{street}8号楼1单元102",
        head_name="牛某",
        note="牛某身患肌肉萎缩症，两腿已不能行走，自己研发了方便渐冻人生活的轮椅车。",
    )
    household.care_tags.set(CareTag.objects.filter(code__in=["canji", "kunnan-dangyuan"]))
    niu = Resident(
        community=community,
        household=household,
        name="牛某",
        gender=Gender.MALE,
        birth_date=datetime.date(1958, 3, 12),
        address=household.address,
        is_party_member=True,
        note="喜欢在葫芦上烫画，用易拉罐做工艺画，经常参加力所能及的公益活动。",
    )
    niu.set_phone(synthetic.mobile(rng))
    niu.save()
    niu.care_tags.set(CareTag.objects.filter(code__in=["canji", "kunnan-dangyuan", "zhongbing"]))
    wife = Resident(
        community=community,
        household=household,
        name="牛某老伴",
        gender=Gender.FEMALE,
        birth_date=datetime.date(1960, 8, 2),
        address=household.address,
    )
    wife.save()
    if rep is not None:
        Pairing.objects.create(
            kind=PairingKind.HOUSEHOLD,
            representative=rep,
            household=household,
            start_date=datetime.date(2025, 3, 1),
        )
    return niu


def _visits_to_niu(rep_user, niu, today) -> None:
    household = niu.household
    entries = [
        (
            120,
            "到牛某家说说话。他自己研发了方便渐冻人生活的轮椅车、床，在板上绘画、在葫芦上烫画，"
            "现在又迷上了用易拉罐做工艺画。人残志不残，很受感动。",
            None,
        ),
        (
            75,
            "牛某退休金不高，长年吃药，家境不富裕。商量帮他申请困难党员帮扶款和残疾人困难补助。",
            (
                "为牛某申请困难党员帮扶款和残疾人困难补助",
                "牛某身患罕见的肌肉萎缩症，两腿已至膝盖不能行走，退休金不高，长年吃药，家境不富裕，"
                "申请困难党员帮扶款和残疾人困难补助。",
                "disability-subsidy",
            ),
        ),
        (
            30,
            "帮牛某把易拉罐工艺画拿去参加展览，宣传世界罕见病，让更多人了解他坚强乐观的生活态度。",
            None,
        ),
        (
            6,
            "牛某给居委会送来亲手做的“勤政爱民”镜框，红底、白字、黄框，下面是一棵君子兰。"
            "这是居民对社区工作的肯定，更是希望和鼓励。",
            None,
        ),
    ]
    answers_for = {p["question"]: p for p in selectors.visit_prompts(household=household)}
    for days_ago, heard, problem in entries:
        visited = _local(today - datetime.timedelta(days=days_ago), 15, 30)
        answers = [
            {
                "tag": "、".join(p["tags"]),
                "question": q,
                "answer": "补助是否到位、药费负担，逐项问了。",
            }
            for q, p in answers_for.items()
        ][:1]
        services.visit_log(
            actor=rep_user,
            household=household,
            resident=niu,
            visited_at=visited,
            met="牛某和老伴",
            heard=heard,
            answers=answers,
            follow_up_on=today + datetime.timedelta(days=2) if days_ago == 6 else None,
            problem=services.Problem(
                title=problem[0],
                description=problem[1],
                category=Category.objects.filter(code=problem[2]).first(),
            )
            if problem
            else None,
        )


def _visits_by_tag(rng, worker, community, today) -> None:
    """民情走访: the community worker visits one household of each care tag."""
    households = (
        Household.objects.filter(community=community, care_tags__isnull=False)
        .exclude(head_name="牛某")
        .prefetch_related("care_tags")
        .distinct()
        .order_by("pk")
    )
    seen: set[str] = set()
    for household in households:
        tags = [t for t in household.care_tags.all() if t.code not in seen]
        if not tags:
            continue
        tag = tags[0]
        seen.add(tag.code)
        heard, answer = HEARD.get(tag.code, ("了解家里的情况。", "暂无困难。"))
        prompts = selectors.visit_prompts(household=household)
        answers = [
            {"tag": "、".join(p["tags"]), "question": p["question"], "answer": answer}
            for p in prompts
            if tag.name in p["tags"]
        ]
        services.visit_log(
            actor=worker,
            household=household,
            visited_at=_local(today - datetime.timedelta(days=rng.randint(3, 60)), 10),
            met=household.head_name,
            heard=heard,
            answers=answers,
        )


def _check_ins(rep_user, rep, communities, today) -> None:
    if rep is None:
        return
    for days_ago, community, note in (
        (100, communities[0], "到社区报到，留下联系方式，参加党支部组织生活。"),
        (70, communities[1], "到结对社区报到，了解近期社区重点工作。"),
        (20, communities[0], "报到并参加社区议事会，听取居民对停车管理的意见。"),
    ):
        day = today - datetime.timedelta(days=days_ago)
        if selectors.contact_communities(rep, on=day).filter(pk=community.pk).exists():
            services.check_in_record(
                actor=rep_user, community=community, checked_in_at=_local(day, 9), note=note
            )


def _talks(rng, rep_user, worker, people, today) -> None:
    people = [p for p in people if p is not None]
    for index, (reason, notes) in enumerate(TALKS):
        if index >= len(people):
            break
        talker = rep_user if index % 2 == 0 else worker
        person = people[index]
        services.talk_record(
            actor=talker,
            resident=person,
            reason=reason,
            held_at=_local(today - datetime.timedelta(days=10 + 7 * index), 19),
            notes=notes,
            follow_up_on=today + datetime.timedelta(days=1) if reason == "setback" else None,
        )


def _receptions(rng, worker, rep, rep2_user, community, people, now) -> None:
    if rep is None:
        return
    hosts = [rep]
    rep2 = selectors.representative_of(rep2_user) if rep2_user else None
    if rep2 is not None:
        hosts.append(rep2)
    today = timezone.localtime(now).date()
    held_day = today - datetime.timedelta(days=24)
    past = ReceptionDay.objects.create(
        community=community,
        place="社区党群服务中心一楼接待室",
        starts_at=_local(held_day, 9),
        ends_at=_local(held_day, 11, 30),
        status=ReceptionStatus.PUBLISHED,
        publish_at=_local(held_day - datetime.timedelta(days=5), 10),
        announced_at=_local(held_day - datetime.timedelta(days=5), 10),
        created_by=worker,
    )
    past.representatives.set(hosts)
    walk_ins = [
        (
            "小区门口黑车占道",
            "傍晚小区门口黑车拉客，占了半条路，老人过马路很危险。",
            "traffic-parking",
        ),
        (
            "幼儿园早上放广播太吵",
            "幼儿园每天早上六点多就放音乐做早操，吵得老人睡不好。",
            "noise-institution",
        ),
        ("想问临时救助怎么申请", "老伴住院花了不少钱，家里一时周转不开。", "welfare-relief"),
    ]
    for index, (title, description, code) in enumerate(walk_ins):
        resident = people[index] if index < len(people) and index < 2 else None
        services.reception_visitor_log(
            actor=worker,
            reception=past,
            resident=resident,
            name="" if resident else "来访群众赵某",
            problem=services.Problem(
                title=title,
                description=description,
                category=Category.objects.filter(code=code).first(),
                appeal_type="complaint" if index < 2 else "consult",
                resolved_on_spot=index == 2,
                resolution="当场讲解了临时救助的申请条件和材料，群众表示满意。"
                if index == 2
                else "",
            ),
            arrived_at=_local(held_day, 9, 20 + 15 * index),
        )
    services.reception_summarise(
        actor=worker,
        reception=past,
        summary="本次接待日共接待群众3人次，反映黑车占道、幼儿园噪音等问题2件，已登记转办；"
        "临时救助咨询1件，当场答复解决。",
    )
    upcoming_day = today + datetime.timedelta(days=7)
    services.reception_schedule(
        actor=worker,
        community=community,
        place="社区党群服务中心一楼接待室",
        starts_at=_local(upcoming_day, 9),
        ends_at=_local(upcoming_day, 11, 30),
        representatives=hosts,
        publish=True,
    )


def _activities(rng, worker, admin, home, neighbour, by_community, today) -> None:
    speech = services.activity_create(
        actor=worker,
        kind="speech",
        topic="我的梦、中国梦",
        description="用身边的鲜活事例感染大家，形成自我教育、自我约束、自我激励的良好环境。",
        starts_at=_local(today - datetime.timedelta(days=40), 14),
        ends_at=_local(today - datetime.timedelta(days=40), 16),
        place="社区党群服务中心多功能厅",
        communities=[home],
    )
    home_people = by_community.get(home.pk, [])
    attending = [p for p in home_people if rng.random() < 0.3]
    if attending:
        services.attendance_record(actor=worker, activity=speech, residents=attending)
    briefing = services.activity_create(
        actor=admin,
        kind="briefing",
        topic="惠民政策进社区：医保、养老和临时救助",
        description="向群众宣传党和政府的惠民政策，政策法规宣讲全覆盖。",
        starts_at=_local(today - datetime.timedelta(days=12), 9, 30),
        ends_at=_local(today - datetime.timedelta(days=12), 11),
        place="青禾街道文化站",
        communities=[home, neighbour],
    )
    both = home_people + by_community.get(neighbour.pk, [])
    attending = [p for p in both if rng.random() < 0.2]
    if attending:
        services.attendance_record(actor=admin, activity=briefing, residents=attending)


def _duty_rules(admin, year: int) -> None:
    """The district's "六个一": six duties every representative is held to."""
    DutyRuleSet.objects.create(year=year, name="六个一")
    for metric, period, minimum, note in (
        ("visits", "year", 12, "每年走访群众不少于12次"),
        ("receptions", "quarter", 1, "每季度参加一次党代表接待日"),
        ("paired_residents", "year", 10, "结对帮扶群众不少于10人"),
        ("proposals", "year", 1, "每年提出意见建议不少于1件"),
        ("check_ins", "year", 4, "每年到结对社区报到不少于4次"),
        ("talks", "quarter", 1, "每季度开展一次谈心"),
    ):
        services.duty_rule_save(
            actor=admin, year=year, metric=metric, period=period, minimum=minimum, note=note
        )
