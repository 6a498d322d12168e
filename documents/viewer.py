"""Who is looking at a group's documents, and what that lets them see and change."""

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest

from applications.access import Access, access_for, employer_link_refusal, refuse
from applications.models import ApplicationGroup

from .catalogue import Section
from .models import Upload

EMPLOYER_PARAM = "employer"


@dataclass(frozen=True)
class Viewer:
    group: ApplicationGroup
    access: Access
    token: str = ""

    @property
    def sections(self) -> tuple[str, ...]:
        """The employer link opens the company's section only, never personal documents."""
        if self.access is Access.EMPLOYER:
            return (Section.EMPLOYER.value,)
        return tuple(section.value for section in Section)

    @property
    def may_change(self) -> bool:
        """Applicants and the employer link change files while the group is a draft."""
        return self.access in (Access.APPLICANT, Access.EMPLOYER) and self.group.is_editable

    @property
    def query(self) -> str:
        """The query string that keeps the employer link on every address of the pages."""
        return "?" + urlencode({EMPLOYER_PARAM: self.token}) if self.token else ""

    @property
    def may_see_versions(self) -> bool:
        """Files an upload held before it was replaced are for officers only."""
        return self.access is Access.OFFICER

    def may_see(self, upload: Upload) -> bool:
        if upload.group_id != self.group.pk:
            return False
        if self.access is Access.EMPLOYER:
            return upload.supplementary_item_id is None and upload.section == Section.EMPLOYER
        return True


def viewer_for(request: HttpRequest, group_id: uuid.UUID | str) -> Viewer:
    """The viewer of the group with this public id; Http404 for anyone without access (its
    subclasses applications.access.GroupSavedAndLeft for a session that saved and left it,
    EmployerLinkRefused for an employer link that no longer works)."""
    group = ApplicationGroup.objects.filter(public_id=group_id).first()
    if group is None:
        raise Http404
    token = request.GET.get(EMPLOYER_PARAM, "")
    access = access_for(request, group, token or None)
    if access is None:
        # Say why a genuine employer link or a group saved and left opens nothing.
        raise employer_link_refusal(token, group=group) if token else refuse(request, group)
    return Viewer(group, access, token if access is Access.EMPLOYER else "")
