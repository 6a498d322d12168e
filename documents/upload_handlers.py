"""An upload handler that stops taking a file once it is past the documents size limit.

Django's own handlers read a whole file (into memory, or a temporary file past 2.5 MB) before
any view sees its size. The documents upload and replace views put this handler first, so a
file stops being passed on once it is past `MAX_FILE_BYTES`: the other handlers (and the
temporary file) never hold more than the limit, and the parser discards the rest of that file
instead of keeping it. The handler does not decide anything: it records that it stopped, and the
view asks the size rule of the upload service (`services.check_size`) for the refusal.

Why `SkipFile` and not `StopUpload(connection_reset=True)`: the latter would also stop reading
the socket, but a server closing a connection with an unread body makes browsers report a reset
instead of the page, so the user would not see the message; and fields after the file would be
lost.

Several files in one post (the upload form's `multiple` input): each is held to the same size
limit, and only the first `max_files` are passed on; the handler skips any beyond them without
keeping a byte, and records how many came. So a post of many files holds at most `max_files`
times the size limit on disk. (Django itself refuses a body of more than
DATA_UPLOAD_MAX_NUMBER_FILES files.)
"""

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from .catalogue import MAX_FILE_BYTES


class FileSizeGuard(FileUploadHandler):
    """Passes each chunk on until the current file is past `limit` bytes, then skips the file;
    skips every file after the first `max_files`."""

    def __init__(
        self,
        request: HttpRequest | None = None,
        *,
        limit: int = MAX_FILE_BYTES,
        max_files: int = 1,
    ) -> None:
        super().__init__(request)
        self.limit = limit
        self.max_files = max_files
        self.received = 0  # bytes of the current file seen so far
        self.stopped_at: int | None = None  # bytes seen when a file was skipped for its size
        self.stopped_name = ""  # the name of that file, as sent
        self.files_sent = 0  # files in the post, kept or not

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.files_sent += 1
        if self.files_sent > self.max_files:
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.stopped_at is None:
                self.stopped_at = self.received
                self.stopped_name = self.file_name or ""
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file

    @property
    def too_large(self) -> bool:
        return self.stopped_at is not None

    @property
    def too_many(self) -> bool:
        return self.files_sent > self.max_files


def guard_file_size(request: HttpRequest, *, max_files: int = 1) -> FileSizeGuard:
    """Put a FileSizeGuard first among the request's upload handlers (before the body is read:
    the view must be csrf_exempt, with csrf_protect on the part that reads request.POST)."""
    guard = FileSizeGuard(request, max_files=max_files)
    request.upload_handlers.insert(0, guard)
    return guard
