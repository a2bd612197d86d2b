"""Ids read from a query are decimal digits that int() accepts: '²' passed str.isdigit() and made
int() raise (a 500); Arabic-Indic digits are read as the number they are."""

import pytest
from django.urls import reverse

ODD_DIGITS = ["²", "³²", "١", "٢٣", "①", "Ⅻ"]


@pytest.mark.parametrize("value", ODD_DIGITS)
def test_pages_reading_an_id_from_the_query_never_fail(client, world, value):
    client.force_login(world.office_province)
    for url in (
        reverse("units:list") + f"?parent={value}",
        reverse("campaign:dashboard") + f"?unit={value}",
        reverse("campaign:participants") + f"?campaign={value}&batch={value}",
        reverse("personnel:create") + f"?unit={value}&group={value}",
    ):
        assert client.get(url).status_code in (200, 302, 404), url
