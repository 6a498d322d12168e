"""WSGI entry point (gunicorn immapp.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immapp.settings")

application = get_wsgi_application()
