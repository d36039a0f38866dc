"""Intake keeps files given with a case on its received step, for staff only."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.cases.models import Attachment, Case, EventKind
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_it_attaches_files_to_the_received_step_hidden_from_the_resident(community_a):
    photo = SimpleUploadedFile("p.png", b"\x89PNG fake", content_type="image/png")
    case = f.case(community=community_a, attachments=[photo])
    attachment = Attachment.objects.get(event__case=case)
    assert attachment.event.kind == EventKind.RECEIVED
    assert attachment.is_public is False
    assert attachment.content_type == "image/png" and attachment.size == len(b"\x89PNG fake")
    assert attachment.file.read() == b"\x89PNG fake"


def test_it_refuses_a_forbidden_file_and_records_nothing(community_a):
    script = SimpleUploadedFile("x.sh", b"rm -rf /", content_type="application/x-sh")
    with pytest.raises(ValidationError) as caught:
        f.case(community=community_a, attachments=[script])
    assert "attachments" in caught.value.message_dict
    assert not Case.objects.exists() and not Attachment.objects.exists()
