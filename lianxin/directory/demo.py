"""Demo step: an invented district of two subdistricts, eight communities, departments,
representatives, about 2,000 residents in households, care tags and pairings."""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from lianxin.accounts.models import Role
from lianxin.accounts.services import user_create
from lianxin.core import synthetic
from lianxin.directory.models import (
    Community,
    Department,
    DepartmentKind,
    Gender,
    Household,
    Pairing,
    PairingKind,
    Representative,
    RepresentativeLevel,
    Resident,
    Subdistrict,
)
from lianxin.directory.seed import ensure_care_tags

SUBDISTRICTS = {
    "青禾街道": [
        ("青禾一社区", "qinghe-1", "青禾路"),
        ("青禾二社区", "qinghe-2", "禾丰街"),
        ("枣园社区", "zaoyuan", "枣园北里"),
        ("西坡社区", "xipo", "西坡巷"),
    ],
    "柳荫街道": [
        ("柳荫北社区", "liuyin-n", "柳荫北街"),
        ("柳荫南社区", "liuyin-s", "柳荫南街"),
        ("槐树岭社区", "huaishuling", "槐树岭"),
        ("新村社区", "xincun", "新村东路"),
    ],
}

DEPARTMENTS = [
    ("小太阳幼儿园", "幼儿园", DepartmentKind.SCHOOL),
    ("青禾物业管理中心", "青禾物业", DepartmentKind.PROPERTY),
    ("柳荫物业服务公司", "柳荫物业", DepartmentKind.PROPERTY),
    ("区住房和城乡建设委员会", "区建委", DepartmentKind.BUREAU),
    ("区民政局", "民政局", DepartmentKind.BUREAU),
    ("区残疾人联合会", "区残联", DepartmentKind.ORGANISATION),
    ("区公安交通管理支队", "交通支队", DepartmentKind.POLICE),
    ("区人力资源和社会保障局", "人社局", DepartmentKind.BUREAU),
    ("区城市管理委员会", "城管委", DepartmentKind.BUREAU),
    ("区卫生健康委员会", "卫健委", DepartmentKind.BUREAU),
    ("区教育委员会", "教委", DepartmentKind.BUREAU),
    ("区供水排水公司", "供排水", DepartmentKind.UTILITY),
    ("区供电服务中心", "供电", DepartmentKind.UTILITY),
    ("青禾街道办事处", "青禾街道", DepartmentKind.SUBDISTRICT_OFFICE),
    ("柳荫街道办事处", "柳荫街道", DepartmentKind.SUBDISTRICT_OFFICE),
    ("区委组织部", "组织部", DepartmentKind.BUREAU),
]

REPRESENTATIVES = [
    # name, level, unit, position
    ("魏临辉", RepresentativeLevel.DISTRICT, "青禾街道工委", "副书记"),
    ("李晓莉", RepresentativeLevel.DISTRICT, "区公交第三分公司", "党支部书记"),
    ("方庆和", RepresentativeLevel.DISTRICT, "区委组织部", "科长"),
    ("王新春", RepresentativeLevel.SUBDISTRICT, "柳荫南社区居委会", "主任"),
    ("赵文静", RepresentativeLevel.DISTRICT, "区第二医院", "护士长"),
    ("陈建国", RepresentativeLevel.CITY, "区供电服务中心", "总经理"),
    ("孙秀梅", RepresentativeLevel.SUBDISTRICT, "枣园社区党委", "书记"),
    ("周志强", RepresentativeLevel.DISTRICT, "区实验中学", "校长"),
    ("吴海燕", RepresentativeLevel.SUBDISTRICT, "槐树岭社区居委会", "委员"),
    ("郑立新", RepresentativeLevel.DISTRICT, "区人力资源和社会保障局", "副局长"),
    ("冯玉兰", RepresentativeLevel.SUBDISTRICT, "新村社区党委", "副书记"),
    ("何振东", RepresentativeLevel.DISTRICT, "区城市管理委员会", "科员"),
]

# Probability that a household carries each care tag.
TAG_RATES = {
    "lao-ganbu": 0.03,
    "lao-dangyuan": 0.06,
    "xinfang": 0.015,
    "yijian": 0.02,
    "kunnan": 0.06,
    "dibao": 0.04,
    "shidi": 0.05,
    "canji": 0.04,
    "zhongbing": 0.03,
    "dujulaoren": 0.06,
    "kunnan-dangyuan": 0.01,
}


