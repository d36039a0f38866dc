"""Photos residents attach to a problem: checked by their content, then re-encoded so that
nothing but the pixels is kept.

A phone photo carries EXIF metadata: the place it was taken (GPS), the time, the phone's make
and serial number. Re-encoding from the decoded pixels drops all of it (EXIF, XMP, IPTC, ICC,
PNG text chunks). The EXIF orientation is applied to the pixels first, so that the stored photo
is the right way up without it. Very large photos are scaled down to a long side of
MAX_SIDE pixels, which keeps every detail a caseworker needs."""

from __future__ import annotations

import io
import secrets
import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 4
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # well above any phone camera, far below a decompression bomb
MAX_SIDE = 2560
# Pillow format -> (stored content type, extension)
ACCEPTED = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


def clean_photo(upload, *, number: int = 1) -> SimpleUploadedFile:
    """A clean copy of an uploaded photo, or ValidationError with a plain message.

    The type is what the bytes are (JPEG, PNG or WebP), whatever the file is called or the
    browser claims."""
    name = getattr(upload, "name", "") or ""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The photo “%(name)s” is larger than 10 MB; choose a smaller one.") % {"name": name}
        )
    not_a_photo = ValidationError(
        _("“%(name)s” is not a photo we can take (JPG, PNG or WebP).") % {"name": name}
    )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                probe.verify()
            if fmt not in ACCEPTED:
                raise not_a_photo
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The photo “%(name)s” is too large in pixels; choose a smaller one.")
                    % {"name": name}
                )
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                pixels = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise not_a_photo from None
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt files
        raise not_a_photo from None

    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    # Savers copy some metadata (an ICC profile, for PNG) from `info`: keep only transparency.
    pixels.info = {k: v for k, v in pixels.info.items() if k == "transparency"}
    content_type, extension = ACCEPTED[fmt]
    out = io.BytesIO()
    if fmt == "JPEG":
        pixels.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        if pixels.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            pixels = pixels.convert("RGBA")
        pixels.save(out, "PNG", optimize=True)
    else:
        pixels.save(out, "WEBP", quality=85)
    # A name of our own: the phone's file name can hold a date or a person's name.
    filename = f"photo-{number}-{secrets.token_hex(4)}.{extension}"
    return SimpleUploadedFile(filename, out.getvalue(), content_type=content_type)


def clean_photos(uploads) -> list[SimpleUploadedFile]:
    uploads = [u for u in uploads or () if u]
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS})
    return [clean_photo(upload, number=i + 1) for i, upload in enumerate(uploads)]
