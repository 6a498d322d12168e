"""manage.py inspect_file PATH [--photo] [--language CODE]: check one file by hand.

Runs exactly the inspection an upload goes through (size limit included, in a child process with
the same limits) and prints its outcome
as one line of JSON, {"verdict", "format", "reason", "warnings"}, with the reason and warnings in
the chosen language. The exit status is 0 whatever the verdict, and also when PATH cannot be
read (missing, a directory, no permission): that prints a "rejected" verdict with the reason
"The file could not be read.", so a script reading the one line always gets an answer in the
same shape. Only a malformed command line (no PATH, an unknown language) exits non-zero.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from documents import services
from documents.inspection import InspectionResult, read_head
from documents.inspection.isolated import inspect_in_child
from documents.inspection.result import reject


class Command(BaseCommand):
    help = "Inspect a file's content as an upload is inspected; print the outcome as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The file to inspect.")
        parser.add_argument(
            "--photo",
            action="store_true",
            help="The document carries a photo, so it must be in colour.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the reason and warnings (default: LANGUAGE_CODE).",
        )

    def handle(self, *args: object, **options: object) -> None:
        result = self._inspect(str(options["path"]), carries_photo=bool(options["photo"]))
        with translation.override(str(options["language"])):
            line = json.dumps(result.as_dict(), ensure_ascii=False)
        self.stdout.write(line)

    @staticmethod
    def _inspect(path: str, *, carries_photo: bool) -> InspectionResult:
        try:
            with open(path, "rb") as fileobj:
                data = read_head(fileobj)
        except OSError:
            return reject("unreadable")
        limits = services.child_limits()
        return inspect_in_child(data, carries_photo=carries_photo, limits=limits).result
