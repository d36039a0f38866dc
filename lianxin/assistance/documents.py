"""Supporting documents of aid applications: what the bytes are decides the type, whatever the
file is called or the browser claims; then they are sealed like phone numbers.

Accepted: PDF (a scanned certificate) and JPEG, PNG or WebP photos of paper documents. A PDF
is recognised by its header; a photo must decode with Pillow (which also catches a renamed
file that only starts like an image). Anything else is refused with a plain message."""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from lianxin.core import privacy

MAX_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 8
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF = "application/pdf"
EXTENSIONS = {PDF: "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def sniff(data: bytes) -> str | None:
    """The content type the bytes really have, or None when it is not one we accept."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF if b"%%EOF" in data[-2048:] else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    except Image.DecompressionBombWarning:
        return None
    return IMAGE_TYPES.get(kind or "")


def check_document(upload) -> tuple[bytes, str, str]:
    """(bytes, content type, a clean file name) of an upload, or ValidationError."""
    name = (getattr(upload, "name", "") or "document").replace("/", "_").replace("\\", "_")[-120:]
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than 10 MB; scan it at a lower resolution.") % {"name": name}
        )
    upload.seek(0)
    data = upload.read()
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s” is not a document we can take (PDF, JPG, PNG or WebP).") % {"name": name}
        )
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return data, content_type, f"{stem}.{EXTENSIONS[content_type]}"


def seal(data: bytes) -> bytes:
    return privacy.seal_bytes(data)


def unseal(blob: bytes) -> bytes:
    return privacy.unseal_bytes(blob)