def seed(*, rng: random.Random, context: dict) -> None:
    password = settings.LIANXIN_DEMO_PASSWORD
    today = datetime.date(2026, 1, 1)
    tags = {tag.code: tag for tag in ensure_care_tags()}

    communities: list[Community] = []
    for index, (sub_name, comms) in enumerate(SUBDISTRICTS.items()):
        sub = Subdistrict.objects.create(
            name=sub_name,
            code=f"sd-{index + 1}",
            address=f"{sub_name[:2]}路{10 + index}号",
            phone=f"010-6{index + 1}23456{index}",
        )
        for c_index, (name, code, street) in enumerate(comms):
            communities.append(
                Community.objects.create(
                    subdistrict=sub,
                    name=name,
                    code=code,
                    address=f"{street}{c_index + 3}号",
                    phone=f"010-6{index + 1}78{c_index}00{c_index}",
                    introduction=f"{name}位于{sub_name}{street}一带，居民以老旧小区住户为主。",
                )
            )
    context["communities"] = communities

    departments = {
        short: Department.objects.create(
            name=name,
            short_name=short,
            kind=kind,
            phone=f"010-6{i:02d}0{i:04d}"[:13],
            address=f"{rng.choice(['和平', '建设', '团结', '光明'])}路{i + 1}号",
        )
        for i, (name, short, kind) in enumerate(DEPARTMENTS)
    }
    context["departments"] = departments

    reps = [
        Representative.objects.create(
            name=name,
            level=level,
            unit=unit,
            position=position,
            phone=synthetic.mobile(rng),
            wechat_id=f"lx_rep_{i + 1:02d}",
            qq_group=f"{rng.randrange(10**8, 10**9)}",
            introduction=f"{name}，{unit}{position}，联系{communities[i % len(communities)].name}"
            "党员群众，有事请随时找我。",
        )
        for i, (name, level, unit, position) in enumerate(REPRESENTATIVES)
    ]
    context["representatives"] = reps

    # Demo logins: one per role, and a second of each working role.
    home, neighbour = communities[0], communities[1]
    users = {
        "admin": user_create(
            username="admin", password=password, role=Role.ADMIN, full_name="管理员", is_demo=True
        ),
        "supervisor": user_create(
            username="supervisor",
            password=password,
            role=Role.SUPERVISOR,
            full_name="区委组织部督办员",
            is_demo=True,
        ),
        "worker": user_create(
            username="worker",
            password=password,
            role=Role.WORKER,
            full_name="刘敏",
            communities=[home],
            is_demo=True,
        ),
        "worker2": user_create(
            username="worker2",
            password=password,
            role=Role.WORKER,
            full_name="张丽",
            communities=[communities[4]],
            is_demo=True,
        ),
        "rep": user_create(
            username="rep",
            password=password,
            role=Role.REPRESENTATIVE,
            full_name=reps[0].name,
            is_demo=True,
        ),
        "rep2": user_create(
            username="rep2",
            password=password,
            role=Role.REPRESENTATIVE,
            full_name=reps[3].name,
            is_demo=True,
        ),
        "handler": user_create(
            username="handler",
            password=password,
            role=Role.HANDLER,
            full_name="园长 杨洁",
            department=departments["幼儿园"],
            is_demo=True,
        ),
        "handler2": user_create(
            username="handler2",
            password=password,
            role=Role.HANDLER,
            full_name="物业 马强",
            department=departments["青禾物业"],
            is_demo=True,
        ),
        "handler3": user_create(
            username="handler3",
            password=password,
            role=Role.HANDLER,
            full_name="区建委 高伟",
            department=departments["区建委"],
            is_demo=True,
        ),
    }
    reps[0].user, reps[3].user = users["rep"], users["rep2"]
    reps[0].save(update_fields=["user"])
    reps[3].save(update_fields=["user"])
    context["users"] = users

    # 定点联系: every community has at least one representative; `rep` covers two.
    contact_pairs = [(reps[i % len(reps)], c) for i, c in enumerate(communities)]
    contact_pairs += [
        (reps[0], neighbour),
        (reps[8], communities[6]),
        (reps[9], communities[2]),
        (reps[11], communities[5]),
    ]
    Pairing.objects.bulk_create(
        [
            Pairing(
                kind=PairingKind.CONTACT,
                representative=r,
                community=c,
                start_date=datetime.date(2025, 3, 1),
            )
            for r, c in contact_pairs
        ]
    )

    residents, households = _residents(rng, communities, tags, context["residents"], today)
    context["residents_created"] = residents
    _pairings(rng, reps, residents, households, communities)


