"""Raising a problem on the public site: the short form, the picker, the receipt."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lianxin.cases.models import AppealType, Attachment, Case, CaseStatus, Channel, EventKind
from lianxin.portal.tests.images import has_gps, jpeg_with_gps

pytestmark = pytest.mark.django_db
URL = reverse("portal:report")


def form_data(community, **overrides):
    data = {
        "description": "小区北门的路灯坏了一个星期。晚上出门很黑，老人怕摔跤。",
        "community": community.pk if community else "",
        "address": "新村小区北门",
        "topic": "traffic",
        "subtopic_traffic": "traffic-road",
        "appeal_type": "help",
        "name": "王阿姨",
        "phone": "13912345678",
        "consent": "on",
        "homepage": "",
    }
    data.update(overrides)
    return data


def test_the_form_offers_the_community_it_was_opened_from(client, community_a):
    response = client.get(URL, {"community": community_a.code})
    assert response.status_code == 200
    assert response.context["form"].initial["community"] == community_a.pk
    page = response.content.decode()
    assert "说不清" in page and "噪音扰民" in page and "吵得睡不着" in page
    assert 'name="subtopic_noise"' in page and 'value="noise-institution"' in page


def test_a_resident_files_a_problem_and_gets_a_receipt_with_the_tracking_code(client, community_a):
    response = client.post(URL, form_data(community_a))
    assert response.status_code == 302 and response.url == reverse("portal:received")
    case = Case.objects.get()
    assert case.channel == Channel.WEB and case.received_by is None
    assert case.consented_at is not None and case.status == CaseStatus.RECEIVED
    assert case.category.code == "traffic-road" and case.appeal_type == AppealType.HELP
    assert case.community == community_a and case.address == "新村小区北门"
    assert case.title == "小区北门的路灯坏了一个星期"
    assert case.reporter_name == "王阿姨" and case.reporter_phone_masked == "139****5678"
    receipt = client.get(response.url)
    page = receipt.content.decode()
    assert case.tracking_code_display in page and "lx-code" in page
    assert f"/t/{case.tracking_code}" in page
    assert "139****5678" in page


def test_the_receipt_without_a_fresh_filing_goes_home(client):
    assert client.get(reverse("portal:received")).url == reverse("portal:home")


def test_photos_are_kept_for_staff_only_without_gps(client, community_a):
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client.post(URL, {**form_data(community_a), "photos": [photo]})
    attachment = Attachment.objects.get()
    assert attachment.event.kind == EventKind.RECEIVED and attachment.is_public is False
    stored = attachment.file.read()
    assert not has_gps(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert dict(image.getexif()) == {}
    assert attachment.content_type == "image/jpeg" and attachment.original_name != "IMG_0001.jpg"


def test_a_file_that_is_not_a_photo_is_refused_and_the_text_kept(client, community_a):
    fake = SimpleUploadedFile("bill.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(URL, {**form_data(community_a), "photos": [fake]})
    assert response.status_code == 400 and not Case.objects.exists()
    page = response.content.decode()
    assert "不是能接收的照片" in page and "小区北门的路灯坏了一个星期" in page
    assert "照片不会保留，请重新选择照片" in page


def test_anonymous_needs_neither_name_nor_phone_and_keeps_neither(client, community_a):
    client.post(URL, form_data(community_a, anonymous="on", name="不该保存", phone="12345"))
    case = Case.objects.get()
    assert case.is_anonymous and case.reporter_name == "" and case.reporter_phone_cipher == ""


def test_without_anonymous_name_and_phone_are_asked_for_in_plain_words(client, community_a):
    response = client.post(URL, form_data(community_a, name="", phone="12345"))
    page = response.content.decode()
    assert response.status_code == 400 and not Case.objects.exists()
    assert "请留下您的称呼" in page and "请输入 11 位手机号码" in page
    assert "您填写的内容都还在" in page


def test_consent_is_required(client, community_a):
    data = form_data(community_a)
    del data["consent"]
    response = client.post(URL, data)
    assert (
        response.status_code == 400
        and "个人信息保护告知书》并勾选同意" in response.content.decode()
    )


def test_not_sure_files_it_as_other_matters(client, community_a):
    client.post(URL, form_data(community_a, topic="unsure"))
    assert Case.objects.get().category.code == "other-general"


def test_a_detail_left_under_another_kind_is_not_counted(client, community_a):
    # The resident picked 道路设施 under 交通出行, then changed their mind to 噪音扰民.
    client.post(URL, form_data(community_a, topic="noise", subtopic_traffic="traffic-road"))
    assert Case.objects.get().category.code == "noise"


def test_a_detail_of_another_kind_cannot_be_smuggled_in(client, community_a):
    client.post(URL, form_data(community_a, topic="noise", subtopic_noise="traffic-road"))
    assert Case.objects.get().category.code == "noise"


def test_a_kind_that_takes_one_sort_of_request_needs_no_second_choice(client, community_a):
    client.post(URL, form_data(community_a, topic="policy", appeal_type="help"))
    case = Case.objects.get()
    assert case.category.code == "policy" and case.appeal_type == AppealType.CONSULT


def test_a_suggestion_about_noise_is_explained_not_refused_silently(client, community_a):
    response = client.post(URL, form_data(community_a, topic="noise", appeal_type="suggestion"))
    assert response.status_code == 400 and not Case.objects.exists()
    assert "“噪音扰民”这类事，请在这几项中选一项：求助、投诉、咨询、举报" in (
        response.content.decode()
    )


def test_the_community_may_be_left_open(client):
    client.post(URL, form_data(None))
    assert Case.objects.get().community is None


def test_a_robot_filling_the_hidden_field_files_nothing(client, community_a):
    response = client.post(URL, form_data(community_a, homepage="http://spam.example"))
    assert response.status_code == 400 and not Case.objects.exists()
    assert "此项请勿填写" in response.content.decode()


def test_staff_see_the_problem_and_its_photo_and_the_public_does_not(client, community_a, worker_a):
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client.post(URL, {**form_data(community_a), "photos": [photo]})
    case, attachment = Case.objects.get(), Attachment.objects.get()
    photo_url = reverse("cases:attachment", args=[attachment.pk])
    tracking = client.get(reverse("portal:track", args=[case.tracking_code])).content.decode()
    assert photo_url not in tracking and attachment.original_name not in tracking
    assert client.get(photo_url).status_code in (302, 404)  # to the login page
    client.force_login(worker_a)
    page = client.get(f"/staff/cases/{case.number}/").content.decode()
    assert "小区北门的路灯坏了一个星期" in page and photo_url in page
    assert client.get(photo_url).status_code == 200


def test_the_receipt_is_shown_only_shortly_after_filing(client, community_a):
    import time_machine

    with time_machine.travel("2026-06-01 09:00 +0800", tick=False):
        client.post(URL, form_data(community_a))
        assert client.get(reverse("portal:received")).status_code == 200
    with time_machine.travel("2026-06-01 09:31 +0800", tick=False):
        assert client.get(reverse("portal:received")).url == reverse("portal:home")


def test_the_form_reads_a_bounded_number_of_rows(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200
