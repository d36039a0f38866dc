"""Photos are checked by what they are and kept without their hidden metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianxin.portal import photos
from lianxin.portal.tests.images import has_gps, jpeg_with_gps, png


def upload(data: bytes, name: str = "IMG_20260601_081500.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_phone_jpeg_loses_gps_and_every_other_exif_entry():
    original = jpeg_with_gps()
    assert has_gps(original)
    cleaned = photos.clean_photo(upload(original)).read()
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and "xmp" not in image.info
    assert b"Exif" not in cleaned and b"TestPhone" not in cleaned and b"2026:06:01" not in cleaned


def test_the_orientation_is_applied_to_the_pixels_so_the_photo_stays_upright():
    # Orientation 6: the camera was turned; viewers rotate the 40x20 picture to 20x40.
    cleaned = photos.clean_photo(upload(jpeg_with_gps(orientation=6))).read()
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (20, 40)
        top, bottom = image.getpixel((10, 2)), image.getpixel((10, 37))
    assert top[2] < 100 < top[0]  # red (the left half) is now on top
    assert bottom[0] < 100 < bottom[2]


def test_the_type_comes_from_the_content_not_the_name_or_the_browser():
    cleaned = photos.clean_photo(upload(png(), name="photo.jpg", content_type="image/jpeg"))
    assert cleaned.content_type == "image/png" and cleaned.name.endswith(".png")
    with pytest.raises(ValidationError, match="不是能接收的照片"):
        photos.clean_photo(upload(b"#!/bin/sh\necho hi\n" * 10, name="holiday.jpg"))


def test_a_gif_or_a_truncated_jpeg_is_refused():
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, "GIF")
    with pytest.raises(ValidationError):
        photos.clean_photo(upload(gif.getvalue(), name="a.gif", content_type="image/gif"))
    with pytest.raises(ValidationError):
        photos.clean_photo(upload(jpeg_with_gps()[:300]))


def test_a_photo_over_ten_megabytes_is_refused_before_it_is_decoded(monkeypatch):
    big = upload(jpeg_with_gps())
    monkeypatch.setattr(big, "size", photos.MAX_BYTES + 1)
    with pytest.raises(ValidationError, match="超过 10 MB"):
        photos.clean_photo(big)


def test_a_huge_picture_is_refused_and_a_large_one_scaled_down(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 1000)
    with pytest.raises(ValidationError, match="尺寸太大"):
        photos.clean_photo(upload(jpeg_with_gps(width=50, height=40)))
    monkeypatch.setattr(photos, "MAX_PIXELS", 50_000_000)
    monkeypatch.setattr(photos, "MAX_SIDE", 16)
    with Image.open(photos.clean_photo(upload(jpeg_with_gps()))) as image:
        assert max(image.size) == 16


def test_the_stored_name_says_nothing_about_the_phone_or_the_person():
    cleaned = photos.clean_photo(upload(jpeg_with_gps(), name="张三家门口 2026-06-01.jpg"))
    assert cleaned.name.startswith("photo-1-") and "张三" not in cleaned.name


def test_at_most_four_photos():
    with pytest.raises(ValidationError, match="最多只能传 4 张"):
        photos.clean_photos([upload(png(), name=f"{i}.png") for i in range(5)])