def _residents(rng, communities, tags, total, today):
    households: list[Household] = []
    plan: list[tuple[Household, int]] = []
    remaining = total
    while remaining > 0:
        community = communities[len(households) % len(communities)]
        street = community.address.rstrip("0123456789号")
        size = min(remaining, rng.choice([1, 1, 2, 2, 2, 3, 3, 3, 4, 5]))
        household = Household(
            community=community,
            address=f"{street}{rng.randrange(1, 40)}号楼"
            f"{rng.randrange(1, 7)}单元{rng.randrange(1, 19)}0"
            f"{rng.randrange(1, 5)}",
        )
        households.append(household)
        plan.append((household, size))
        remaining -= size
    households = bulk_create_with_history(households, Household)
    household_tags = []
    residents: list[Resident] = []
    for household, size in plan:
        chosen = [code for code, rate in TAG_RATES.items() if rng.random() < rate]
        household_tags.append((household, chosen))
        for member in range(size):
            female = rng.random() < 0.52
            age_low = 60 if "dujulaoren" in chosen or "lao-ganbu" in chosen else 18
            born = synthetic.birth_date(rng, min_age=age_low, max_age=92, today=today)
            person = Resident(
                community=household.community,
                household=household,
                name=synthetic.name(rng),
                gender=Gender.FEMALE if female else Gender.MALE,
                birth_date=born,
                address=household.address,
                is_party_member=rng.random()
                < (0.6 if {"lao-dangyuan", "kunnan-dangyuan"} & set(chosen) else 0.12),
            )
            if rng.random() < 0.9:
                person.set_phone(synthetic.mobile(rng))
            if rng.random() < 0.8:
                person.set_id_number(synthetic.id_number(rng, birth_date=born, female=female))
            if member == 0:
                household.head_name = person.name
            residents.append(person)
    _drop_duplicate_numbers(residents)
    Household.objects.bulk_update(households, ["head_name"])
    residents = bulk_create_with_history(residents, Resident, batch_size=500)
    by_household: dict[int, list[Resident]] = {}
    for person in residents:
        by_household.setdefault(person.household_id, []).append(person)
    links_h, links_r = [], []
    for household, chosen in household_tags:
        for code in chosen:
            links_h.append(
                Household.care_tags.through(household_id=household.pk, caretag_id=tags[code].pk)
            )
            members = by_household.get(household.pk, [])
            targets = (
                members[:1]
                if code
                in (
                    "dujulaoren",
                    "lao-ganbu",
                    "lao-dangyuan",
                    "kunnan-dangyuan",
                    "canji",
                    "zhongbing",
                )
                else members
            )
            links_r += [
                Resident.care_tags.through(resident_id=m.pk, caretag_id=tags[code].pk)
                for m in targets
            ]
    Household.care_tags.through.objects.bulk_create(links_h)
    Resident.care_tags.through.objects.bulk_create(links_r, ignore_conflicts=True)
    return residents, households


def _drop_duplicate_numbers(residents: list[Resident]) -> None:
    # Random numbers may repeat; the directory keeps numbers unique.
    seen_phone, seen_id = set(), set()
    for person in residents:
        if person.phone_index in seen_phone:
            person.set_phone("")
        seen_phone.add(person.phone_index)
        if person.id_index in seen_id:
            person.set_id_number("")
        seen_id.add(person.id_index)


def _pairings(rng, reps, residents, households, communities) -> None:
    start = datetime.date(2025, 3, 1)
    by_community: dict[int, list[Resident]] = {}
    for person in residents:
        by_community.setdefault(person.community_id, []).append(person)
    pairings = []
    # 一帮一: in every community, party members each paired with a resident who needs it most.
    for community in communities:
        people = by_community.get(community.pk, [])
        members = [p for p in people if p.is_party_member]
        others = [p for p in people if not p.is_party_member]
        rng.shuffle(others)
        for member, resident in zip(members[:14], others[:14], strict=False):
            pairings.append(
                Pairing(
                    kind=PairingKind.ONE_TO_ONE,
                    party_member=member,
                    resident=resident,
                    start_date=start,
                )
            )
    # 结对帮扶: representatives with households in the communities they are paired with.
    contact = {}
    for pairing in Pairing.objects.filter(kind=PairingKind.CONTACT):
        contact.setdefault(pairing.representative_id, []).append(pairing.community_id)
    for rep in reps:
        candidates = [h for h in households if h.community_id in contact.get(rep.pk, [])]
        for household in rng.sample(candidates, min(3, len(candidates))):
            pairings.append(
                Pairing(
                    kind=PairingKind.HOUSEHOLD,
                    representative=rep,
                    household=household,
                    start_date=start,
                )
            )
    Pairing.objects.bulk_create(pairings)
