"""Chinese dates as Hong Kong and the Mainland write them: "2026年12月16日", "2026年12月16日 23:27".
Django's own module is kept but for the month and day, which it pads with a zero ("05月3日")."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "n月j日"
