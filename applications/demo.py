"""Demo data for a local run: staff accounts (later issues add trades, pools, an application)."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from immapp.staff import enrol_totp

from .roles import OFFICER, SUPERVISOR, ensure_roles


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    totp_url: str  # the otpauth:// address of its authenticator key, for the second factor


def seed_staff() -> list[DemoAccount]:
    """Ensure an officer and a supervisor exist, each with a fresh random password and a fresh
    authenticator (TOTP) key, earlier ones no longer working."""
    groups = ensure_roles()
    accounts = []
    user_model = get_user_model()
    with transaction.atomic():
        for username, role in (("officer", OFFICER), ("supervisor", SUPERVISOR)):
            user, _created = user_model.objects.get_or_create(
                username=username, defaults={"email": username + "@example.invalid"}
            )
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_staff = True
            user.save()
            user.groups.set([groups[role]])
            device = enrol_totp(user=user)
            accounts.append(DemoAccount(username, password, role, device.config_url))
    return accounts
