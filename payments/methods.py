"""The payment methods the service accepts for the application fee."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    """Methods, grouped as the public pages and the payment page present them."""

    VISA = "visa", _("VISA")
    MASTERCARD = "mastercard", _("Mastercard")
    UNIONPAY_CARD = "unionpay_card", _("UnionPay card")
    JCB = "jcb", _("JCB")
    PPS = "pps", _("PPS")
    FPS = "fps", _("FPS (Faster Payment System)")
    ALIPAY = "alipay", _("Alipay")
    WECHAT_PAY = "wechat_pay", _("WeChat Pay")
    UNIONPAY_APP = "unionpay_app", _("UnionPay App")


METHOD_GROUPS = (
    (
        _("Credit and debit cards"),
        (
            PaymentMethod.VISA,
            PaymentMethod.MASTERCARD,
            PaymentMethod.UNIONPAY_CARD,
            PaymentMethod.JCB,
        ),
    ),
    (_("Payment by Phone Service"), (PaymentMethod.PPS,)),
    (_("Faster Payment System"), (PaymentMethod.FPS,)),
    (
        _("Mainland electronic wallets"),
        (PaymentMethod.ALIPAY, PaymentMethod.WECHAT_PAY, PaymentMethod.UNIONPAY_APP),
    ),
)

# Card methods: authorised first, captured once the quota slot is secured.
CARD_METHODS = frozenset(
    {PaymentMethod.VISA, PaymentMethod.MASTERCARD, PaymentMethod.UNIONPAY_CARD, PaymentMethod.JCB}
)
