"""The documents app's errors: each carries a message for the user in the active language."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class DocumentsError(Exception):
    """Base of every documents error; `message` is shown to the user as it is."""

    default_message = _("The document could not be saved.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class UploadsClosed(DocumentsError):
    default_message = _(
        "Documents can no longer be changed here: the application has been submitted."
    )


class NotApplicable(DocumentsError):
    default_message = _("This document is not asked for this person.")


class EmptyFile(DocumentsError):
    default_message = _("The file is empty. Choose a file that has content.")


class FileTooLarge(DocumentsError):
    def __init__(self, *, limit_bytes: int) -> None:
        megabytes = limit_bytes // (1024 * 1024)
        super().__init__(
            _("The file is larger than %(limit)s MB. Each file must be %(limit)s MB or less.")
            % {"limit": megabytes}
        )


class TooManyFiles(DocumentsError):
    def __init__(self, *, limit: int) -> None:
        super().__init__(
            ngettext_lazy(
                "This document takes at most %(limit)d file. Delete or replace it first.",
                "This document takes at most %(limit)d files. Delete or replace one first.",
                "limit",
            )
            % {"limit": limit}
        )


class TooManyFilesChosen(DocumentsError):
    """Several files chosen at once, more than the item has room for."""

    def __init__(self, *, limit: int, chosen: int, left: int) -> None:
        room = (
            _("It has room for %(left)d more.") % {"left": left}
            if left
            else _("It has no room for more: delete or replace a file first.")
        )
        super().__init__(
            str(
                ngettext_lazy(
                    "You chose %(chosen)d files, but this document takes at most %(limit)d file.",
                    "You chose %(chosen)d files, but this document takes at most %(limit)d files.",
                    "limit",
                )
                % {"chosen": chosen, "limit": limit}
            )
            + " "
            + str(room)
        )


class InvalidRequest(DocumentsError):
    """A supplementary request that cannot be made as given."""


class RequestClosed(DocumentsError):
    default_message = _("This request for documents is no longer open.")


class DeadlinePassed(DocumentsError):
    default_message = _("The deadline of this request for documents has passed.")


class NotificationNotSent(DocumentsError):
    """An email about a supplementary request could not be sent now; the task tries again."""

    default_message = _("The email could not be sent. It will be sent later.")
