"""Errors of the learning record store, each with its HTTP status and a bilingual message."""


class XAPIError(Exception):
    """A request the LRS refuses. `path` names the offending property or parameter."""

    status = 400

    def __init__(self, path: str, message_zh: str, message_en: str, *, status: int | None = None):
        super().__init__(f"{path}: {message_en}")
        self.path = path
        self.message_zh = message_zh
        self.message_en = message_en
        if status is not None:
            self.status = status

    def as_json(self) -> dict:
        prefix = f"{self.path}: " if self.path else ""
        return {
            "error": True,
            "status": self.status,
            "path": self.path,
            "message": f"{prefix}{self.message_zh} / {self.message_en}",
            "message_zh": f"{prefix}{self.message_zh}",
            "message_en": f"{prefix}{self.message_en}",
        }
