"""Settings that must not reach production: a system check at ERROR level, so that start-up
stops and says what to set.

Registered by access's AppConfig.ready(), without Django's "deploy" tag, so that it runs
wherever Django runs its checks: `check` (with or without --deploy), `runserver`, `migrate`
and every other management command that checks. gunicorn runs no checks of its own:
config/wsgi.py calls `refuse_to_serve()` before serving.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


@checks.register(checks.Tags.security)
def secret_key_of_its_own(app_configs, **kwargs):
    """With DEBUG off, SECRET_KEY must be set, and not to the demo's public key: whoever knows the
    key can forge sessions (log in as anyone) and password reset links."""
    if settings.DEBUG:
        return []
    key = settings.SECRET_KEY or ""
    if key and key != settings.DEMO_SECRET_KEY and not key.startswith("django-insecure"):
        return []
    return [checks.Error(
        _("DEBUG 已关闭，但 SECRET_KEY 未设置，正在使用公开的演示密钥：任何人都能伪造登录会话和重置密码链接。"),
        hint=_("请把环境变量 SECRET_KEY 设为只有本系统知道的长随机值（生成一次后保存，例如 "
               "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'）；本机演示请设置 DEBUG=1。"),
        id="access.E001",
    )]


def refuse_to_serve():
    """Raise ImproperlyConfigured with the messages of the failing security checks, if any (the
    WSGI entry point calls this, since gunicorn runs no system checks)."""
    serious = [found for found in checks.run_checks(tags=[checks.Tags.security]) if found.is_serious() and not found.is_silenced()]
    if serious:
        raise ImproperlyConfigured("\n".join(str(found) for found in serious))
