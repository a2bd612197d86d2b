"""002's study thresholds for the `world` campaign, and a village under 西湖区's street."""

import pytest


@pytest.fixture
def thresholds(world):
    from campaign.study import seed_thresholds_of_002

    seed_thresholds_of_002(world.campaign)
    return list(world.campaign.study_thresholds.all())


@pytest.fixture
def village(world):
    from tests.conftest import make_unit, make_user
    from units.models import Level, UnitMembership, UnitType

    unit = make_unit(code="330106001001", name="北山社区", parent=world.street, level=Level.VILLAGE,
                     unit_type=UnitType.COMMUNITY)
    world.liaison_village = make_user("liaison_bs_community")
    UnitMembership.objects.create(user=world.liaison_village, unit=unit, role=UnitMembership.Role.LIAISON)
    return unit
