from __future__ import annotations


class CaseActionError(Exception):
    """A step that is not allowed now. Carries a stable code and a translated message;
    nothing was changed when it is raised."""

    def __init__(self, code: str, message) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)
