"""Seed the demo data of a local run and print the staff accounts' passwords and authenticator
keys (otpauth:// addresses, for an authenticator app or `oathtool --totp -b KEY`)."""

from django.core.management.base import BaseCommand

from applications.demo import seed_staff


class Command(BaseCommand):
    help = "Create the demo data (staff accounts, and what later apps add). Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        for account in seed_staff():
            self.stdout.write(
                "staff account: "
                + account.username
                + " / "
                + account.password
                + " ("
                + account.role
                + ") at /admin/, authenticator key "
                + account.totp_url
            )
