"""The API's endpoints, one module per subject; each a thin view over the querysets and actions
of the app that owns the subject."""
