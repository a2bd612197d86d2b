"""Large units imports: a fixed number of queries whatever the number of rows, correct paths,
obligations fanned out to the new units that match existing requirements, all or nothing."""

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from campaign.actions import fan_out
from campaign.models import Obligation, Requirement
from units.actions import import_units
from units.models import PATH_SEGMENT, Unit
from units.resources import HEADERS

pytestmark = pytest.mark.django_db
COLUMNS = list(HEADERS.values())


def write_file(tmp_path, rows):
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in rows:
        dataset.append(row)
    path = tmp_path / "units.csv"
    path.write_text(dataset.export("csv"), encoding="utf-8")
    return path


def tree_rows(towns, villages):
    """Townships under Xihu and villages under each, parents before children."""
    rows = []
    for t in range(towns):
        town = f"T{t:03d}"
        rows.append([town, f"镇{t}", "", "330106", "乡镇、街道", "乡镇", "否", "否", "是"])
        for v in range(villages):
            rows.append([f"{town}V{v:03d}", f"村{t}-{v}", "", town, "村、社区", "村", "否", "否", "是"])
    return rows


@pytest.fixture
def village_requirement(world):
    """An existing requirement binding the province's villages: new villages join it."""
    requirement = Requirement(directive=world.zj_48, title="村级实施方案", scope_unit=world.province, submit_to=world.province,
                              target_levels=["village"], deadline_text="2014年3月1日前")
    requirement.resolve_deadline()
    requirement.save()
    fan_out(requirement, actor=None)
    return requirement


@pytest.mark.parametrize("towns, villages", [(2, 3), (10, 30)])
def test_import_costs_a_fixed_number_of_queries(world, tmp_path, village_requirement, towns, villages):
    path = write_file(tmp_path, tree_rows(towns, villages))
    before = Unit.objects.count()
    with CaptureQueriesContext(connection) as preview:
        errors = import_units(path, actor=world.office_province, dry_run=True).errors
    assert errors == []
    assert Unit.objects.count() == before
    with CaptureQueriesContext(connection) as write:
        outcome = import_units(path, actor=world.office_province, dry_run=False)
    assert outcome.errors == [] and outcome.new == towns * (villages + 1)
    # No query (nor savepoint) per row: the same bounds for 9 rows and for 310 (SQLite splits a
    # bulk insert into statements of about 76 units, hence the margin of the writing pass).
    assert len(preview) <= 12, [q["sql"][:90] for q in preview.captured_queries]
    # Two more for the news of the new obligations (notifications.signals: their units and liaisons).
    assert len(write) <= 37, [q["sql"][:90] for q in write.captured_queries]
    assert Unit.objects.count() == before + towns * (villages + 1)


def test_bulk_written_tree_has_consistent_paths_and_fans_out(world, tmp_path, village_requirement):
    path = write_file(tmp_path, tree_rows(3, 4))
    errors = import_units(path, actor=world.office_province, dry_run=False).errors
    assert errors == []
    towns = list(Unit.objects.filter(code__regex=r"^T\d{3}$").order_by("code"))
    assert len(towns) == 3
    paths = set()
    for town in towns:
        assert town.parent == world.xihu and town.path.startswith(world.xihu.path)
        assert len(town.path) == len(world.xihu.path) + PATH_SEGMENT and town.depth == world.xihu.depth + 1
        villages = list(Unit.objects.filter(code__startswith=f"{town.code}V"))
        assert len(villages) == 4
        for village in villages:
            assert village.parent_id == town.pk
            assert village.path.startswith(town.path) and village.depth == town.depth + 1
            paths.add(village.path)
        paths.add(town.path)
    assert len(paths) == 15
    # Subtree queries see the new units under Xihu (materialized paths are right).
    assert Unit.objects.subtree(world.xihu).filter(code__startswith="T").count() == 15
    # The 12 new villages get the village requirement (rule 2); the townships do not.
    added = Obligation.objects.filter(requirement=village_requirement, unit__code__startswith="T")
    assert added.count() == 12
    assert set(added.values_list("unit__level", flat=True)) == {"village"}
    assert not Obligation.objects.filter(requirement=world.requirement, unit__code__startswith="T").exists()
    entries = AuditEntry.objects.filter(action="obligations_issued", batch_key__in=added.values("issue_batch"))
    assert sum(entries.values_list("count", flat=True)) == 12
    # The obligations the import gave the new units were given by the person who imported them.
    assert set(entries.values_list("actor", flat=True)) == {world.office_province.pk}
    # The new units can have children through the ordinary path (next child after the imported ones).
    from units.models import Level, UnitType

    later = Unit.objects.create(code="T000X", name="新村", parent=towns[0], level=Level.VILLAGE, unit_type=UnitType.VILLAGE)
    assert later.path not in paths and later.path.startswith(towns[0].path)


def test_a_bad_row_anywhere_writes_nothing(world, tmp_path, village_requirement):
    rows = tree_rows(3, 4)
    rows.append(["T999V000", "孤村", "", "T999", "村、社区", "村", "否", "否", "是"])  # unknown parent
    path = write_file(tmp_path, rows)
    obligations = Obligation.objects.count()
    errors = import_units(path, actor=world.office_province, dry_run=False).errors
    assert [number for number, _messages in errors] == [len(rows) + 1]
    assert not Unit.objects.filter(code__startswith="T").exists()
    assert Obligation.objects.count() == obligations


def test_existing_units_are_updated_in_the_same_file(world, tmp_path):
    rows = [["330106001", "北山街道（新名）", "", "330106", "乡镇、街道", "街道", "否", "是", "是"],
            ["330106009", "新街道", "", "330106", "乡镇、街道", "街道", "否", "否", "是"]]
    errors = import_units(write_file(tmp_path, rows), actor=world.office_province, dry_run=False).errors
    assert errors == []
    world.street.refresh_from_db()
    assert (world.street.name, world.street.is_contact_point) == ("北山街道（新名）", True)
    assert Unit.objects.get(code="330106009").parent == world.xihu
    # Every change is in the trail, with who and the file as the reason.
    renamed = AuditEntry.objects.for_object(world.street).get(action="import")
    assert renamed.actor == world.office_province and "units.csv" in renamed.reason
    assert renamed.changes["name"] == {"before": "北山街道", "after": "北山街道（新名）"}
    created = AuditEntry.objects.for_object(Unit.objects.get(code="330106009")).get(action="import")
    assert created.changes["name"] == {"before": None, "after": "新街道"}


def test_an_import_that_marks_a_unit_inactive_takes_its_subtree_with_a_reason(world, tmp_path):
    village = Unit.objects.create(code="330106001001", name="北山村", parent=world.street, level="village", unit_type="village")
    rows = [["330106001", "北山街道", "", "330106", "乡镇、街道", "街道", "否", "否", "否"]]
    errors = import_units(write_file(tmp_path, rows), actor=world.office_province, dry_run=False,
                          file_name="撤并名单.xlsx").errors
    assert errors == []
    village.refresh_from_db()
    world.street.refresh_from_db()
    assert not world.street.is_active and not village.is_active
    entry = AuditEntry.objects.for_object(village).get(action="deactivate")
    assert entry.reason == "单位导入：撤并名单.xlsx" and entry.actor == world.office_province
