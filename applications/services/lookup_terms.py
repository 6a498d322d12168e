"""Reading a typed reference the way it is stored, for every search and look-up box."""

from .. import application_references, references


def stored_reference(term: str) -> str | None:
    """The stored form of an application reference number or a temporary reference as typed
    (any case, with or without spaces and hyphens), or None when the term is neither."""
    return application_references.parse(term) or references.parse(term)


def reference_search_term(term: str) -> str:
    """An admin search term with any reference in it rewritten to its stored form, so that
    ``ggqp-kjrr-n`` finds the group stored as ``GGQPKJRRN`` and ``tp26gep7kq3mxr`` the
    application ``TP26-GEP-7KQ3MX-B``. Other words are left as they were."""
    whole = stored_reference(term)
    if whole is not None:
        return whole
    return " ".join(stored_reference(word) or word for word in term.split())
