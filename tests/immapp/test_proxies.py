"""Behind a proxy or not: forwarded headers (X-Forwarded-For, X-Forwarded-Proto) count only when
the connecting peer is one of TRUSTED_PROXIES; without any, no forwarded header is trusted.
The client address that the resume limit counts and signatures record comes from
applications.access.client_address, the one place it is read."""

import datetime

import pytest
from django.test import RequestFactory

from applications.access import client_address
from applications.references import new_reference
from tests.applications.wizard_client import date_parts

RESUME = "/en/apply/resume/"
PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "fd00::/8"]


def address_of(**meta: str) -> str:
    return client_address(RequestFactory().get("/", **meta))


# X-Forwarded-Proto


@pytest.mark.django_db
def test_a_client_sent_forwarded_proto_does_not_make_plain_http_secure(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/en/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_a_trusted_proxys_forwarded_proto_is_honoured(client, settings, behind_proxy):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/en/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR=PROXY)
    assert response.status_code == 200
    assert client.get("/en/", REMOTE_ADDR=PROXY).status_code == 301  # the proxy says http


@pytest.mark.django_db
def test_an_untrusted_peers_forwarded_headers_are_removed(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    response = client.get(
        "/en/",
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="10.0.0.9",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_HOST="evil.example",
        HTTP_FORWARDED="for=10.0.0.9;proto=https",
    )
    seen = response.wsgi_request.META
    for header in (
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_FORWARDED_PROTO",
        "HTTP_X_FORWARDED_HOST",
        "HTTP_FORWARDED",
    ):
        assert header not in seen, header


# The client address


def test_without_trusted_proxies_the_connecting_address_is_the_client():
    assert address_of(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4") == "203.0.113.7"


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(behind_proxy):
    assert address_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7") == "203.0.113.7"


def test_addresses_a_client_prepended_are_ignored(behind_proxy):
    forged = "1.2.3.4, 5.6.7.8, 203.0.113.7"
    assert address_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_back(behind_proxy):
    chain = "198.51.100.20, 10.0.0.9, fd00::1"
    assert address_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain) == "198.51.100.20"


def test_a_garbled_hop_stops_at_the_last_trusted_one(behind_proxy):
    assert address_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="unknown, 10.0.0.9") == "10.0.0.9"
    assert address_of(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="") == PROXY


def test_an_untrusted_peer_is_the_client_whatever_it_forwards(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert address_of(REMOTE_ADDR="10.0.1.5", HTTP_X_FORWARDED_FOR="203.0.113.7") == "10.0.1.5"


def test_a_bad_trusted_proxies_setting_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured):
        address_of(REMOTE_ADDR=PROXY)


# The resume limit, through the page


def wrong_guess(client, **meta: str):
    return client.post(
        RESUME,
        {"reference": new_reference(), **date_parts("date_of_birth", datetime.date(1990, 1, 1))},
        **meta,
    )


@pytest.mark.django_db
def test_behind_a_proxy_one_clients_failures_do_not_block_the_others(client, behind_proxy):
    from applications.services.drafts import RESUME_ATTEMPTS

    for _ in range(RESUME_ATTEMPTS):
        assert (
            wrong_guess(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
            == 200
        )
    assert (
        wrong_guess(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
        == 429
    )
    assert (
        wrong_guess(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        == 200
    )


@pytest.mark.django_db
def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_limit(client):
    from applications.services.drafts import RESUME_ATTEMPTS

    for n in range(RESUME_ATTEMPTS):
        forged = "198.51.100." + str(n)
        assert (
            wrong_guess(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=forged).status_code
            == 200
        )
    assert (
        wrong_guess(
            client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99"
        ).status_code
        == 429
    )
