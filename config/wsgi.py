"""
WSGI config for config project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')

application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve with settings that must not reach production
# (the demo SECRET_KEY with DEBUG off), saying what to set.
from access.checks import refuse_to_serve  # noqa: E402  (needs the apps loaded above)

refuse_to_serve()
