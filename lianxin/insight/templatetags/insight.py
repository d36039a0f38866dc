from django import template

register = template.Library()


@register.filter
def shown(row, code: str) -> str:
    """A department row's metric as shown (a percentage, 样本不足 or a count)."""
    return row.shown(code)
