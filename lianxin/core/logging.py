import logging
import re

# Mainland mobiles (11 digits starting with 1) and 18-character ID numbers.
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])")


def redact(text: str) -> str:
    text = _ID.sub(r"\1**********\2", text)
    return _MOBILE.sub(r"\1****\2", text)


class RedactPersonalNumbers(logging.Filter):
    """Masks phone and ID numbers in every log record, whatever code wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
