"""The participating units of a campaign and what each does inside it.

Seeds: 003 (who takes part, unit types, levels, staggered start), 002 (study
records and opinions), 000 and 001 (meetings whose timing and preconditions the
campaign rules constrain).
"""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from access.policy import RestrictedQuerySet
from access.scope import scope_for

# Each level of the materialized path is a fixed-width segment, so that the
# subtree of X is exactly the rows whose path starts with X.path.
PATH_SEGMENT = 5
PATH_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def encode_segment(number):
    digits = []
    for _i in range(PATH_SEGMENT):
        number, rest = divmod(number, len(PATH_ALPHABET))
        digits.append(PATH_ALPHABET[rest])
    if number:
        raise ValueError("too many children under one unit")
    return "".join(reversed(digits))


class Level(models.TextChoices):
    """Administrative levels of 003: batch 2 ran in the province and everything below it."""

    CENTRAL = "central", _("中央")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（市、区）")
    TOWNSHIP = "township", _("乡镇、街道")
    VILLAGE = "village", _("村、社区")


LEVEL_ORDER = [choice.value for choice in Level]


class UnitType(models.TextChoices):
    """Kinds of participating unit named in 003's opening paragraph."""

    PARTY_COMMITTEE = "committee", _("党委（领导机关）")
    ORGAN = "organ", _("机关部门")
    AFFILIATED = "affiliated", _("直属单位")
    ENTERPRISE = "enterprise", _("国有企业")
    INSTITUTION = "institution", _("事业单位")
    UNIVERSITY = "university", _("高等学校")
    TOWNSHIP = "township", _("乡镇")
    STREET = "street", _("街道")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")
    NON_PUBLIC = "non_public", _("非公有制经济组织")
    SOCIAL = "social", _("社会组织")
    OTHER = "other", _("其他基层组织")


class UnitQuerySet(RestrictedQuerySet):
    def subtree(self, unit, include_self=True):
        """All units under `unit`: one prefix match on an indexed column."""
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def active(self):
        return self.filter(is_active=True)

    def office_roots(self, user):
        """The units whose leading-group office the user staffs (the tree's roots for a
        superuser): the tops of the subtrees the user manages."""
        scope = scope_for(user)
        return self.filter(parent__isnull=True) if scope.everything else self.filter(pk__in=scope.office_unit_ids)



class Unit(models.Model):
    """A participating unit (参加单位) in the campaign tree (003).

    The leading-group office of a unit is modelled by the unit itself: office
    staff attached to a unit manage its whole subtree.
    """

    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    name = models.CharField(_("单位名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级深度"), default=0, editable=False)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    unit_type = models.CharField(_("单位类型"), max_length=16, choices=UnitType.choices)
    is_window_unit = models.BooleanField(_("执法监管部门和窗口单位、服务行业"), default=False)
    is_contact_point = models.BooleanField(_("联系点"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs the pattern operator class.
            models.Index(fields=["path"], name="unit_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name"], name="unit_parent_name_idx"),
            models.Index(fields=["level", "unit_type"], name="unit_level_type_idx"),
        ]
        # The roles of UnitMembership as django-guardian names them (UnitPermission).
        permissions = [
            ("manage_subtree", _("管理本级及下级单位（领导小组办公室）")),
            ("act_for_unit", _("代表本单位报送（单位联络员）")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:detail", args=[self.pk])

    def ancestors(self):
        """Units above this one, from the root down (excluding itself)."""
        prefixes = [self.path[: i * PATH_SEGMENT] for i in range(1, self.depth + 1)]
        return Unit.objects.filter(path__in=prefixes).order_by("depth")

    def is_within(self, other):
        return self.path.startswith(other.path)

    def _next_child_path(self, parent):
        prefix = parent.path if parent else ""
        siblings = Unit.objects.filter(parent=parent) if parent else Unit.objects.filter(parent__isnull=True)
        last = siblings.order_by("-path").values_list("path", flat=True).first()
        number = int(last[-PATH_SEGMENT:], 36) + 1 if last else 0
        return prefix + encode_segment(number)

    def clean(self):
        if self.parent_id and self.pk and self.parent.is_within(self):
            raise ValidationError({"parent": _("不能把单位移到它自己或它的下级单位之下。")})

    def save(self, *args, **kwargs):
        if not self.path:
            self.path = self._next_child_path(self.parent)
            self.depth = len(self.path) // PATH_SEGMENT - 1
        super().save(*args, **kwargs)

    @transaction.atomic
    def move_to(self, new_parent):
        """Re-hang this unit and its subtree under `new_parent` in one UPDATE."""
        if new_parent is not None and new_parent.is_within(self):
            raise ValidationError(_("不能把单位移到它自己或它的下级单位之下。"))
        old_path = self.path
        new_path = self._next_child_path(new_parent)
        shift = (len(new_path) - len(old_path)) // PATH_SEGMENT
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1), output_field=models.CharField()),
            depth=F("depth") + shift,
        )
        Unit.objects.filter(pk=self.pk).update(parent=new_parent)
        self.refresh_from_db()
        return self


