from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The people who sign in: the user model (full name, mobile phone, title, the forced
    password change), password change and reset. Just above core: it knows no domain app, and
    every app may point at its user. Who may create or deactivate an account is decided above
    units and supervision, in personnel."""

    # auth.User's key, so that the rows and every foreign key to them stay as they are.
    default_auto_field = "django.db.models.AutoField"
    name = "accounts"
    verbose_name = _("账号")
