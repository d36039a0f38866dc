from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def widget_is(bound_field, class_name: str) -> bool:
    return bound_field.field.widget.__class__.__name__ == class_name


_WIDGET_CLASSES = {"select": "form-select", "selectmultiple": "form-select"}


@register.filter
def bootstrap_widget(bound_field):
    """Render a field's widget with Bootstrap classes and error state for screen readers."""
    widget = bound_field.field.widget
    kind = widget.__class__.__name__.lower()
    css = _WIDGET_CLASSES.get(kind, "form-control")
    attrs = {"class": css + (" is-invalid" if bound_field.errors else "")}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.id_for_label}_help")
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{bound_field.id_for_label}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def page_extras(context, slot: str, record):
    """What other rooms add to this record's page (see lianxin.core.extras)."""
    from lianxin.core import extras

    return extras.render(slot, context["request"], record)
