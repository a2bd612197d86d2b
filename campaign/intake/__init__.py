"""Directive intake: from the text of a 公文 (pasted, or read from its file) to the fields a clerk
registers, each with where in the text it was found.

- `campaign.intake.reading.read_document(name, data)`: the text of a .docx, .wps, .doc, .pdf, .ofd, .txt
  or .html file (or a clear refusal).
- `campaign.intake.extract.extract(text)`: a `Record` of the fields (campaign.intake.record).
- `campaign.intake.actions`: the pages' steps (从文件登记 on the directive list, campaign.views.intake):
  start an intake from a file or pasted text, register the directive from it (the file becomes its
  first attachment, its deadlines draft requirements), confirm or drop each draft.
- `campaign.intake.highlight.highlighted(text, spans)`: the text as HTML with each value found marked.
- `python manage.py parse_directive FILE…` prints them as JSON; `python -m campaign.intake.score DIR`
  scores them against a labelled set (tests/intake/README.md).
"""
