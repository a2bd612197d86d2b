"""The participating units of a campaign and what each does inside it.

Seeds: 003 (who takes part, unit types, levels, staggered start), 002 (study
records and opinions), 000 and 001 (meetings whose timing and preconditions the
campaign rules constrain).
"""

import re
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from access.policy import RestrictedQuerySet
from access.scope import scope_for
from core import clock
from core.dates import validate_not_in_future
from core.spreadsheet import FORMULA_PREFIXES
from core.validators import shown, validate_not_formula, validate_visible_text

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
LEVEL_LABELS = dict(Level.choices)


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
    # 004: the bodies provincial units report to "by Party-organisation affiliation" (按党组织隶属关系):
    # 省直机关工委, 省委教育工委, 省国资委党委. A unit names its body in Unit.party_affiliation.
    WORK_COMMITTEE = "work_committee", _("归口管理党（工）委")


TYPE_LABELS = dict(UnitType.choices)

# Units that are themselves a level of the territorial tree (003: 省、市、县、乡镇、村), with the
# levels each may stand at: a level's leading body (党委), and the townships, streets, villages and
# communities. Every other type (organs, directly affiliated units, enterprises, institutions,
# universities and schools, non-public and social organisations) belongs to a level's unit.
TERRITORIAL_LEVELS = {
    UnitType.PARTY_COMMITTEE.value: (Level.CENTRAL.value, Level.PROVINCE.value, Level.CITY.value, Level.COUNTY.value),
    UnitType.TOWNSHIP.value: (Level.TOWNSHIP.value,),
    UnitType.STREET.value: (Level.TOWNSHIP.value,),
    UnitType.VILLAGE.value: (Level.VILLAGE.value,),
    UnitType.COMMUNITY.value: (Level.VILLAGE.value,),
}


def place_in_tree_error(level, unit_type, parent):
    """Why a unit of `level` and `unit_type` cannot stand under `parent` (a Unit, or None for a top
    unit); None when it can. The one rule of the unit tree (003's levels and unit types), used by
    the model (Unit.clean, Unit.move_to), its forms, the admin and the import:

    1. A territorial type stands at its levels (TERRITORIAL_LEVELS): a 党委 from the centre down to
       the county, townships and streets at the township level, villages and communities at the
       village level.
    2. A territorial unit stands directly under the territorial unit one level up: a city under
       its province, a street under its county, a village under its township. No level is
       skipped (no village directly under the province) and none is above its parent.
    3. Every other unit stands at its parent's level: a provincial department under the province
       (or under another provincial unit, such as a university under the education department),
       a county's school under the county. So a "province-level" school under a street is refused,
       and a county-level unit under a provincial department must hang from its county instead.

    A top unit (no parent) is only held to rule 1.
    """
    if level not in LEVEL_LABELS or unit_type not in TYPE_LABELS:
        return None  # the field itself is reported as invalid
    allowed = TERRITORIAL_LEVELS.get(unit_type)
    if allowed is not None and level not in allowed:
        return _("“%(type)s”只能是%(levels)s一级的单位，不能是%(level)s一级。") % {
            **_place_labels(level, unit_type), "levels": "、".join(str(LEVEL_LABELS[value]) for value in allowed)}
    if parent is None:
        return None
    if allowed is not None:
        index = LEVEL_ORDER.index(level)
        if index == 0:
            return _("%(level)s一级的单位不能隶属于其他单位。") % _place_labels(level, unit_type, parent)
        expected = LEVEL_ORDER[index - 1]
        if parent.level != expected or parent.unit_type not in TERRITORIAL_LEVELS:
            return _(
                "%(level)s一级的“%(type)s”应直接隶属于%(expected)s一级的党委或乡镇、街道，"
                "而“%(parent)s”是%(parent_level)s一级的“%(parent_type)s”。"
            ) % {**_place_labels(level, unit_type, parent), "expected": LEVEL_LABELS[expected]}
    elif parent.level != level:
        return _(
            "“%(type)s”应与上级单位同一层级：“%(parent)s”是%(parent_level)s一级，本单位填的是%(level)s一级。"
        ) % _place_labels(level, unit_type, parent)
    return None


