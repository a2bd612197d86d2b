"""The settings of the tracker before accounts existed (auth.User in auth_user), used by
test_user_model_migration to build a database at that state with the same migration files."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("accounts", "personnel")]  # noqa: F405
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("accounts.")]  # noqa: F405
AUTH_USER_MODEL = "auth.User"
AUTH_PASSWORD_VALIDATORS = []
