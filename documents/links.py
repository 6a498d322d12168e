"""Where the forms and links of one documents item point: the checklist's pages, or the
applicant's supplementary documents page. documents/_item.html asks through the
`document_url` tag, so both pages render their items with the same partial."""

from dataclasses import dataclass
from typing import Protocol

from django.urls import reverse

from applications.models import ApplicationGroup

from .models import Upload


class Links(Protocol):
    def upload(self) -> str: ...
    def file(self, upload: Upload) -> str: ...
    def replace(self, upload: Upload) -> str: ...
    def delete(self, upload: Upload) -> str: ...


@dataclass(frozen=True)
class ChecklistLinks:
    """The group's documents pages; `query` keeps the employer link on every address."""

    group: ApplicationGroup
    query: str = ""

    def _url(self, name: str, *args: object) -> str:
        return reverse("documents:" + name, args=[self.group.public_id, *args]) + self.query

    def upload(self) -> str:
        return self._url("upload")

    def file(self, upload: Upload) -> str:
        return self._url("file", upload.public_id)

    def replace(self, upload: Upload) -> str:
        return self._url("replace", upload.public_id)

    def delete(self, upload: Upload) -> str:
        return self._url("delete", upload.public_id)


@dataclass(frozen=True)
class SupplementaryLinks:
    """The applicant's supplementary documents page (the session says whose request)."""

    def upload(self) -> str:
        return reverse("supplementary:upload")

    def file(self, upload: Upload) -> str:
        return reverse("supplementary:file", args=[upload.public_id])

    def replace(self, upload: Upload) -> str:
        return reverse("supplementary:replace", args=[upload.public_id])

    def delete(self, upload: Upload) -> str:
        return reverse("supplementary:delete", args=[upload.public_id])
