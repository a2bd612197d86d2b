"""Tokens: a person's key to the API or to their calendar feed, revocable, with its last use.

The token itself is shown once, when it is made; only its SHA-256 is kept, beside a short
public prefix that names it in lists and finds its row. A service token belongs to a service
account of its own, which holds an office role at one unit: the API then sees that subtree
through the same role tables as a person would (access.scope), and no second permission system
exists.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.policy import RestrictedQuerySet
from core import clock

TOKEN_START = "cwt"


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token_text():
    """(prefix, token): 8 hex characters that name the token, and the token people paste."""
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_START}_{prefix}_{secrets.token_urlsafe(32)}"


def prefix_of(token):
    parts = (token or "").split("_", 2)  # the secret itself may hold "_"
    if len(parts) != 3 or parts[0] != TOKEN_START or len(parts[1]) != 8:
        return None
    return parts[1]


class ApiTokenQuerySet(RestrictedQuerySet):
    def in_force(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def matching(self, token, purpose):
        """The token in force whose text is `token`, for `purpose`; None when there is none."""
        prefix = prefix_of(token)
        if prefix is None:
            return None
        found = self.in_force().filter(prefix=prefix, purpose=purpose).select_related("user").first()
        if found is None or not hmac.compare_digest(found.secret_hash, digest(token)):
            return None
        return found


class ApiToken(models.Model):
    class Purpose(models.TextChoices):
        API = "api", _("数据接口")
        CALENDAR = "calendar", _("日历订阅")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("使用人"))
    name = models.CharField(_("名称"), max_length=100)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices, default=Purpose.API)
    prefix = models.CharField(_("令牌编号"), max_length=8, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    # A service token: made by an office for a system (an OA link), acting for this unit's subtree.
    service_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="service_tokens", verbose_name=_("服务范围"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), default=clock.now, editable=False)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="api_token_has_a_name",
                violation_error_message=_("请为令牌起一个名称，便于日后识别和撤销。"),
            ),
            models.CheckConstraint(
                condition=models.Q(service_unit__isnull=True) | models.Q(purpose="api"),
                name="api_service_token_is_for_the_api",
                violation_error_message=_("服务令牌只能用于数据接口。"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.prefix}）"

    def get_absolute_url(self):
        """The token's row on the token pages (接口令牌)."""
        return f"{reverse('tokens:list')}#token-{self.pk}"

    @property
    def in_force(self):
        return self.revoked_at is None

    @property
    def channel(self):
        """How the audit trail names writes made with this token."""
        return _("接口令牌“%(name)s”") % {"name": self.name}
