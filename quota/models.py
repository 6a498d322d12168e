"""Skilled trades of the Technical Professional List (quota pools, holds and allocations follow)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SkilledTrade(models.Model):
    """A trade on the Technical Professional List; officers maintain these rows in admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=200)
    minimum_contract_months = models.PositiveSmallIntegerField(
        _("minimum contract period (months)")
    )
    initial_stay_months = models.PositiveSmallIntegerField(_("initial stay (months)"), default=36)
    guidance_en = models.TextField(_("guidance on proofs (English)"), blank=True)
    guidance_zh_hant = models.TextField(_("guidance on proofs (Traditional Chinese)"), blank=True)
    guidance_zh_hans = models.TextField(_("guidance on proofs (Simplified Chinese)"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ("display_order", "code")
        verbose_name = _("skilled trade")
        verbose_name_plural = _("skilled trades")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_contract_months__gte=1),
                name="trade_minimum_contract_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def _localised(self, field: str) -> str:
        language = (get_language() or "en").lower()
        if language.startswith("zh-hant") or language in {"zh-hk", "zh-tw"}:
            return getattr(self, field + "_zh_hant") or getattr(self, field + "_en")
        if language.startswith("zh"):
            return getattr(self, field + "_zh_hans") or getattr(self, field + "_en")
        return getattr(self, field + "_en")

    @property
    def name(self) -> str:
        return self._localised("name")

    @property
    def guidance(self) -> str:
        return self._localised("guidance")
