"""The emails the applications app sends, each in the group's language, rendered from
templates (a subject, a plain-text body, and an HTML body where there is one).

`send` is the one way to send them; it is called after the transaction that recorded what the
email announces, never while a lock is held. The submission's acknowledgment reuses it.
"""

import logging
import smtplib
from collections.abc import Mapping, Sequence

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def send(
    *,
    to: str | Sequence[str],
    language: str,
    template: str,
    context: Mapping[str, object],
    html: bool = False,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> bool:
    """Render `template` + "_subject.txt", ".txt" (and ".html" when `html`) in `language` and
    send them to `to` (one address, or several on one message), with `attachments` (name,
    content, MIME type).

    Returns False, after logging the failure, when the mail server refuses or cannot be
    reached; the caller decides what the person is told. Never raises for a mail failure.
    """
    with translation.override(language):
        subject = render_to_string(template + "_subject.txt", dict(context))
        body = render_to_string(template + ".txt", dict(context))
        html_body = render_to_string(template + ".html", dict(context)) if html else None
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=body, to=recipients)
    if html_body is not None:
        message.attach_alternative(html_body, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("could not send the email %s", template)
        return False
    return True
