"""Staff in the back office's tests: logged in as a real log-in with a second factor leaves them.

The back office (immapp.staff) opens only to a session verified by the staff member's
authenticator (django-otp). `log_in_staff` is `client.force_login` plus that verification: the
session names the user's TOTP device, made (confirmed) if the user has none.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def staff_device(user) -> TOTPDevice:
    """The user's confirmed TOTP device, made if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="tests", confirmed=True)


def log_in_staff(client: Client, user) -> TOTPDevice:
    """Log `user` in on `client` with a verified second factor; return the device."""
    device = staff_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def current_code(device: TOTPDevice) -> str:
    """The code the staff member's authenticator app shows now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(code).zfill(device.digits)