class UnitMembershipQuerySet(RestrictedQuerySet):
    """Who holds which role where (the one store of office and liaison roles, access.scope)."""

    def in_force(self):
        """Memberships that count: an active person at an active unit. The scope of a person
        (units.roles) and the reminders' recipients (notifications.sweep) both read these."""
        return self.filter(user__is_active=True, unit__is_active=True)

    def liaisons(self):
        return self.in_force().filter(role=UnitMembership.Role.LIAISON)

    def office_staff(self):
        return self.in_force().filter(role=UnitMembership.Role.OFFICE)


class UnitMembership(models.Model):
    """A person's role at a unit: leading-group office staff or liaison (DESIGN: who uses it)."""

    class Role(models.TextChoices):
        OFFICE = "office", _("领导小组办公室工作人员")
        LIAISON = "liaison", _("单位联络员")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位人员")
        verbose_name_plural = _("单位人员")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="unique_unit_membership",
                violation_error_message=_("此人已在该单位担任该角色。"),
            )
        ]
        indexes = [models.Index(fields=["unit", "role"], name="membership_unit_role_idx")]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


# The guardian permission each membership role grants on its unit.
ROLE_PERMISSIONS = {"office": "manage_subtree", "liaison": "act_for_unit"}


class UnitPermission(UserObjectPermissionBase):
    """UnitMembership as django-guardian reads it: one row per membership, the role as the
    permission (office → units.manage_subtree, liaison → units.act_for_unit) on the unit.

    A database view over the membership table (migration units 0002), not a copy: nothing
    can make guardian's answer differ from the memberships. Read-only; memberships are
    changed through UnitMembership.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    permission = models.ForeignKey(Permission, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    content_object = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="guardian_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        managed = False
        db_table = "units_unitpermission"
        verbose_name = _("单位人员权限")
        verbose_name_plural = _("单位人员权限")


class StudyRecord(models.Model):
    """Study activity (学习记录) of 002: concentrated study days, Party lectures, films, sessions."""

    class Kind(models.TextChoices):
        CONCENTRATED = "concentrated", _("集中学习")
        LECTURE = "lecture", _("党课")
        FILM = "film", _("专题教育片")
        DISCUSSION = "discussion", _("集中学习讨论")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="study_records")
    kind = models.CharField(_("形式"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("日期"))
    days = models.DecimalField(_("天数"), max_digits=4, decimal_places=1, default=1)
    topic = models.CharField(_("主题"), max_length=200)
    speaker = models.CharField(_("主讲人"), max_length=100, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["unit", "kind"], name="study_unit_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.topic}"


class FourWinds(models.TextChoices):
    """The "four winds" (四风) every opinion and rectification item is tagged to (000, 003)."""

    FORMALISM = "formalism", _("形式主义")
    BUREAUCRATISM = "bureaucratism", _("官僚主义")
    HEDONISM = "hedonism", _("享乐主义")
    EXTRAVAGANCE = "extravagance", _("奢靡之风")


class Opinion(models.Model):
    """A mass opinion (群众意见) of 002: collected together, then claimed by the unit concerned
    ("下去一把抓、回来再分家")."""

    class Channel(models.TextChoices):
        FACE_TO_FACE = "face", _("面对面")
        BACK_TO_BACK = "back", _("背靠背")
        LETTER_VISIT = "letter", _("来信来访")
        ONLINE = "online", _("网络")

    collected_by = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="collected_opinions")
    claimed_by = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="claimed_opinions"
    )
    text = models.TextField(_("意见内容"))
    channel = models.CharField(_("听取方式"), max_length=16, choices=Channel.choices)
    four_winds = models.CharField(_("四风归类"), max_length=16, choices=FourWinds.choices, blank=True)
    collected_on = models.DateField(_("收集日期"))
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-collected_on"]
        indexes = [
            models.Index(fields=["collected_by", "claimed_by"], name="opinion_collected_claimed_idx"),
            models.Index(fields=["claimed_by", "four_winds"], name="opinion_claimed_winds_idx"),
        ]

    def __str__(self):
        return self.text[:40]
