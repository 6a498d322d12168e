"""Which provider carries which method: PAYMENT_PROVIDERS in settings, by provider name.

Providers are named, not imported here, so a deployment that never uses Stripe never imports
the SDK: `provider_named` imports the class on first use and keeps one instance per process
(providers are stateless).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from ..methods import PaymentMethod
from .base import PaymentProvider

PROVIDER_CLASSES = {
    "sandbox": "payments.providers.sandbox.SandboxProvider",
    "stripe": "payments.providers.stripe.StripeProvider",
    "fps": "payments.providers.fps.FpsProvider",
    # FPS on the sandbox: the FPS provider with the sandbox playing the collecting bank.
    "sandbox_fps": "payments.providers.sandbox.SandboxFpsProvider",
}


def configured() -> dict[str, str]:
    """Method -> provider name, for every method of the seed."""
    chosen = {
        method: settings.PAYMENT_PROVIDERS.get(method, settings.PAYMENT_PROVIDER)
        for method in PaymentMethod.values
    }
    unknown = sorted({name for name in chosen.values() if name not in PROVIDER_CLASSES})
    if unknown:
        raise ImproperlyConfigured("Unknown payment provider(s): " + ", ".join(unknown))
    return chosen


@cache
def provider_named(name: str) -> PaymentProvider:
    try:
        path = PROVIDER_CLASSES[name]
    except KeyError:
        raise LookupError(name) from None
    cls = import_string(path)
    factory = getattr(cls, "from_settings", cls)
    return factory()


def name_for(method: str) -> str:
    """The provider carrying `method` (FPS on the sandbox is carried by sandbox_fps)."""
    name = configured()[method]
    if name == "sandbox" and method == PaymentMethod.FPS:
        return "sandbox_fps"
    return name


def in_use() -> set[str]:
    """The providers this deployment uses: only these have a webhook address."""
    return {name_for(method) for method in PaymentMethod.values}


def provider_for(method: str) -> PaymentProvider:
    return provider_named(name_for(method))
