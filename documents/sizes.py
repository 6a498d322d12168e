"""File sizes as people read them: "820 bytes", "1 KB", "340 KB", "2.3 MB", "12 MB".

The one helper for every page and message that shows a size (the `human_size` filter of
documents_tags calls it). Units of 1,024, as operating systems show a file's size; one decimal
below 10 of a unit, dropped when it is 0 ("1 KB", not "1.0 KB"); whole units from 10 up.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

KB = 1024
MB = 1024 * KB


def _amount(value: float) -> str:
    if value >= 10:
        return number_format(round(value), force_grouping=True)
    rounded = round(value, 1)
    if rounded == int(rounded):
        return number_format(int(rounded))
    return number_format(rounded, decimal_pos=1)


def human_size(size: int | None) -> str:
    """`size` bytes in the active language, e.g. "2.3 MB"."""
    size = max(int(size or 0), 0)
    if size < KB:
        return ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": size}
    if size < MB:
        value = size / KB
        if round(value, 1 if value < 10 else 0) >= KB:  # 1,023.9 KB reads better as 1 MB
            return gettext("%(size)s MB") % {"size": _amount(size / MB)}
        return gettext("%(size)s KB") % {"size": _amount(value)}
    return gettext("%(size)s MB") % {"size": _amount(size / MB)}
