"""Public links sent to residents. The portal serves these paths; they stay short because
they travel by SMS."""


def tracking_path(tracking_code: str) -> str:
    return f"/t/{tracking_code}"


def rating_path(token: str) -> str:
    return f"/r/{token}"


def staff_case_path(number: str) -> str:
    return f"/staff/cases/{number}/"
