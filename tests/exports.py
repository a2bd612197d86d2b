"""Exports run as background jobs (core.jobs): a test presses the export button (a POST), runs
the job it started in this process (the worker's part) and downloads the file."""

from urllib.parse import urlencode

from django.urls import resolve, reverse

from core import jobs


class Downloaded:
    """The downloaded file, read whole: status_code, content, headers (response["..."])."""

    def __init__(self, response):
        self.response = response
        self.status_code = response.status_code
        self.content = b"".join(response.streaming_content) if response.streaming else response.content

    @property
    def streaming_content(self):
        return iter([self.content])

    def __getitem__(self, header):
        return self.response[header]

    def has_header(self, header):
        return self.response.has_header(header)


def export(client, url, params=None):
    """POST `url` with `params` in its address (the list's filters), as the button does; when it
    started a job, run it and return its download (Downloaded); else the refusal as it came."""
    response = client.post(url + ("?" + urlencode(params, doseq=True) if params else ""))
    if response.status_code != 302:
        return response
    match = resolve(response["Location"])
    assert match.view_name == "core:job", response["Location"]
    job_id = match.kwargs["job_id"]
    jobs.run(job_id)
    return Downloaded(client.get(reverse("core:job_download", args=[job_id])))
