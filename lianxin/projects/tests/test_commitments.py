"""承诺联系: a representative publishes commitments for the year; residents see progress and
result on the community page; slipped commitments are urged once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lianxin.directory.models import Representative
from lianxin.projects import commitments
from lianxin.projects.models import Commitment, CommitmentStatus

pytestmark = pytest.mark.django_db


def _rep(user):
    return Representative.objects.get(user=user)


def test_a_representative_publishes_and_keeps_a_commitment_residents_see_it(
    client, rep_a, rep_b, community_a, community_b
):
    today = timezone.localdate()
    client.force_login(rep_a)
    response = client.post(
        reverse("projects:commitments"),
        {"community": community_a.pk, "title": "推动小区加装充电桩", "due_on": today.isoformat()},
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    with pytest.raises(ValidationError):  # not paired with community B
        commitments.commitment_add(
            actor=rep_a, representative=_rep(rep_a), community=community_b, title="x", due_on=today
        )
    with pytest.raises(commitments.CommitmentError):  # someone else's commitment
        commitments.commitment_progress(actor=rep_b, commitment=commitment, progress=50)
    client.post(
        reverse("projects:commitment_progress", args=[commitment.pk]),
        {"progress": 40, "note": "已选址"},
    )
    page = client.get(reverse("portal:community", args=[community_a.code])).content.decode()
    assert "推动小区加装充电桩" in page and "40%" in page and "已选址" in page
    client.post(
        reverse("projects:commitment_progress", args=[commitment.pk]),
        {"progress": 100, "note": "充电桩已投入使用"},
    )
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.KEPT
    assert (
        "充电桩已投入使用"
        in client.get(reverse("portal:community", args=[community_a.code])).content.decode()
    )


def test_a_slipped_commitment_is_urged_once(rep_a, community_a):
    from lianxin.notify.models import Notification

    commitment = Commitment.objects.create(
        representative=_rep(rep_a),
        community=community_a,
        year=timezone.localdate().year,
        title="走访独居老人",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    assert commitments.sweep() == 1 and commitments.sweep() == 0
    assert (
        Notification.objects.filter(recipient=rep_a, title__contains=commitment.title).count() == 1
    )
