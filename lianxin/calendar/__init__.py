"""The working-day calendar: which days are working days, and deadlines counted in them.

The package is named after the room of the work; import it as `lianxin.calendar` (absolute
imports everywhere), never as a bare `calendar`, which is the standard library's module.
"""