def _place_labels(level, unit_type, parent=None):
    """The words of a place_in_tree_error message (built only when there is one)."""
    labels = {"level": LEVEL_LABELS[level], "type": TYPE_LABELS[unit_type]}
    if parent is not None:
        labels.update(parent=parent.name, parent_level=LEVEL_LABELS.get(parent.level, ""),
                      parent_type=TYPE_LABELS.get(parent.unit_type, ""))
    return labels


def validate_unit_code(value):
    """A unit code is one visible line of the configured shape (settings.UNIT_CODE_PATTERN: by
    default letters and digits, in parts joined by hyphens, as 330106 or 330000-01): no commas,
    spaces, formula signs or hidden characters, so that it reads the same in every list and file."""
    validate_visible_text(value)
    if not re.fullmatch(settings.UNIT_CODE_PATTERN, value):
        raise ValidationError(
            _("单位代码“%(code)s”格式不正确：%(rule)s。"), code="code_shape",
            params={"code": shown(value), "rule": settings.UNIT_CODE_RULE},
        )


def validate_unit_name(value):
    """A unit's name or short name: one visible line that no spreadsheet runs as a formula."""
    validate_visible_text(value)
    validate_not_formula(value)


def _not_formula(field):
    """The rows whose `field` does not start like a spreadsheet formula (core.spreadsheet)."""
    condition = Q()
    for prefix in FORMULA_PREFIXES:
        condition &= ~Q(**{f"{field}__startswith": prefix})
    return condition


def party_affiliation_error(unit, body):
    """Why `unit` cannot belong to `body` by Party-organisation affiliation (党组织隶属关系, 004);
    None when it can (or when no body is named). The one rule, used by the model (Unit.clean),
    its forms, the admin, the import and units.actions.set_party_affiliation:

    1. the body is a unit of the type “归口管理党（工）委” (UnitType.WORK_COMMITTEE), and active;
    2. it is not the unit itself;
    3. it serves the unit's own level of the unit's own territory: the body stands at the unit's
       level, and the unit lies in the subtree of the body's parent (省直机关工委 under the
       province serves the provincial units, not a city's).

    `unit` may be new (no path yet): its parent then says where it will stand (a parent new in
    the same import file has no path before it is written: the territory is checked then).
    """
    if body is None:
        return None
    if unit.pk is not None and body.pk == unit.pk:
        return _("单位不能隶属于它自己。")
    if body.unit_type != UnitType.WORK_COMMITTEE:
        return _("“%(body)s”不是归口管理党（工）委，不能作为党组织隶属单位。") % {"body": body.name}
    if not body.is_active:
        return _("“%(body)s”已撤销，不能作为党组织隶属单位。") % {"body": body.name}
    where = unit.path or (unit.parent.path if unit.parent is not None else "")
    territory = body.path[:-PATH_SEGMENT]
    if body.level != unit.level or (where and not where.startswith(territory)):
        return _("“%(body)s”只管理与它同级、同一地区的单位，不能作为本单位的党组织隶属单位。") % {"body": body.name}
    return None


PATH_MAX_LENGTH = 255
# Every path below P lies between P and P followed by the alphabet's last character as often as a
# path can be long: a range the path's btree index answers, where a LIKE with a pattern read from
# another row (an outer query's unit) is a scan of every unit for every outer row.
_BELOW_EVERY_SUBTREE = PATH_ALPHABET[-1] * PATH_MAX_LENGTH


def in_subtree(root_path, prefix=""):
    """The condition "the unit at `prefix` (``""``, ``"unit__"`` ...) is `root_path` or below it": the
    one definition of a subtree. `root_path` is a path, or an expression such as
    OuterRef("unit__path") (each outer row's own subtree, compared as an indexed range)."""
    if isinstance(root_path, str):
        return Q(**{f"{prefix}path__startswith": root_path})
    upper = Concat(root_path, Value(_BELOW_EVERY_SUBTREE), output_field=models.CharField())
    return Q(**{f"{prefix}path__gte": root_path, f"{prefix}path__lte": upper})


