"""The top bar of the role with the most links (an office's staff member who is also a liaison
and a supervision group member) fits a 1366 px desktop in Chinese and in English: the areas that
grow (study and opinions, the registry's management) sit in dropdowns, and what still does not
fit wraps onto a second row."""

import pytest

from supervision.models import GroupMember
from tests.conftest import login
from units.models import UnitMembership

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_busiest_top_bar_fits_a_desktop(world, browser_page, live_server, language):
    user = world.office_province
    UnitMembership.objects.create(user=user, unit=world.organ, role=UnitMembership.Role.LIAISON)
    GroupMember.objects.create(group=world.group, user=user)
    user.language = language
    user.save(update_fields=["language"])
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, live_server, user.username)
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Every link of the bar is on the screen (they wrap onto a second row rather than run off it).
    assert page.evaluate("""[...document.querySelectorAll('.app-navbar .nav-link')]
        .every(link => link.getBoundingClientRect().right <= window.innerWidth)""")
    page.click("#app-nav-manage")
    assert page.is_visible("a.dropdown-item[href='/units/']")
