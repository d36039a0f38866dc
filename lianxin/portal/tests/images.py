"""Photos as a phone makes them: a JPEG with GPS coordinates, camera details and an
orientation in its EXIF."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F
MODEL = 0x0110
DATETIME_ORIGINAL = 0x9003


def jpeg_with_gps(*, width: int = 40, height: int = 20, orientation: int = 1) -> bytes:
    """A landscape JPEG (left half red, right half blue) taken at 39.9042 N, 116.4074 E."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[MAKE] = "TestPhone"
    exif[MODEL] = "TP-1 serial 0042"
    exif[ORIENTATION] = orientation
    exif.get_ifd(0x8769)[DATETIME_ORIGINAL] = "2026:06:01 08:15:00"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 15.12)
    gps[3] = "E"
    gps[4] = (116.0, 24.0, 26.64)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(width: int = 10, height: int = 10) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(GPS_IFD))
