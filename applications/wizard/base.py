"""What the applicant's and employer HR's wizards share: one address per step.

formtools' NamedUrlWizardView, with its weak spots closed:
- the step is the one in the address; a step not yet reached (every step before it completed)
  cannot be opened or posted, and a management form naming another step is refused: nothing
  changes;
- "Back", "Save and exit" and the language switch keep what was typed without validating it
  (only the step's own fields, bounded: applications.wizard.typed); characters no answer may
  hold are refused with a message on every button;
- storage is the draft (applications.wizard.storage), with a prefix holding the draft's id.
"""

from typing import Any

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView

from .. import services
from ..access import client_address
from ..exceptions import ApplicantIneligible, SignatureError, SignedDataChanged, StepConflict
from ..languages import chosen_language
from ..models import MAX_DEPENDANTS, ApplicationGroup, Scheme
from . import answers, steps
from .declarations import DeclarationsForm
from .fields import error_summary
from .storage import APPLICANT_PREFIX, DraftStorage, prefix_for
from .typed import kept_input, show_unusable

DECLARATION_STEPS = (steps.DECLARATIONS, steps.EMPLOYER_DECLARATION)
WIZARD_FORM_ID = "wizard-form"  # the language switch submits it (applications.languages)
RETURN_TO_CHECK = "check"


def payment_in_flight_page(
    request: HttpRequest, group: ApplicationGroup, *, sections: list[Any] | None = None
) -> HttpResponse:
    """The group read-only while a payment for it is in progress, and why: its answers (for
    the applicant; `sections` from applications.wizard.summary) but no form. A POST changes
    nothing and is answered 409."""
    return TemplateResponse(
        request,
        "applications/wizard/payment_in_flight.html",
        {"group": group, "sections": sections or []},
        status=409 if request.method == "POST" else 200,
    )


