"""WSGI entry point; DJANGO_SETTINGS_MODULE names the deployable (config.settings.identity, ...)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.identity")
application = get_wsgi_application()
