from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _


def refuse_sandbox_in_production() -> None:
    """With DEBUG off, a method on the sandbox is refused unless PAYMENT_SANDBOX_ALLOWED says
    so explicitly: production can never take sandbox payments."""
    from .providers import registry

    on_sandbox = sorted(m for m, name in registry.configured().items() if name == "sandbox")
    if on_sandbox and not settings.DEBUG and not settings.PAYMENT_SANDBOX_ALLOWED:
        raise ImproperlyConfigured(
            "Payment methods on the sandbox with DEBUG off: "
            + ", ".join(on_sandbox)
            + ". Configure a real provider (PAYMENT_PROVIDER, PAYMENT_PROVIDERS), or set "
            "PAYMENT_SANDBOX_ALLOWED=true for a test deployment."
        )


def _forget_providers(*, setting: str, **kwargs: object) -> None:
    if setting.startswith(("PAYMENT_", "STRIPE_", "FPS_", "SANDBOX_")):
        from .providers import registry

        registry.provider_named.cache_clear()


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        refuse_sandbox_in_production()
        setting_changed.connect(_forget_providers)