class DraftWizardView(NamedUrlWizardView):
    """What the applicant's and the employer's wizards share."""

    template_name = "applications/wizard/step.html"
    prefix_name = APPLICANT_PREFIX

    # Who may open which group
    def find_group(self, request: HttpRequest, **kwargs) -> ApplicationGroup:
        raise NotImplementedError

    def get_prefix(self, request, *args, **kwargs) -> str:
        return prefix_for(self.prefix_name, self.group)

    def read_only_sections(self) -> list[Any]:
        """What a read-only page shows of the group's answers (none for employer HR)."""
        return []

    def dispatch(self, request, *args, **kwargs):
        self.group = self.find_group(request, **kwargs)
        if self.group.payment_in_flight:
            return payment_in_flight_page(request, self.group, sections=self.read_only_sections())
        self.prefix = self.get_prefix(request)
        self.storage = DraftStorage(self.prefix, request, group=self.group)
        step = kwargs.get("step")
        self.storage.current_step = step if step in self.get_form_list() else None
        self.steps = StepsHelper(self)
        response = super(WizardView, self).dispatch(request, *args, **kwargs)
        self.storage.update_response(response)
        return response

    def get_step_url(self, step: str) -> str:
        raise NotImplementedError

    def reload_group(self) -> ApplicationGroup:
        """The group read again with its parts; Http404 when it was deleted meanwhile."""
        group = services.load_group(pk=self.group.pk)
        if group is None:
            raise Http404
        return group

    # Which steps are open
    def reachable(self, step: str) -> bool:
        form_list = list(self.get_form_list())
        if step not in form_list:
            return False
        return all(self.storage.is_completed(s) for s in form_list[: form_list.index(step)])

    def first_open_step(self) -> str:
        for step in self.get_form_list():
            if not self.storage.is_completed(step):
                return step
        return self.steps.last

    def refuse(self) -> HttpResponse:
        """A forged or skipped step: refused, nothing saved."""
        return TemplateResponse(
            self.request,
            "applications/wizard/refused.html",
            {"group": self.group, "continue_url": self.get_step_url(self.first_open_step())},
            status=400,
        )

    # Forms
    def get_form_initial(self, step):
        return answers.initial_for(step, self.group)

    def get_form_kwargs(self, step=None):
        return {"group": self.group}

    def pending_signers(self, step: str) -> list[services.Signer]:
        valid = self.valid_signatures
        return [s for s in self.signers_for(step) if services.signature_for(s, valid) is None]

    def signers_for(self, step: str) -> list[services.Signer]:
        raise NotImplementedError

    @property
    def valid_signatures(self):
        if not hasattr(self, "_valid_signatures"):
            self._valid_signatures = services.valid_signatures(self.group)
        return self._valid_signatures

    def get_form(self, step=None, data=None, files=None):
        step = step or self.steps.current
        if step in DECLARATION_STEPS:
            return DeclarationsForm(
                data=data,
                prefix=self.get_form_prefix(step),
                signers=self.pending_signers(step),
                group=self.group,
            )
        return super().get_form(step, data, files)

    def typed(self, step: str) -> dict[str, list[str]]:
        """What may be kept of the posted data of this step (applications.wizard.typed): its
        own fields, one value each, bounded in length."""
        return kept_input(self.get_form(step, data=self.request.POST), self.request.POST)[0]

    # GET
    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step not in self.get_form_list() or not self.reachable(step):
            return redirect(self.get_step_url(self.first_open_step()))
        typed = None if step in DECLARATION_STEPS else self.storage.get_step_data(step)
        form = self.get_form(step, data=typed)
        if typed is not None:
            form.quiet()
        return self.render(form)

    # POST
    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step not in self.get_form_list() or not self.reachable(step):
            return self.refuse()
        management = ManagementForm(request.POST, prefix=self.prefix)
        if not management.is_valid() or management.cleaned_data["current_step"] != step:
            return self.refuse()
        form = self.get_form(step, data=request.POST)
        typed, unusable = kept_input(form, request.POST)
        if unusable:  # whichever button: shown again with a message, nothing kept
            return self.render(show_unusable(form, unusable))
        keep = step not in DECLARATION_STEPS
        # Where the user is left off is recorded with the POST's own write, never on a GET:
        # this step, or the step the POST sends them to.
        self.storage.record_visit(step)
        language = chosen_language(request)
        if language:  # the language switch: keep what was typed, show it in that language
            if keep:
                self.storage.set_step_data(step, typed)
            return self.switch_language(step, language)
        goto = request.POST.get("wizard_goto_step")
        if goto:
            if not self.reachable(goto):
                return self.refuse()
            self.storage.record_visit(goto)
            if keep:
                self.storage.set_step_data(step, typed)
            return redirect(self.get_step_url(goto))
        if "wizard_save_exit" in request.POST:
            if keep:
                self.storage.set_step_data(step, typed)
            return self.save_and_exit()
        if "wizard_add_dependant" in request.POST and step == steps.DEPENDANTS:
            return self.add_dependant(step, typed)
        if not form.is_valid():
            if keep:
                self.storage.set_step_data(step, typed)
            return self.render(form)
        response = self.save(step, form)
        if response is not None:
            return response
        self.storage.set_step_data(step, None)
        self.storage.mark_completed(step)
        return self.after_save(step)

    def save_and_exit(self) -> HttpResponse:
        raise Http404

    def switch_language(self, step: str, language: str) -> HttpResponse:
        """The same step in `language` (and the same query, such as the return to check)."""
        with translation.override(language):
            url = self.get_step_url(step)
        query = self.request.GET.urlencode()
        return redirect(url + ("?" + query if query else ""))

    def add_dependant(self, step: str, data: dict[str, list[str]]) -> HttpResponse:
        key = self.get_form_prefix(step) + "-TOTAL_FORMS"
        try:
            total = int((data.get(key) or ["0"])[0])
        except ValueError:
            return self.refuse()
        total = min(max(total, 0) + 1, MAX_DEPENDANTS)
        data[key] = [str(total)]
        self.storage.set_step_data(step, data)
        return redirect(self.get_step_url(step) + "#dependant-" + str(total))

    def save(self, step: str, form) -> HttpResponse | None:
        """Save a valid step; a response to show instead of moving on, or None."""
        if step in DECLARATION_STEPS:
            try:
                services.sign(
                    group=self.group,
                    entries=form.entries(),
                    ip_address=client_address(self.request) or None,
                )
            except SignedDataChanged as exc:
                # Show the answers as they are now, with what was typed, to sign again.
                self.group = self.reload_group()
                self.__dict__.pop("_valid_signatures", None)
                form = self.get_form(step, data=self.request.POST)
                form.add_error(None, exc.message)
                return self.render(form)
            except SignatureError as exc:
                form.add_error(None, exc.message)
                return self.render(form)
            return None
        cleaned = answers.dependants_change(form) if step == steps.DEPENDANTS else form.cleaned_data
        try:
            saved = services.save_step(group=self.group, step=step, cleaned=cleaned)
        except ApplicantIneligible as exc:
            form.add_error(exc.field, exc.message)
            return self.render(form)
        except StepConflict as exc:
            self.group = self.reload_group()
            self.storage.set_step_data(step, self.typed(step))
            if isinstance(form, BaseFormSet):
                form.non_form_errors().append(exc.message)
            else:
                form.add_error(None, exc.message)
            return self.render(form)
        if saved.scheme_changed_to:
            messages.info(
                self.request,
                _("Your answers mean that you now apply under the %(scheme)s.")
                % {"scheme": Scheme(saved.scheme_changed_to).label},
            )
        if saved.voided:
            group = self.reload_group()
            # Chinese lists its items with an enumeration comma, not ", ".
            separator = pgettext("separator between the names of a list", ", ")
            names = separator.join(
                services.describe(s, group.applications.all()) for s in saved.voided
            )
            messages.warning(
                self.request,
                _(
                    "You changed answers after they were signed, so these signatures are no "
                    "longer valid and must be given again: %(names)s."
                )
                % {"names": names},
            )
        return None

    def after_save(self, step: str) -> HttpResponse:
        if step == self.steps.last:
            return self.finished()
        self.group = self.reload_group()  # the step may change the steps:
        self.__dict__.pop("_resolved_form_list", None)  # formtools caches them per request
        if (
            self.request.GET.get("return") == RETURN_TO_CHECK
            and steps.CHECK in self.get_form_list()
            and self.reachable(steps.CHECK)
        ):
            following: str | None = steps.CHECK
        else:
            form_list = list(self.get_form_list())
            following = form_list[form_list.index(step) + 1] if step in form_list else None
        following = following or self.first_open_step()
        self.storage.record_visit(following)
        return redirect(self.get_step_url(following))

    def finished(self) -> HttpResponse:
        raise NotImplementedError

    # Rendering
    def step_context(self, step: str, form) -> dict:
        return {}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        form_list = list(self.get_form_list())
        context.update(
            {
                "group": self.group,
                "step_name": step,
                "step_title": steps.title(step),
                "step_number": form_list.index(step) + 1,
                "step_count": len(form_list),
                "errors": error_summary(form),
                "prev_step": self.steps.prev,
                "suspension": services.suspension_reason(group=self.group, displayed=True),
                "return_to_check": self.request.GET.get("return") == RETURN_TO_CHECK,
                "language_form": WIZARD_FORM_ID,
            }
        )
        context.update(self.step_context(step, form))
        return context

    def get_template_names(self):
        return [f"applications/wizard/step_{self.steps.current}.html", self.template_name]


def signed_list(group, signers, valid):
    return [(signer, services.signature_for(signer, valid)) for signer in signers]
