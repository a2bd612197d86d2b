"""The user of the tracker: a login with a full name, a mobile phone and a title.

The table is Django's own auth_user (and auth_user_groups, auth_user_user_permissions), kept
under its name so that databases made before this model existed keep every row: see
accounts.adoption and migrations 0001-0004.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_mobile


class User(AbstractUser):
    # One name field, the way Chinese names are written (王晓明); people are named by it on
    # every page (core.people.person_name).
    first_name = None
    last_name = None
    full_name = models.CharField(_("姓名"), max_length=150, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[validate_mobile])
    title = models.CharField(_("职务"), max_length=100, blank=True)
    # Set when someone else chose the password (an office, an import, the demo in production):
    # every page leads to the password change until its owner picks one (accounts.middleware).
    must_change_password = models.BooleanField(_("须修改初始密码"), default=False)
    # Preferences (issue 13): the language pages and messages are shown in (empty: the site's), and
    # the channels, among those the deployment offers (NOTIFICATION_CHANNELS), this person turned
    # off; the notification centre cannot be turned off.
    language = models.CharField(_("界面语言"), max_length=10, choices=settings.LANGUAGES, blank=True, default="")
    quiet_channels = models.JSONField(_("不接收的渠道"), default=list, blank=True)

    class Meta(AbstractUser.Meta):
        db_table = "auth_user"
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def get_full_name(self):
        return self.full_name.strip()

    def get_short_name(self):
        return self.full_name.strip()
