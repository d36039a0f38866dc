"""factory_boy factories. Every person here is invented (see core.synthetic)."""

from __future__ import annotations

import datetime
import random

import factory
from factory.django import DjangoModelFactory

from lianxin.accounts.models import Role, User
from lianxin.core import synthetic
from lianxin.directory.models import (
    CareTag,
    Community,
    Department,
    Household,
    Pairing,
    PairingKind,
    Representative,
    Resident,
    Subdistrict,
)

_rng = random.Random(7)


class SubdistrictFactory(DjangoModelFactory):
    class Meta:
        model = Subdistrict
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试街道{n}")
    code = factory.Sequence(lambda n: f"sd-test-{n}")


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = factory.Sequence(lambda n: f"测试社区{n}")
    code = factory.Sequence(lambda n: f"c-test-{n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"测试承办单位{n}")
    short_name = factory.Sequence(lambda n: f"单位{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyFunction(lambda: synthetic.name(_rng))
    role = Role.WORKER
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    is_superuser = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if create and extracted:
            self.communities.set(extracted)
        if create:
            self.save()


class RepresentativeFactory(DjangoModelFactory):
    class Meta:
        model = Representative

    name = factory.LazyFunction(lambda: synthetic.name(_rng))
    unit = "测试单位"
    phone = factory.LazyFunction(lambda: synthetic.mobile(_rng))


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    community = factory.SubFactory(CommunityFactory)
    address = factory.Sequence(lambda n: f"测试路{n}号")


class ResidentFactory(DjangoModelFactory):
    """`phone` and `id_number` are plain synthetic numbers, sealed on the way in."""

    class Meta:
        model = Resident
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    name = factory.LazyFunction(lambda: synthetic.name(_rng))
    address = factory.Sequence(lambda n: f"测试小区{n}号楼")

    phone = ""
    id_number = ""

    @classmethod
    def _create(cls, model_class, *args, phone="", id_number="", **kwargs):
        resident = model_class(*args, **kwargs)
        resident.set_phone(phone)
        resident.set_id_number(id_number)
        resident.save()
        return resident

    @factory.post_generation
    def care_tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.care_tags.set(extracted)


def synthetic_id(birth: datetime.date = datetime.date(1960, 5, 4), female: bool = True) -> str:
    return synthetic.id_number(_rng, birth_date=birth, female=female)


class PairingFactory(DjangoModelFactory):
    class Meta:
        model = Pairing

    kind = PairingKind.CONTACT
    start_date = datetime.date(2025, 1, 1)


def care_tag(code: str) -> CareTag:
    return CareTag.objects.get(code=code)


def category(code: str = "noise-institution"):
    from lianxin.cases.models import Category

    return Category.objects.get(code=code)


def case(
    *, actor=None, community=None, category_code: str | None = "noise-institution", **overrides
):
    """A case recorded through the real intake service."""
    from lianxin.cases.models import Channel
    from lianxin.cases.services import case_intake

    fields = {
        "title": "幼儿园早上六点放广播",
        "description": "小太阳幼儿园每天早上六点多就开始放音乐做早操，吵得老人睡不好。",
        "channel": Channel.WEB if actor is None else Channel.VISIT,
        "category": category(category_code) if category_code else None,
        "appeal_type": "complaint",
        "community": community,
        "reporter_name": "测试居民",
        "reporter_phone": "13700137000",
        "consented": actor is None,
    }
    fields.update(overrides)
    return case_intake(actor=actor, **fields)
