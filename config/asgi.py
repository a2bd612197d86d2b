"""
ASGI config for config project.

It exposes the ASGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/asgi/
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')

application = get_asgi_application()

# As config/wsgi.py: no system checks run here otherwise.
from access.checks import refuse_to_serve  # noqa: E402  (needs the apps loaded above)

refuse_to_serve()