class UnitQuerySet(RestrictedQuerySet):
    def subtree(self, unit, include_self=True):
        """All units under `unit` (a unit, or an expression for its path: see in_subtree), on the
        indexed path."""
        qs = self.filter(in_subtree(getattr(unit, "path", unit)))
        return qs if include_self else qs.exclude(pk=unit.pk)

    def active(self):
        return self.filter(is_active=True)

    def search(self, text):
        """The units whose name, short name or code contains `text` (any case): the one unit search
        of the list, the tree and the API. Blank text narrows nothing; text with a NUL character
        finds nothing (no column can hold one, and PostgreSQL refuses it in a query).

        On PostgreSQL each `UPPER(column) LIKE UPPER('%text%')` is answered from a pg_trgm GIN index
        on the same expression (migration 0012, TRIGRAM_INDEXES), so a search over a province's
        50,000 units reads the matching rows only; text shorter than three characters has no
        trigram to look up, and PostgreSQL then reads the table (about 10 ms at that size)."""
        text = (text or "").strip()
        if not text:
            return self
        if "\x00" in text:
            return self.none()
        return self.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__icontains=text))

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

    code = models.CharField(_("单位代码"), max_length=32, unique=True, validators=[validate_unit_code])
    name = models.CharField(_("单位名称"), max_length=200, validators=[validate_unit_name])
    short_name = models.CharField(_("简称"), max_length=60, blank=True, validators=[validate_unit_name])
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("路径"), max_length=PATH_MAX_LENGTH, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级深度"), default=0, editable=False)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    unit_type = models.CharField(_("单位类型"), max_length=16, choices=UnitType.choices)
    is_window_unit = models.BooleanField(_("执法监管部门和窗口单位、服务行业"), default=False)
    is_contact_point = models.BooleanField(_("联系点"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)
    # 004: 省直各单位情况按党组织隶属关系同时分别报省直机关工委、省委教育工委、省国资委党委.
    party_affiliation = models.ForeignKey(
        "self", verbose_name=_("党组织隶属"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="affiliated_units",
        help_text=_("本单位党组织归口管理的党（工）委，如省直机关工委、省委教育工委、省国资委党委。"),
    )
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
        # The rules of one row the database holds on its own (the code's shape is a setting, and
        # the place in the tree needs the parent: validate_unit_code and place_in_tree_error).
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=Level.values) & Q(unit_type__in=UnitType.values),
                name="unit_level_and_type_known",
                violation_error_message=_("层级或单位类型不在可选范围内。"),
            ),
            models.CheckConstraint(
                condition=~Q(unit_type__in=list(TERRITORIAL_LEVELS)) | Q(*[
                    Q(unit_type=unit_type, level__in=list(levels)) for unit_type, levels in TERRITORIAL_LEVELS.items()
                ], _connector=Q.OR),
                name="unit_type_fits_level",
                violation_error_message=_("党委只能是县级及以上单位，乡镇、街道只能是乡镇一级，村、社区只能是村一级。"),
            ),
            models.CheckConstraint(
                condition=~Q(code="") & ~Q(name=""),
                name="unit_code_and_name_given",
                violation_error_message=_("单位代码和单位名称不能为空。"),
            ),
            # Names are held to the same by validation (validate_unit_name) but not here: a name
            # stored before the rule, or by a script, stays readable, and every export writes
            # such text inert (core.spreadsheet.escape_formula).
            models.CheckConstraint(
                condition=_not_formula("code"),
                name="unit_code_not_formula",
                violation_error_message=_("单位代码不能以公式符号（= + - @）开头。"),
            ),
            # The rest of the affiliation rule reads the body's row (party_affiliation_error).
            models.CheckConstraint(
                condition=Q(party_affiliation__isnull=True) | ~Q(party_affiliation=F("pk")),
                name="unit_not_affiliated_to_itself",
                violation_error_message=_("单位不能隶属于它自己。"),
            ),
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

    @classmethod
    def from_db(cls, db, field_names, values):
        unit = super().from_db(db, field_names, values)
        # The level and type as stored, so that clean() re-checks the children only when they change.
        unit._stored_place = (unit.__dict__.get("level"), unit.__dict__.get("unit_type"))
        unit._stored_affiliation = unit.__dict__.get("party_affiliation_id")
        return unit

    def clean(self):
        """The unit's place in the tree (place_in_tree_error), under its parent and over its
        children when its level or type changes; errors go to the level, the field to change.
        Then its Party-organisation affiliation (party_affiliation_error) when it is set or the place
        changes, and, for a body that stops being one, the units still affiliated to it."""
        if self.parent_id and self.pk and self.parent.is_within(self):
            raise ValidationError({"parent": _("不能把单位移到它自己或它的下级单位之下。")})
        problem = place_in_tree_error(self.level, self.unit_type, self.parent)
        place_changed = self.pk and getattr(self, "_stored_place", None) not in (None, (self.level, self.unit_type))
        if problem is None and place_changed:
            problem = self.children_place_error()
        if problem:
            raise ValidationError({"level": problem})
        # Held when it is set or the unit's place changes: a body deactivated since does not block
        # other edits of its units (nor the import of their other columns).
        affiliation_changed = self.party_affiliation_id != getattr(self, "_stored_affiliation", None)
        if self.party_affiliation_id and (affiliation_changed or place_changed or not self.pk):
            problem = party_affiliation_error(self, self.party_affiliation)
            if problem:
                raise ValidationError({"party_affiliation": problem})
        if place_changed and self._stored_place[1] == UnitType.WORK_COMMITTEE:
            problem = self.affiliated_units_error()
            if problem:
                raise ValidationError({"unit_type": problem})

    def affiliated_units_error(self):
        """Why this body may not stop being one as it is now (its level or type changed): the
        units whose affiliation would no longer fit (one query)."""
        affiliated = Unit.objects.filter(party_affiliation_id=self.pk)
        if self.unit_type == UnitType.WORK_COMMITTEE:
            affiliated = affiliated.exclude(level=self.level)
        count = affiliated.count()
        if count:
            return _("仍有 %(count)s 个单位的党组织隶属于本单位，请先修改它们的党组织隶属。") % {"count": count}
        return None

    def children_place_error(self):
        """The first child that would no longer fit under this unit as it is now (one query)."""
        kinds = (
            Unit.objects.filter(parent_id=self.pk).order_by().values("level", "unit_type").annotate(name=models.Min("name"))
        )
        for kind in kinds:
            problem = place_in_tree_error(kind["level"], kind["unit_type"], self)
            if problem:
                return _("下级单位“%(child)s”将不符合层级规则：%(problem)s") % {"child": kind["name"], "problem": problem}
        return None

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
        problem = place_in_tree_error(self.level, self.unit_type, new_parent)
        if problem:
            raise ValidationError(problem)
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

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="study_records")
    kind = models.CharField(_("形式"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("日期"), validators=[validate_not_in_future])
    # Half days count (002: 集中学习时间一般5天左右); one record is at most a month of study.
    days = models.DecimalField(_("天数"), max_digits=4, decimal_places=1, default=1,
                               validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("31"))])
    topic = models.CharField(_("主题"), max_length=200)
    speaker = models.CharField(_("主讲人"), max_length=100, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), default=0, validators=[MaxValueValidator(1_000_000)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "kind"], name="study_unit_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.topic}"

    def get_absolute_url(self):
        return reverse("units:study", args=[self.unit_id]) + f"#study-record-{self.pk}"


