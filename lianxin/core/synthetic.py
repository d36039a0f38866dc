"""Invented people: names, well-formed phone and ID numbers. Used by the demo and the tests,
which must never hold real personal data."""

from __future__ import annotations

import datetime
import random

from stdnum.cn import ric

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "秀英桂兰玉珍凤华建国志强明军伟丽红梅芳春海平静燕丹俊杰涛敏磊洋勇艳文斌刚霞娟云德福淑琴宝荣振东晓婷颖鹏飞雪琳浩然子涵雨欣思远嘉怡立新永祥庆林月娥玉芬秋菊"
# Region codes of invented residents: all inside one real city district code, so cn.ric accepts
# them; the rest of each number is random.
REGION_CODES = ["110108", "110105", "110106", "110102"]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "158",
    "159",
    "176",
    "177",
    "180",
    "186",
    "187",
    "188",
    "189",
]


def name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
    return rng.choice(SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def id_number(rng: random.Random, *, birth_date: datetime.date, female: bool) -> str:
    sequence = rng.randrange(0, 100) * 10 + (
        rng.choice([0, 2, 4, 6, 8]) if female else rng.choice([1, 3, 5, 7, 9])
    )
    body = f"{rng.choice(REGION_CODES)}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # it expects a placeholder check digit


def birth_date(
    rng: random.Random, *, min_age: int = 18, max_age: int = 90, today: datetime.date | None = None
) -> datetime.date:
    today = today or datetime.date(2026, 1, 1)
    days = rng.randrange(min_age * 365, max_age * 365)
    return today - datetime.timedelta(days=days)
