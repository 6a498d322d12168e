"""The outcome of one inspection: a frozen value that crosses into tasks, models and the command."""

from dataclasses import dataclass, field
from typing import Any

from documents import messages


@dataclass(frozen=True)
class InspectionResult:
    """What the inspection decided about one file.

    `reason_code` and `reason_params` are stable, JSON-serialisable data (the upload row stores
    them); `reason` and `warnings` render them in the language active when they are read.
    """

    accepted: bool
    format: str | None
    reason_code: str = ""
    reason_params: dict[str, Any] = field(default_factory=dict)
    warning_codes: tuple[str, ...] = ()
    page_count: int | None = None

    @property
    def reason(self) -> str:
        """The reason for a rejection in the active language; "" when accepted."""
        if not self.reason_code:
            return ""
        return messages.describe_reason(self.reason_code, self.reason_params)

    @property
    def warnings(self) -> list[str]:
        return [messages.describe_warning(code) for code in self.warning_codes]

    def as_dict(self) -> dict[str, Any]:
        """The one-line JSON shape printed by `manage.py inspect_file`."""
        return {
            "verdict": "accepted" if self.accepted else "rejected",
            "format": self.format,
            "reason": self.reason,
            "warnings": self.warnings,
        }


def accept(fmt: str, *, page_count: int, warning_codes: tuple[str, ...] = ()) -> InspectionResult:
    return InspectionResult(
        accepted=True, format=fmt, warning_codes=warning_codes, page_count=page_count
    )


def reject(
    code: str, *, fmt: str | None = None, page_count: int | None = None, **params: Any
) -> InspectionResult:
    """A rejection; parameters that are None or "" are left out of `reason_params`."""
    kept = {name: value for name, value in params.items() if value not in (None, "")}
    return InspectionResult(
        accepted=False, format=fmt, reason_code=code, reason_params=kept, page_count=page_count
    )
