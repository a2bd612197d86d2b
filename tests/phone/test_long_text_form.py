"""An over-long 说明 on the submit form is refused with the field's own message, and the text
box says its limit (maxlength from the form field), so a phone user knows why (issue 14)."""

import re

from django.urls import reverse

from campaign.forms_work import SubmitForm
from campaign.models import Submission


def test_an_over_long_text_is_refused_with_its_message_and_the_box_carries_the_limit(world, client):
    limit = SubmitForm.base_fields["text"].max_length
    client.force_login(world.liaison_organ)
    page = client.get(reverse("campaign:obligation", kwargs={"obligation_id": world.obligation_organ.pk}))
    assert re.search(rf'<textarea[^>]*name="text"[^>]*maxlength="{limit}"', page.content.decode())

    response = client.post(reverse("campaign:obligation_submit", kwargs={"obligation_id": world.obligation_organ.pk}),
                           {"text": "长" * (limit + 1)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "报送未成功" in html
    error = re.search(r'data-testid="text-error">([^<]*)<', html)
    assert error and str(limit) in error.group(1)
    assert not Submission.objects.exists()
