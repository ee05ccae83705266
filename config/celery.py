"""Celery application; the deployable comes from DJANGO_SETTINGS_MODULE, as for the web process.

Run a worker with: DJANGO_SETTINGS_MODULE=config.settings.state celery -A config worker -B
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.identity")

app = Celery("taxgov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
