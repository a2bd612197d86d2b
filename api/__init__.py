"""The JSON API under /api/v1/ (django-ninja) and the per-user tokens that open it and the
calendar feed. It reads with the same `restrict()` scoping and writes through the same actions
as the pages: a token acts as its owner, nothing more."""
