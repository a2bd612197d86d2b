"""`Cache-Control: private, no-store` on everything a signed-in user gets: pages, fragments and
file downloads, so that nothing stays in a shared proxy or an office computer's cache."""

from django.urls import reverse

from campaign import workflow
from campaign.models import SubmissionFile
from tests.exports import export
from tests.workspace.workspace_helpers import PDF, upload


def assert_private(response):
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]
    assert "public" not in directives


def test_pages_and_fragments_of_a_signed_in_user_are_private(world, client):
    client.force_login(world.office_province)
    for url in (reverse("home"), reverse("units:list"), reverse("units:children", kwargs={"unit_id": world.province.pk})):
        response = client.get(url)
        assert response.status_code == 200
        assert_private(response)


def test_downloads_are_private(world, client):
    client.force_login(world.office_province)
    assert_private(export(client, reverse("units:export"), {"format": "csv"}).response)
    assert_private(export(client, reverse("units:export"), {"format": "xlsx"}).response)
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, files=[upload("总结.pdf", PDF)])
    response = client.get(reverse("campaign:file", kwargs={"file_id": SubmissionFile.objects.get().pk}))
    assert response.status_code == 200
    assert_private(response)


def test_error_pages_for_a_signed_in_user_are_private(world, client):
    client.force_login(world.liaison_organ)
    assert_private(client.get("/units/999999999/"))
