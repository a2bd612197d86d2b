"""manage.py verify_uploads: every stored file hashed again against the SHA-256 of its row."""

import datetime as dt
import io

from django.core.management import CommandError, call_command

from campaign.models import Meeting
from files.actions import add_attachments
from files.storage import storage, store_files
from tests.workspace.workspace_helpers import PDF, PNG, upload


def verify_uploads():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_uploads", stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_changed_byte_and_a_deleted_file_are_reported(world):
    meeting = Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=dt.date(2014, 1, 20))
    with store_files() as stored:
        record, photo = add_attachments(meeting, [upload("会议记录.pdf", PDF), upload("现场.png", PNG)],
                                        actor=world.liaison_organ, stored=stored)
    assert verify_uploads() == (0, "Checked 2 stored files: 2 intact, 0 missing, 0 changed.\n", "")

    path = storage().path(record.stored_name)
    content = bytearray(open(path, "rb").read())
    content[10] ^= 0x01
    open(path, "wb").write(content)
    storage().delete(photo.stored_name)

    code, out, err = verify_uploads()
    assert code == 1
    assert out == "Checked 2 stored files: 0 intact, 1 missing, 1 changed.\n"
    owner = f"owner campaign.meeting #{meeting.pk}"
    assert f"changed: files.Attachment #{record.pk} ({owner}), file {record.stored_name}" in err
    assert f"missing: files.Attachment #{photo.pk} ({owner}), file {photo.stored_name}" in err
