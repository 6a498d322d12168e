"""The resume limit under simultaneous guesses: each attempt is counted before its look-up, so
of 40 guesses sent at once at most RESUME_ATTEMPTS are evaluated, on the local-memory cache and
on Redis alike. Real threads, each with its own database connection."""

import datetime
import threading
from collections import Counter

import pytest
from django.db import connection

from applications.services import drafts

from .drafting import start, years_ago

BORN = years_ago(30)
GUESSES = 40


def guess_at_once(reference: str, *, addresses: list[str]) -> Counter:
    """Send one wrong guess per address, all released together; what each one got."""
    barrier = threading.Barrier(len(addresses))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def guess(address: str) -> None:
        try:
            barrier.wait()
            try:
                drafts.resume_by_reference(
                    reference=reference,
                    date_of_birth=BORN - datetime.timedelta(days=1),
                    client_address=address,
                )
                outcome = "opened"
            except drafts.TooManyAttempts:
                outcome = "refused"
            except drafts.ResumeDetailsWrong:
                outcome = "evaluated"
            with lock:
                outcomes[outcome] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(a,)) for a in addresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def check_the_limit_holds(group) -> None:
    same_address = guess_at_once(group.temporary_reference, addresses=["203.0.113.9"] * GUESSES)
    assert same_address["evaluated"] <= drafts.RESUME_ATTEMPTS, same_address
    assert same_address["evaluated"] + same_address["refused"] == GUESSES
    # The same reference from 40 other addresses: the reference's own count stops them, so
    # the reference has at most five guesses evaluated in all.
    many_addresses = guess_at_once(
        group.temporary_reference, addresses=["198.51.100." + str(n) for n in range(GUESSES)]
    )
    evaluated = same_address["evaluated"] + many_addresses["evaluated"]
    assert evaluated <= drafts.RESUME_ATTEMPTS, (same_address, many_addresses)
    # What the races left of the allowance (a refused guess is uncounted again) is used one
    # guess at a time: five evaluated in all, then even the right answer is refused.
    for n in range(drafts.RESUME_ATTEMPTS - evaluated):
        with pytest.raises(drafts.ResumeDetailsWrong):
            drafts.resume_by_reference(
                reference=group.temporary_reference,
                date_of_birth=BORN - datetime.timedelta(days=1),
                client_address="192.0.2." + str(100 + n),
            )
    with pytest.raises(drafts.TooManyAttempts):
        drafts.resume_by_reference(
            reference=group.temporary_reference, date_of_birth=BORN, client_address="192.0.2.1"
        )


@pytest.mark.django_db(transaction=True)
def test_forty_simultaneous_guesses_evaluate_at_most_five(trade):
    check_the_limit_holds(start(trade, date_of_birth=BORN))


@pytest.mark.django_db(transaction=True)
def test_forty_simultaneous_guesses_evaluate_at_most_five_on_redis(trade, redis_cache):
    check_the_limit_holds(start(trade, date_of_birth=BORN))
