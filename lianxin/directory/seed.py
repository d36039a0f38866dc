"""Reference data every installation starts with (not demo data): the seed's care tags."""

from __future__ import annotations

from lianxin.directory.models import CareTag

# (name, code, sensitive, the question the seed asks such households)
CARE_TAGS = [
    ("老干部", "lao-ganbu", False, "问发展良策：听取对社区和地区发展的意见建议"),
    ("老党员", "lao-dangyuan", False, "问发展良策：听取对社区和地区发展的意见建议"),
    ("信访户", "xinfang", False, "问解决办法：了解诉求的来龙去脉，商量解决办法"),
    ("意见户", "yijian", False, "问解决办法：了解意见的具体内容，商量解决办法"),
    ("困难户", "kunnan", True, "问衣食住行：吃饭、穿衣、住房、出行有没有困难"),
    ("低保户", "dibao", True, "问衣食住行：吃饭、穿衣、住房、出行有没有困难"),
    ("失地居民", "shidi", False, "问就业现状：是否就业、收入来源、需要哪些就业帮助"),
    ("残疾人", "canji", True, "问生活照料：辅具、康复、补助是否到位"),
    ("重病患者", "zhongbing", True, "问就医负担：就医、用药、医保报销有没有困难"),
    ("独居老人", "dujulaoren", False, "问身体和照料：身体怎么样，吃饭、看病有没有人照应"),
    ("困难党员", "kunnan-dangyuan", True, "问衣食住行：生活困难和帮扶需求"),
]


def ensure_care_tags() -> list[CareTag]:
    tags = []
    for order, (name, code, sensitive, question) in enumerate(CARE_TAGS):
        tag, _ = CareTag.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_sensitive": sensitive,
                "visit_question": question,
                "sort_order": (order + 1) * 10,
            },
        )
        tags.append(tag)
    return tags
