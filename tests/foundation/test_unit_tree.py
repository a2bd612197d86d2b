import pytest
from django.core.exceptions import ValidationError

from units.models import Level, Unit, UnitType


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_subtree_is_one_prefix_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = names(Unit.objects.subtree(world.hangzhou))
    assert result == ["北山街道", "杭州市", "西湖区"]


def test_subtree_query_uses_the_path_index(world):
    sql = str(Unit.objects.subtree(world.province).query)
    assert "path" in sql and "LIKE" in sql.upper()


def test_ancestors_from_root_down(world):
    assert list(world.street.ancestors().values_list("name", flat=True)) == ["中央", "浙江省", "杭州市", "西湖区"]


def test_moving_a_unit_moves_its_whole_subtree(world):
    world.xihu.move_to(world.ningbo)
    world.street.refresh_from_db()
    assert world.street.path.startswith(world.ningbo.path)
    assert world.street.depth == 4
    assert names(Unit.objects.subtree(world.ningbo)) == ["北仑区", "北山街道", "宁波市", "西湖区"]
    assert names(Unit.objects.subtree(world.hangzhou)) == ["杭州市"]


def test_a_unit_cannot_move_under_itself(world):
    with pytest.raises(ValidationError):
        world.hangzhou.move_to(world.street)


def test_new_children_get_increasing_paths(world):
    a = Unit.objects.create(code="330107", name="上城区", parent=world.hangzhou, level=Level.COUNTY, unit_type=UnitType.PARTY_COMMITTEE)
    b = Unit.objects.create(code="330108", name="滨江区", parent=world.hangzhou, level=Level.COUNTY, unit_type=UnitType.PARTY_COMMITTEE)
    assert a.path.startswith(world.hangzhou.path) and b.path > a.path > world.xihu.path
