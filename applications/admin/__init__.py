"""The back office's case pages: the case list and each case's page (cases.py), with the
reports (reports.py) reached from the list."""

from .. import audit_admin  # noqa: F401 - registers AuditEntry and DecisionEmail
from .cases import CaseAdmin

__all__ = ["CaseAdmin"]
