"""Back office of the applications app.

The case admin (cases, search, the case page) lives here when it lands; whatever this module
becomes, it keeps the import below, which registers the audit trail's admin.
"""

from . import audit_admin  # noqa: F401 - registers AuditEntry and DecisionEmail
