"""The officers' case search: one box, read as every kind of term an officer may type.

A term is tried as an application reference, a temporary reference (with or without its
hyphens, any case), a Hong Kong identity card number, a travel document number and a Business
Registration number, each normalised the way it is stored and matched exactly on its b-tree
index; and its words as a person's name (English or Chinese) or a company's name, each word
matched on the trigram indexes of applications.models. Words shorter than three characters
have no trigram to look up, so they match a whole name (LI, 陳明) rather than a part of one.

Each reading is a query of application ids driven by its own index, and their UNION gives the
ids the term finds. They are read first (up to MAX_LISTED), and the case list then filters by
that list of ids, which the primary key answers: the planner never has to guess how many rows a
name matches, so a search does not scan the applications table, whatever its size
(bench/case_search.py measures it with EXPLAIN). A term that finds more than MAX_LISTED is
filtered by the UNION as a subquery instead.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db.models import Q, QuerySet

from . import application_references, references
from .models import Application
from .wizard.validators import BR_PATTERN, HKID_PATTERN

MIN_PARTIAL = 3  # pg_trgm indexes a part of a name from three characters on
PERSON_NAMES = ("surname", "given_names", "chinese_name")
COMPANY_NAMES = ("group__employer__company_name_en", "group__employer__company_name_zh")
MAX_TERM = 200
MAX_LISTED = 1000
_SEPARATORS = re.compile(r"[\s\-]+")


def application_reference(term: str) -> str | None:
    """The stored form of an application reference typed with or without its hyphens."""
    return application_references.parse(term)


def temporary_reference(term: str) -> str | None:
    """The stored form of a temporary reference (ABCD-EFGH-J, abcdefghj, ABCD EFGH J)."""
    return references.parse(term)


def hkid_number(term: str) -> str | None:
    """The stored form of an HKID number: A123456(7), typed with or without the brackets."""
    found = HKID_PATTERN.match(re.sub(r"\s+", "", term).upper())
    if found is None:
        return None
    prefix, digits, check = found.groups()
    return prefix + digits + "(" + check + ")"


def travel_document_key(term: str) -> str | None:
    """The number as Application.travel_document_key holds it (no spaces or hyphens)."""
    key = _SEPARATORS.sub("", term).upper()
    return key if key and len(key) <= 30 else None


def business_registration_number(term: str) -> str | None:
    """A Business Registration number as stored: 8 digits, or the certificate's full form."""
    number = re.sub(r"\s+", "", term).upper()
    return number if BR_PATTERN.match(number) else None


def _word(fields: tuple[str, ...], word: str) -> Q:
    lookup = "icontains" if len(word) >= MIN_PARTIAL else "iexact"
    return reduce(or_, (Q(**{field + "__" + lookup: word}) for field in fields))


def _all_words(fields: tuple[str, ...], words: list[str]) -> Q:
    return reduce(and_, (_word(fields, word) for word in words))


def _readings(term: str) -> list[Q]:
    """One condition per reading of the term, each answered by an index of its own."""
    readings = []
    if reference := application_reference(term):
        readings.append(Q(reference_number=reference))
    if temporary := temporary_reference(term):
        readings.append(Q(group__temporary_reference=temporary))
    if hkid := hkid_number(term):
        readings.append(Q(hkid_number=hkid))
    if key := travel_document_key(term):
        readings.append(Q(travel_document_key=key))
    if number := business_registration_number(term):
        employer = "group__employer__business_registration_number"
        readings.append(Q(**{employer: number}) | Q(**{employer + "__startswith": number + "-"}))
    words = term.split()
    if words:
        readings.append(_all_words(PERSON_NAMES, words))
    # A company is looked for by parts of its name only: a whole company name of one or two
    # characters is not a thing officers type.
    if words and all(len(word) >= MIN_PARTIAL for word in words):
        readings.append(_all_words(COMPANY_NAMES, words))
    return readings


def matching_ids(term: str) -> QuerySet[Application, Any] | None:
    """The ids of the applications the term finds (a UNION, unevaluated); None for no term."""
    term = term.strip()[:MAX_TERM]
    readings = _readings(term)
    if not readings:
        return None
    queries = [Application.objects.filter(reading).order_by().values("pk") for reading in readings]
    first, *rest = queries
    return first.union(*rest) if rest else first


def search(queryset: QuerySet[Application], term: str) -> QuerySet[Application]:
    """`queryset` narrowed to what `term` finds; unchanged for an empty term. One query reads
    the ids found (see the module's docstring)."""
    ids = matching_ids(term)
    if ids is None:
        return queryset
    listed = list(ids.values_list("pk", flat=True)[: MAX_LISTED + 1])
    if len(listed) <= MAX_LISTED:
        return queryset.filter(pk__in=listed)
    return queryset.filter(pk__in=ids)
