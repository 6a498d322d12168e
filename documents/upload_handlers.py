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
"""

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from .catalogue import MAX_FILE_BYTES


class FileSizeGuard(FileUploadHandler):
    """Passes each chunk on until the current file is past `limit` bytes, then skips the file."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int = MAX_FILE_BYTES) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0  # bytes of the current file seen so far
        self.stopped_at: int | None = None  # bytes seen when a file was skipped for its size

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.stopped_at = self.received
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file

    @property
    def too_large(self) -> bool:
        return self.stopped_at is not None


def guard_file_size(request: HttpRequest) -> FileSizeGuard:
    """Put a FileSizeGuard first among the request's upload handlers (before the body is read:
    the view must be csrf_exempt, with csrf_protect on the part that reads request.POST)."""
    guard = FileSizeGuard(request)
    request.upload_handlers.insert(0, guard)
    return guard
