"""What is particular to a submission's files; the checks, the storage and the responses are the
one pipeline of files (files.screening, files.storage, files.responses)."""

from campaign.models import SubmissionFile


def add_submission_file(stored, submission, upload):
    """Check and store `upload` (through `stored`, a files.storage.StoredFiles) as a file of
    `submission`, in the caller's transaction; the file goes again if that transaction fails."""
    return SubmissionFile.objects.create(submission=submission, **stored.accept(upload))
