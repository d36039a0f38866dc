"""`lianxin demo`: an invented district to try Lianxin with.

Each room of the work contributes a step (see STEPS); steps run in order inside one
transaction, with one random generator, so the same seed gives the same district. Names,
addresses and numbers are invented; phone and ID numbers are random but well-formed.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

DEFAULT_SEED = 2026
DEFAULT_RESIDENTS = 2000

STEPS = [
    "lianxin.directory.demo.seed",
    "lianxin.cases.demo.seed",
    "lianxin.outreach.demo.seed",
    # Last: it greets every demo login created by the steps before.
    "lianxin.notify.demo.seed",
]


def register_step(dotted: str) -> None:
    """Rooms add their demo step from AppConfig.ready(); it runs before the last step."""
    if dotted not in STEPS:
        STEPS.insert(len(STEPS) - 1, dotted)


class DemoRefused(Exception):
    pass


def holds_other_data() -> bool:
    from lianxin.accounts.models import User
    from lianxin.directory.models import Resident, Subdistrict

    return (
        User.objects.filter(is_demo=False).exists()
        or Subdistrict.objects.exists()
        or Resident.objects.exists()
    )


def load(
    *,
    seed: int = DEFAULT_SEED,
    residents: int = DEFAULT_RESIDENTS,
    log: Callable[[str], object] = print,
) -> bool:
    """Load the demo; False if it was already there. Raises DemoRefused on a real database."""
    from lianxin.core.models import DemoDataset

    if DemoDataset.objects.exists():
        return False
    if holds_other_data():
        raise DemoRefused(
            _(
                "This database already holds data that is not demo data; the demo "
                "only fills an empty database."
            )
        )
    rng = random.Random(seed)
    context: dict = {"residents": residents}
    with transaction.atomic():
        for dotted in STEPS:
            log(f"  {dotted.split('.')[1]} …")
            import_string(dotted)(rng=rng, context=context)
        DemoDataset.objects.create(seed=seed)
    return True
