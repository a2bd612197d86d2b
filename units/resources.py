"""Units to and from .xlsx/.csv (django-import-export).

One resource serves the template and the import; the export of any filtered list writes the same
columns and values straight from the database (units.export: a background job, 50,000 units in seconds).
An import is validated row by row against an in-memory registry of the office's
units (no query per row): unknown parent, duplicate code, unknown level or type, and
units outside the office's subtree are each reported on their row. Nothing is written
unless every row is valid (units.actions.import_units). A unit's batch belongs to its
participation in a campaign and is set there (campaign.participation).

Writing: new units get their materialized paths in memory as their rows are read
(a parent always comes before its children in the file), and are inserted at the
end with one bulk INSERT per tree level, parents first, so that children get their
parents' keys; existing units (updates) are saved as their rows are read.
"""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from audit.services import diff, snapshot
from core.validators import shown
from units.models import PATH_SEGMENT, Level, Unit, UnitType, encode_segment

BULK_BATCH = 2000
# The columns an import may change, as the audit trail records them.
AUDITED_FIELDS = [
    "name", "short_name", "level", "unit_type", "is_window_unit", "is_contact_point", "is_active", "party_affiliation",
]
# Codes per lookup query (SQLite allows 32,766 parameters in one statement).
CODE_CHUNK = 5000
# The fields a row's values are held to by the model's own rules (Unit.clean_fields): lengths,
# choices, the code's shape, no hidden characters and no formulas. The others are not in the file.
FILE_FIELDS = {"code", "name", "short_name", "level", "unit_type", "is_window_unit", "is_contact_point", "is_active"}
# How many changes of each kind the preview lists (all are counted).
PREVIEW_LIMIT = 500
# Progress is reported every this many rows.
PROGRESS_EVERY = 500

HEADERS = {
    "code": "单位代码",
    "name": "单位名称",
    "short_name": "简称",
    "parent": "上级单位代码",
    "level": "层级",
    "unit_type": "单位类型",
    "is_window_unit": "窗口单位",
    "is_contact_point": "联系点",
    "is_active": "有效",
}
# 004: the body the unit's Party organisation belongs to (省直机关工委, 省委教育工委, 省国资委党委), by its
# code, name or short name. The last column, and optional: a file without it leaves every unit's
# affiliation as it is; an empty cell clears it.
PARTY_AFFILIATION_HEADER = "党组织隶属"
COLUMNS = {**HEADERS, "party_affiliation": PARTY_AFFILIATION_HEADER}


class LabelChoiceWidget(widgets.Widget):
    """A choice written as its Chinese label (or its code) in the file."""

    def __init__(self, choices, what):
        super().__init__()
        self.what = what
        self.by_text = {}
        for value, label in choices:
            self.by_text[str(value)] = value
            self.by_text[str(label)] = value
        self.labels = dict(choices)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if text not in self.by_text:
            raise ValueError(_("未知的%(what)s“%(value)s”") % {"what": self.what, "value": shown(text)})
        return self.by_text[text]

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value or ""))


class BooleanTextWidget(widgets.Widget):
    """是/否 in the file; empty means no."""

    TRUE = {"是", "1", "true", "True", "TRUE", "y", "yes", "√"}
    FALSE = {"否", "0", "false", "False", "FALSE", "n", "no", ""}

    def __init__(self, default=False):
        super().__init__()
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return self.default
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("应填写“是”或“否”，而不是“%(value)s”") % {"value": shown(text)})

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class RegistryWidget(widgets.Widget):
    """A foreign key written as a code or name and looked up in a dict built once per import."""

    def __init__(self, lookup, message):
        super().__init__()
        self.lookup, self.message = lookup, message

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        found = self.lookup(text)
        if found is None:
            raise ValueError(self.message % {"value": shown(text)})
        return found

    def render(self, value, obj=None, **kwargs):
        return ""


class UnitResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name=HEADERS["code"])
    name = fields.Field(attribute="name", column_name=HEADERS["name"])
    short_name = fields.Field(attribute="short_name", column_name=HEADERS["short_name"])
    parent = fields.Field(attribute="parent", column_name=HEADERS["parent"])
    level = fields.Field(attribute="level", column_name=HEADERS["level"], widget=LabelChoiceWidget(Level.choices, _("层级")))
    unit_type = fields.Field(
        attribute="unit_type", column_name=HEADERS["unit_type"], widget=LabelChoiceWidget(UnitType.choices, _("单位类型"))
    )
    is_window_unit = fields.Field(attribute="is_window_unit", column_name=HEADERS["is_window_unit"], widget=BooleanTextWidget())
    is_contact_point = fields.Field(
        attribute="is_contact_point", column_name=HEADERS["is_contact_point"], widget=BooleanTextWidget()
    )
    is_active = fields.Field(attribute="is_active", column_name=HEADERS["is_active"], widget=BooleanTextWidget(default=True))
    party_affiliation = fields.Field(attribute="party_affiliation", column_name=PARTY_AFFILIATION_HEADER)

    class Meta:
        model = Unit
        import_id_fields = ("code",)
        fields = tuple(COLUMNS)
        export_order = tuple(COLUMNS)
        skip_diff = True
        clean_model_instances = False

    def __init__(self, roots=None, write=False, progress=None):
        """`roots`: the units whose subtrees an import may touch (the office's); None for export only.

        `write`: False validates only; True also saves updates and collects the new units for
        create_new_units(). Either way, import_data() is meant to run with dry_run=False (a dry
        run would wrap every row in a savepoint of its own); a writing import runs inside the
        caller's transaction. `progress(rows done)` is called every PROGRESS_EVERY rows.
        """
        super().__init__()
        self.roots = roots or []
        self.write = write
        self.progress = progress
        self.rows_done = 0
        self.new_units = []  # in file order: parents before their children
        self.updated = []  # existing units the file changed, each with its _before_import snapshot
        self.deactivated = []  # existing units the file marks inactive
        # What the file changes, for the preview: counts and the first PREVIEW_LIMIT of each kind.
        self.preview = {"new": [], "changed": [], "deactivated": [], "new_count": 0, "changed_count": 0, "deactivated_count": 0}
        self.fields["parent"].widget = RegistryWidget(self._parent, _("未知的上级单位代码“%(value)s”"))
        self.fields["party_affiliation"].widget = RegistryWidget(
            self._body, _("未找到代码或名称为“%(value)s”的归口管理党（工）委")
        )
        self._registry = None
        self._bodies = None

    # --- export -------------------------------------------------------------------------

    def dehydrate_parent(self, unit):
        return unit.parent.code if unit.parent_id else ""

    def dehydrate_party_affiliation(self, unit):
        return unit.party_affiliation.name if unit.party_affiliation_id else ""

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("parent", "party_affiliation").order_by("path")

    # --- import registry ---------------------------------------------------------------

    @staticmethod
    def _cell_text(value):
        """A cell as before_import_row() turns it into text."""
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def _load(self, dataset=None):
        """What the rows are checked against, read once for the whole file (a few queries per
        5,000 codes, none per row): the units the file names (as units or parents) with their
        paths, whether each is inside the office's subtrees, the next child number of every
        existing parent it names."""
        if self._registry is not None:
            return self._registry

        named = set()
        if dataset is not None:
            for header in (HEADERS["code"], HEADERS["parent"]):
                if header in dataset.headers:
                    named.update(self._cell_text(value) for value in dataset.get_col(dataset.headers.index(header)))
        # Only what could be a stored code is looked up (and a NUL byte would not even reach PostgreSQL).
        max_length = Unit._meta.get_field("code").max_length
        named = {code for code in named if code and len(code) <= max_length and "\x00" not in code}
        roots = [root.path for root in self.roots]
        named = sorted(named)
        units, all_codes = {}, set()
        for start in range(0, len(named), CODE_CHUNK):
            for pk, code, path, level, unit_type, name in Unit.objects.filter(
                code__in=named[start : start + CODE_CHUNK]
            ).values_list("pk", "code", "path", "level", "unit_type", "name"):
                all_codes.add(code)
                if any(path.startswith(root) for root in roots):
                    units[code] = (pk, path, level, unit_type, name)
        next_child = {}
        if self.write:
            parents = sorted(found[0] for found in units.values())
            paths = {found[0]: found[1] for found in units.values()}
            for start in range(0, len(parents), CODE_CHUNK):
                for parent_id, last in (
                    Unit.objects.filter(parent_id__in=parents[start : start + CODE_CHUNK])
                    .values("parent_id").annotate(last=Max("path")).values_list("parent_id", "last").order_by()
                ):
                    next_child[paths[parent_id]] = int(last[-PATH_SEGMENT:], 36) + 1
        self._registry = {
            "units": units, "next_child": next_child, "new": {}, "seen": set(), "all_codes": all_codes,
        }
        return self._registry

    def _parent(self, code):
        registry = self._load()
        if code in registry["new"]:
            return registry["new"][code]
        if code in registry["units"]:
            pk, path, level, unit_type, name = registry["units"][code]
            return Unit(pk=pk, path=path, code=code, level=level, unit_type=unit_type, name=name)
        return None

    def _body(self, text):
        """The affiliation body a cell names by code, else by name or short name (every body is read
        once per import: there are a few per level); ValueError when a name fits several."""
        if self._bodies is None:
            self._bodies = {"code": {}, "name": {}}
            for body in Unit.objects.filter(unit_type=UnitType.WORK_COMMITTEE).only(
                "pk", "code", "name", "short_name", "path", "level", "unit_type", "is_active"
            ):
                self._bodies["code"][body.code] = body
                for name in {body.name, body.short_name} - {""}:
                    self._bodies["name"].setdefault(name, []).append(body)
        if text in self._bodies["code"]:
            return self._bodies["code"][text]
        found = self._bodies["name"].get(text, [])
        if len(found) > 1:
            raise ValueError(_("名称“%(value)s”对应多个归口管理党（工）委，请填写其单位代码") % {"value": shown(text)})
        return found[0] if found else None

    def before_import(self, dataset, **kwargs):
        missing = [HEADERS[name] for name in ("code", "name", "parent", "level", "unit_type") if HEADERS[name] not in dataset.headers]
        if missing:
            raise ValidationError(_("文件缺少列：%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)})
        self._load(dataset)

    def before_import_row(self, row, **kwargs):
        """Cells as trimmed text: spreadsheets turn codes into numbers and blanks into None."""
        for key, value in row.items():
            row[key] = self._cell_text(value)

    def get_import_fields(self):
        """The same fields for every row: computed once per import rather than twice per row."""
        fields = getattr(self, "_import_fields", None)
        if fields is None:
            fields = self._import_fields = super().get_import_fields()
        return fields

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        self.rows_done += 1
        if self.progress is not None and self.rows_done % PROGRESS_EVERY == 0:
            self.progress(self.rows_done)
        return result

    def save_m2m(self, instance, row, **kwargs):
        """Units have no many-to-many columns."""

    def get_instance(self, instance_loader, row):
        code = str(row.get(HEADERS["code"]) or "").strip()
        if code not in self._load()["units"]:
            return None
        unit = Unit.objects.select_related("parent", "party_affiliation").get(code=code)
        # What the unit was before the file changed it, for the audit trail (units.actions).
        unit._before_import = snapshot(unit, AUDITED_FIELDS)
        return unit

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Row rules: a code, once per file, not taken outside the office's units; the parent
        inside the office's subtree and unchanged for existing units (moving has its own page);
        then the model's own rules, without a query per row: each value (Unit.clean_fields:
        lengths, choices, the code's shape, no hidden characters, no formulas) and the unit's
        place in the tree (Unit.clean: units.models.place_in_tree_error)."""
        errors = dict(import_validation_errors or {})
        registry = self._load()
        code = (instance.code or "").strip()
        instance.code = code
        if not code:
            errors.setdefault("code", []).append(_("单位代码不能为空。"))
        elif code in registry["seen"]:
            errors.setdefault("code", []).append(_("单位代码“%(code)s”在文件中重复。") % {"code": shown(code)})
        elif instance.pk is None and code in registry["all_codes"]:
            errors.setdefault("code", []).append(_("单位代码“%(code)s”已被本单位管辖范围以外的单位使用。") % {"code": shown(code)})
        if not (instance.name or "").strip():
            errors.setdefault("name", []).append(_("单位名称不能为空。"))
        if "parent" not in errors:
            if instance.parent is None and instance.pk is None:
                errors.setdefault("parent", []).append(_("请填写上级单位代码。"))
            elif instance.pk is not None and instance.parent_id != getattr(instance._imported_parent, "pk", None):
                errors.setdefault("parent", []).append(_("已有单位的上级单位不能通过导入修改，请使用“移动”。"))
        unchecked = {field.name for field in Unit._meta.fields} - (FILE_FIELDS - set(errors))
        try:
            instance.clean_fields(exclude=unchecked)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if not {"parent", "level", "unit_type"} & set(errors):
            try:
                instance.clean()
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
        if code:
            registry["seen"].add(code)
        if errors:
            raise ValidationError(errors)
        if instance.pk is None:
            registry["new"][code] = instance
        self._note_for_preview(instance)

    def _note_for_preview(self, instance):
        """Count what the row changes and keep the first PREVIEW_LIMIT of each kind, as the audit
        trail would record them (audit.services.diff)."""
        preview = self.preview
        if instance.pk is None:
            preview["new_count"] += 1
            if len(preview["new"]) < PREVIEW_LIMIT:
                preview["new"].append({
                    "code": instance.code, "name": instance.name, "parent": instance.parent.code,
                    "parent_name": instance.parent.name, "level": instance.level, "unit_type": instance.unit_type,
                })
            return
        before = instance._before_import
        changes = diff({name: before[name] for name in before if name != "is_active"},
                       snapshot(instance, [name for name in before if name != "is_active"]))
        if changes:
            preview["changed_count"] += 1
            if len(preview["changed"]) < PREVIEW_LIMIT:
                preview["changed"].append({"code": instance.code, "name": before["name"], "changes": changes})
        if before.get("is_active") and not instance.is_active:
            preview["deactivated_count"] += 1
            if len(preview["deactivated"]) < PREVIEW_LIMIT:
                preview["deactivated"].append({"code": instance.code, "name": instance.name, "path": instance.path})

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "parent" and instance.pk is not None:
            # Keep the loaded parent for the comparison in validate_instance.
            instance._imported_parent = field.clean(row, **kwargs)
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run") or not self.write:
            return
        if not is_create:
            if instance._before_import.get("is_active") and not instance.is_active:
                # Deactivation takes the subtree with it, with a reason: units.actions does it.
                instance.is_active = True
                self.deactivated.append(instance)
            instance.save()
            self.updated.append(instance)
            return
        registry = self._load()
        parent = instance.parent
        number = registry["next_child"].get(parent.path, 0)
        registry["next_child"][parent.path] = number + 1
        instance.path = parent.path + encode_segment(number)
        instance.depth = len(instance.path) // PATH_SEGMENT - 1
        self.new_units.append(instance)

    def create_new_units(self):
        """Insert the collected new units, one level of the tree at a time (parents first, so
        that each child gets its parent's key); returns them with their keys."""
        by_depth = {}
        for unit in self.new_units:
            by_depth.setdefault(unit.depth, []).append(unit)
        for depth in sorted(by_depth):
            level = by_depth[depth]
            for unit in level:
                unit.parent = unit.parent  # the parent now has its key: keep the object, set the id
            Unit.objects.bulk_create(level, batch_size=BULK_BATCH)
            missing = [unit for unit in level if unit.pk is None]
            if missing:  # databases that do not return keys from a bulk insert
                keys = dict(Unit.objects.filter(code__in=[unit.code for unit in missing]).values_list("code", "pk"))
                for unit in missing:
                    unit.pk = keys[unit.code]
        created, self.new_units = self.new_units, []
        return created
