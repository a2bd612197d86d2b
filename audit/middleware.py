"""Ends the channel a request's authentication set (audit.services.set_channel) with the request."""

from audit.services import reset_channel, set_channel


class ChannelMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Start every request with no channel and put back what was there, whatever the view set:
        # a thread serving the next request must not write the previous token's name.
        token = set_channel("")
        try:
            return self.get_response(request)
        finally:
            reset_channel(token)
