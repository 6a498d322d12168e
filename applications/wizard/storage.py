"""formtools storage backed by the draft, so no input lives only in one browser.

- What was typed but not yet valid (kept by "Back", "Save and exit" or a failed Continue) is
  kept in ApplicationGroup.wizard_state under the wizard's prefix, which includes the draft's
  id; valid steps go into the real rows (applications.wizard.answers) and their typed copy is
  dropped, so the rows stay the one truth.
- The steps completed are kept for the whole group (the employer link's company step counts for
  the applicant too).
- The current step is the one in the address, never stored: two tabs on two steps of one
  draft, or on two drafts, don't move each other. Where the user was left off (the step a
  POST was made on, or sent them to) is recorded (`last_step`) only so that resuming can offer
  to go back there.
Writes merge under a row lock only the steps this request changed.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from formtools.wizard.storage.base import BaseStorage

from ..models import ApplicationGroup
from ..services.groups import lock_group

COMPLETED_KEY = "completed"
LAST_STEP_KEY = "last"


APPLICANT_PREFIX = "wizard"
EMPLOYER_PREFIX = "employer"


def prefix_for(name: str, group: ApplicationGroup) -> str:
    """The storage prefix of one wizard (APPLICANT_PREFIX, EMPLOYER_PREFIX) of the group: it
    holds the draft's id, so two drafts in one browser never share input."""
    return name + "_" + str(group.public_id)


def completed_steps(group: ApplicationGroup) -> frozenset[str]:
    """The steps completed in the group's wizards (the applicant's and employer HR's)."""
    return frozenset((group.wizard_state or {}).get(COMPLETED_KEY) or [])


def typed_steps(group: ApplicationGroup, prefix: str) -> frozenset[str]:
    """The steps of the wizard with this prefix that hold input typed but not yet saved."""
    mine = (group.wizard_state or {}).get(prefix) or {}
    return frozenset(mine.get("typed") or {})


def last_step(group: ApplicationGroup, prefix: str) -> str:
    """Where the wizard with this prefix left the user off ("" before any POST)."""
    mine = (group.wizard_state or {}).get(prefix) or {}
    return str(mine.get(LAST_STEP_KEY) or "")


class DraftStorage(BaseStorage):
    def __init__(
        self, prefix: str, request: Any = None, file_storage: Any = None, *, group: ApplicationGroup
    ) -> None:
        super().__init__(prefix, request, file_storage)
        self.prefix = prefix
        self.group = group
        self.init_data()
        saved = (group.wizard_state or {}).get(prefix) or {}
        self.data[self.step_data_key] = dict(saved.get("typed") or {})
        self._completed = set(completed_steps(group))
        self._typed_changes: dict[str, Any] = {}
        self._completed_changes: dict[str, bool] = {}
        self._last_step = str(saved.get(LAST_STEP_KEY) or "")
        self._last_step_changed = False

    # The typed data of a step: None drops it.
    def set_step_data(self, step: str, cleaned_data: Any) -> None:
        if cleaned_data is None:
            self.data[self.step_data_key].pop(step, None)
        else:
            if isinstance(cleaned_data, MultiValueDict):
                cleaned_data = dict(cleaned_data.lists())
            self.data[self.step_data_key][step] = cleaned_data
        self._typed_changes[step] = cleaned_data

    def set_step_files(self, step: str, files: Any) -> None:
        """The wizard takes no files (documents have their own pages)."""

    def get_step_files(self, step: str) -> None:
        return None

    def is_completed(self, step: str) -> bool:
        return step in self._completed

    @property
    def completed(self) -> frozenset[str]:
        return frozenset(self._completed)

    def mark_completed(self, step: str, done: bool = True) -> None:
        if done:
            self._completed.add(step)
        else:
            self._completed.discard(step)
        self._completed_changes[step] = done

    def record_visit(self, step: str) -> None:
        """Remember `step` as where the user is left off (written with the request's other
        changes, and only when it changes)."""
        if step != self._last_step:
            self._last_step = step
            self._last_step_changed = True

    def reset(self) -> None:
        for step in list(self.data[self.step_data_key]):
            self.set_step_data(step, None)

    def persist(self) -> None:
        """Merge this request's changes into the saved state, under the group's row lock."""
        if not (self._typed_changes or self._completed_changes or self._last_step_changed):
            return
        with transaction.atomic():
            try:
                state = lock_group(pk=self.group.pk).wizard_state or {}
            except ApplicationGroup.DoesNotExist:  # the draft was deleted meanwhile
                return
            mine = dict(state.get(self.prefix) or {})
            typed = dict(mine.get("typed") or {})
            for step, data in self._typed_changes.items():
                if data is None:
                    typed.pop(step, None)
                else:
                    typed[step] = data
            mine["typed"] = typed
            if self._last_step_changed:
                mine[LAST_STEP_KEY] = self._last_step
            state[self.prefix] = mine
            completed = set(state.get(COMPLETED_KEY) or [])
            for step, done in self._completed_changes.items():
                (completed.add if done else completed.discard)(step)
            state[COMPLETED_KEY] = sorted(completed)
            ApplicationGroup.objects.filter(pk=self.group.pk).update(
                wizard_state=state, updated_at=timezone.now()
            )
            self.group.wizard_state = state
        self._typed_changes.clear()
        self._completed_changes.clear()
        self._last_step_changed = False

    def update_response(self, response: Any) -> None:
        self.persist()
