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
from .supplementary import (
    mark_request_answered,
    outstanding_items,
    request_supplementary_documents,
    upload_supplementary_document,
)
from .uploads import check_size, delete_upload, replace_upload, upload_document

__all__ = [
    "EMPLOYER_KEY",
    "EMPLOYER_SECTION",
    "MAX_FILE_BYTES",
    "ChecklistItem",
    "GroupChecklist",
    "ItemState",
    "PersonChecklist",
    "check_size",
    "checklist_for_group",
    "child_limits",
    "delete_group_documents",
    "delete_upload",
    "inspect_upload",
    "mark_request_answered",
    "outstanding_items",
    "person_key",
    "refuse_unfinished_inspection",
    "remove_orphaned_files",
    "replace_upload",
    "request_supplementary_documents",
    "requeue_stale_inspections",
    "upload_document",
    "upload_supplementary_document",
]
