"""PDF actions that run by themselves, and XFA forms, are refused; a link the reader clicks is not.

An /OpenAction, or an additional action (/AA) of the catalogue, a page or a form field's widget,
runs without the reader asking: of the types that open a web address, submit or import form
data, open another or an embedded file, launch a program or play media, each is refused there,
also when chained through /Next. An XFA form is refused whatever it holds (its scripts live in
streams, which the inspection never decodes).
"""

import io

import pytest

from documents.inspection import inspect_file
from tests.documents.hostile import (
    ACTION_PLACES,
    OUTWARD_ACTION_KINDS,
    pdf_with_action_bytes,
    pdf_with_xfa_bytes,
)

AUTOMATIC_PLACES = tuple(place for place in ACTION_PLACES if place != "link")


def inspect(data: bytes):
    return inspect_file(io.BytesIO(data), carries_photo=False)


@pytest.mark.parametrize("where", AUTOMATIC_PLACES)
@pytest.mark.parametrize("kind", OUTWARD_ACTION_KINDS)
def test_outward_action_that_runs_by_itself_is_refused(kind, where):
    result = inspect(pdf_with_action_bytes(kind, where))

    assert not result.accepted
    # A program launch keeps its own, older reason (refused wherever it is).
    assert result.reason_code == ("pdf_launch" if kind == "Launch" else "pdf_automatic_action")


@pytest.mark.parametrize("kind", ["URI", "GoToR", "GoTo"])
def test_link_the_reader_clicks_is_accepted(kind):
    """A letter printed to PDF links to the company's site: nothing happens unless clicked."""
    assert inspect(pdf_with_action_bytes(kind, "link")).accepted


@pytest.mark.parametrize("where", AUTOMATIC_PLACES)
def test_harmless_automatic_action_is_accepted(where):
    """Opening at a given page (GoTo) is what many writers put in /OpenAction."""
    assert inspect(pdf_with_action_bytes("GoTo", where)).accepted


def test_xfa_form_is_refused():
    result = inspect(pdf_with_xfa_bytes())
    assert (result.accepted, result.reason_code) == (False, "pdf_xfa")