class FourWinds(models.TextChoices):
    """The "four winds" (四风) every opinion and rectification item is tagged to (000, 003)."""

    FORMALISM = "formalism", _("形式主义")
    BUREAUCRATISM = "bureaucratism", _("官僚主义")
    HEDONISM = "hedonism", _("享乐主义")
    EXTRAVAGANCE = "extravagance", _("奢靡之风")


class Opinion(models.Model):
    """A mass opinion (群众意见) of 002: collected together, then claimed by the unit concerned.

    002: “市、县机关到基层听取意见可以‘下去一把抓、回来再分家’，涉及哪个单位的意见，哪个单位要主动认领。”
    An office or a supervision group member records it (`recorded_by`; `collected_by` the collecting
    office's unit, none for a group), suggesting the unit it concerns (`concerned_unit`); that unit
    (its liaison or its office) claims it (`claimed_by`) and answers with what was done (`answer`).
    The rules are units.rules.OPINION, the changes units.opinions.
    """

    class Channel(models.TextChoices):
        FACE_TO_FACE = "face", _("面对面")
        BACK_TO_BACK = "back", _("背靠背")
        LETTER_VISIT = "letter", _("来信来访")
        ONLINE = "online", _("网络")

    collected_by = models.ForeignKey(
        Unit, verbose_name=_("收集单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="collected_opinions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="recorded_opinions",
    )
    concerned_unit = models.ForeignKey(
        Unit, verbose_name=_("涉及单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="concerning_opinions"
    )
    claimed_by = models.ForeignKey(
        Unit, verbose_name=_("认领单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="claimed_opinions"
    )
    text = models.TextField(_("意见内容"), max_length=4000)
    source = models.CharField(_("意见来源"), max_length=200, blank=True,
                              help_text=_("提出意见的群众或场合，如“北山街道居民座谈会”。"))
    channel = models.CharField(_("听取方式"), max_length=16, choices=Channel.choices)
    four_winds = models.CharField(_("四风归类"), max_length=16, choices=FourWinds.choices, blank=True)
    collected_on = models.DateField(_("收集日期"), validators=[validate_not_in_future])
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    answer = models.TextField(_("办理情况"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="answered_opinions",
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-collected_on", "-pk"]
        indexes = [
            models.Index(fields=["collected_by", "claimed_by"], name="opinion_collected_claimed_idx"),
            models.Index(fields=["claimed_by", "four_winds"], name="opinion_claimed_winds_idx"),
            models.Index(fields=["concerned_unit", "claimed_by"], name="opinion_concerned_claimed_idx"),
        ]
        constraints = [
            # Answered only once claimed (units.opinions.answer_opinion).
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(claimed_by__isnull=False),
                name="opinion_answered_only_when_claimed",
                violation_error_message=_("意见认领后才能答复。"),
            ),
        ]

    def __str__(self):
        return self.text[:40]

    def get_absolute_url(self):
        return reverse("units:opinion", args=[self.pk])

    @property
    def is_answered(self):
        return self.answered_at is not None


class UnitImport(models.Model):
    """An uploaded file of units on its way (units.actions): checked, with a preview of every
    change, then confirmed by the person who uploaded it and written, all or nothing; or refused
    with a message per row; or left unconfirmed and deleted after UNIT_IMPORT_KEEP_HOURS.

    Each step (checking, writing) is claimed by one process with a guarded update of `claimed_at`,
    so a redelivered task or a second click never runs it twice; large files run their steps in
    the worker (units.tasks) while the page shows their progress. `queued_at` says when the step
    was last handed over: a step nobody claimed since (its message lost, or the broker down when
    it was sent) is queued again by beat (units.tasks.resume_unit_imports).
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("正在检查")
        CHECKED = "checked", _("待确认")
        REFUSED = "refused", _("未通过检查")
        IMPORTING = "importing", _("正在导入")
        DONE = "done", _("已导入")
        FAILED = "failed", _("导入失败")
        EXPIRED = "expired", _("已过期")

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.CASCADE, related_name="unit_imports"
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(_("存储文件名"), max_length=64, unique=True, editable=False)
    language = models.CharField(_("界面语言"), max_length=16, blank=True, editable=False)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.CHECKING)
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("开始处理时间"), null=True, blank=True)
    processed = models.PositiveIntegerField(_("已处理行数"), default=0)
    preview = models.JSONField(_("变更预览"), default=dict, blank=True)
    errors = models.JSONField(_("问题"), default=list, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    created_at = models.DateTimeField(_("上传时间"), default=clock.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位导入")
        verbose_name_plural = _("单位导入")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="unit_import_status_idx")]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("units:import_job", args=[self.pk])

    @property
    def is_running(self):
        return self.status in self.RUNNING
