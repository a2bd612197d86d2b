"""Every file the product takes, one pipeline: what is accepted (files.screening), where and how it
is stored (files.storage, Django's storage API), how it is handed out (files.responses: download
as an attachment, inline preview of PDF and images), the generic attachment of a domain row
(files.models.Attachment, seen by whoever may see its owner: files.owners) and the picker
(files.forms, templates/files/_picker.html, static/js/upload-progress.js).

It sits between access and units: it uses the policy (restrict) and the audit trail, and knows no
domain app; the domain apps register their owner models with files.owners in AppConfig.ready().
"""
