"""The back office's log-in: password, then the code of the staff member's authenticator app.

- The admin site (`StaffAdminSite`, installed by immapp.apps.StaffAdminConfig) opens
  only to a session verified by a second factor: a TOTP device of django-otp's, one per staff
  member, enrolled with `manage.py enrol_staff_totp` (`enrol_totp`).
- `StaffLoginForm` asks for user name, password and code together and answers every failure
  with the same message, so it never tells whether the password was right. A wrong code counts
  as a failed log-in for django-axes, as a wrong password does: after AXES_FAILURE_LIMIT
  failures the account and the address are locked out for the cool-off time.
- Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request and in any case
  STAFF_SESSION_MAX_HOURS after they began (immapp.staff_sessions).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator app"


def enrol_totp(*, user: AbstractBaseUser) -> TOTPDevice:
    """Give `user` a new confirmed TOTP device, replacing every earlier one (a lost phone, a
    first enrolment): from now on only codes of the new key log in. Its `config_url` is the
    otpauth:// address an authenticator app reads."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)


def verified_device(*, user: AbstractBaseUser, code: str) -> TOTPDevice | None:
    """The user's TOTP device if `code` is its current code, else None. A code is accepted once
    (django-otp remembers the last time step used) and failures slow the device down
    (django-otp's throttling); the row is locked meanwhile, so two requests cannot both
    spend one code."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.devices_for_user(user, confirmed=True)
            .select_for_update()
            .order_by("pk")
            .first()
        )
        if device is None or not device.verify_token(code.replace(" ", "")):
            return None
        return device


class StaffLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Enter the user name, password and authentication code of a staff account. The "
            "user name and password are case-sensitive; the code changes every 30 seconds."
        ),
    }

    otp_token = forms.CharField(
        label=_("Authentication code"),
        help_text=_("The 6-digit code your authenticator app shows for this service."),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # the password (axes counts a wrong one) and is_staff
        user = self.get_user()
        if user is None:  # a field left empty: its own error is shown
            return cleaned
        device = verified_device(user=user, code=cleaned.get("otp_token") or "")
        if device is None:
            # For django-axes, a wrong code is a failed log-in like a wrong password.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username()},
                request=self.request,
            )
            raise self.get_invalid_login_error()
        # django_otp's user_logged_in receiver keeps the device in the session: verified.
        user.otp_device = device  # type: ignore[attr-defined]
        return cleaned


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out log-in (AXES_LOCKOUT_CALLABLE): our page, in the
    staff member's language, with 429."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {**admin.site.each_context(request), "minutes": minutes}
    return render(request, "admin/locked_out.html", context, status=429)


class StaffAdminSite(OTPAdminSite):
    """Django's admin, open only to staff verified by their authenticator (OTPAdminSite)."""

    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)  # "admin", not django-otp's "otpadmin": URL names stay admin:*
