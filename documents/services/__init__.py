"""The documents app's use cases; views, admin, tasks and tests call these."""

from ..catalogue import MAX_FILE_BYTES
from .checklist import (
    EMPLOYER_KEY,
    EMPLOYER_SECTION,
    ChecklistItem,
    GroupChecklist,
    ItemState,
    PersonChecklist,
    checklist_for_group,
    person_key,
)
from .cleanup import delete_group_documents, remove_orphaned_files, requeue_stale_inspections
from .inspections import child_limits, inspect_upload, refuse_unfinished_inspection
from .notifications import notify_officers, pending_notifications, send_request_email
from .previews import (
    preview_image,
    preview_limits,
    queue_missing_previews,
    render_preview,
    request_preview,
)
from .progress import checks_finished, note_check_finished
from .supplementary import (
    RequestedItem,
    close_if_overdue,
    close_overdue_requests,
    latest_request,
    open_requests_for,
    outstanding_items,
    request_supplementary_documents,
    requested_items,
    sections_for,
    submit_supplementary_documents,
    upload_supplementary_document,
)
from .uploads import (
    check_size,
    delete_upload,
    replace_upload,
    upload_document,
    upload_documents,
)

__all__ = [
    "EMPLOYER_KEY",
    "EMPLOYER_SECTION",
    "MAX_FILE_BYTES",
    "ChecklistItem",
    "GroupChecklist",
    "ItemState",
    "PersonChecklist",
    "RequestedItem",
    "check_size",
    "checklist_for_group",
    "checks_finished",
    "child_limits",
    "close_if_overdue",
    "close_overdue_requests",
    "delete_group_documents",
    "delete_upload",
    "inspect_upload",
    "latest_request",
    "note_check_finished",
    "notify_officers",
    "open_requests_for",
    "outstanding_items",
    "pending_notifications",
    "person_key",
    "preview_image",
    "preview_limits",
    "queue_missing_previews",
    "refuse_unfinished_inspection",
    "remove_orphaned_files",
    "render_preview",
    "replace_upload",
    "request_preview",
    "request_supplementary_documents",
    "requested_items",
    "requeue_stale_inspections",
    "sections_for",
    "send_request_email",
    "submit_supplementary_documents",
    "upload_document",
    "upload_documents",
    "upload_supplementary_document",
]
