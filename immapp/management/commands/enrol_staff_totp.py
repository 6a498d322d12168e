"""Give a staff account a new authenticator (TOTP) key and print it for the staff member's app."""

import base64
import io

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from immapp.staff import enrol_totp


class Command(BaseCommand):
    help = (
        "Enrol USERNAME's authenticator app for the back office's second factor, replacing any "
        "earlier one: prints the otpauth:// address, its key and a QR code to scan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, **options: object) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("No user " + str(options["username"]) + ".")
        if not user.is_staff:
            raise CommandError(user.get_username() + " is not a staff account.")
        device = enrol_totp(user=user)
        uri = device.config_url
        key = base64.b32encode(device.bin_key).decode()
        qr = io.StringIO()
        segno.make(uri, error="m").terminal(out=qr, compact=True)
        self.stdout.write(qr.getvalue())
        self.stdout.write("Scan the code above with an authenticator app, or add this key: " + key)
        self.stdout.write(uri)
        self.stdout.write("Earlier authenticators of " + user.get_username() + " no longer work.")
