"""A representative's published contact as a vCard: drawn as a QR code to scan with another
phone, or downloaded as a .vcf file to open on the phone showing the page. Drawn by the
application (segno); no outside service sees who looks at whom."""

from __future__ import annotations

import segno
import segno.helpers
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lianxin.directory.models import Representative


def _plain(text: str) -> str:
    """vCard separators inside a value would cut it short; residents never need them."""
    return " ".join((text or "").replace(";", "；").replace(",", "，").split())


def vcard(representative: Representative, *, community_name: str = "") -> str:
    notes = []
    if representative.wechat_id:
        notes.append(_("WeChat ID: %(id)s") % {"id": representative.wechat_id})
    if representative.qq_group:
        notes.append(_("QQ group: %(group)s") % {"group": representative.qq_group})
    if community_name:
        notes.append(
            _("Representative in contact with %(community)s") % {"community": community_name}
        )
    title = representative.position or str(_("Party representative"))
    return segno.helpers.make_vcard_data(
        name=_plain(representative.name),
        displayname=_plain(representative.name),
        phone=representative.phone or None,
        org=_plain(representative.unit) or None,
        title=_plain(title),
        memo="；".join(_plain(n) for n in notes) or None,
    )


def qr_svg(data: str, *, label: str) -> SafeString:
    """An inline SVG QR code with an accessible name; black on white for any scanner."""
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(scale=4, omitsize=True, svgclass="lx-qr", dark="#000", light="#fff")
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
