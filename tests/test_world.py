def test_world_fixture_builds_the_tree_and_fans_out(world):
    # Batch-1 units inside the province: the province itself and its two organs.
    assert set(world.requirement.obligations.values_list("unit__name", flat=True)) == {"浙江省", "省发展改革委", "省教育厅"}
