"""What campaign tells the apps above it (notifications) when something happens that is not a
state move (state moves send access.transitions.transitioned).

- `obligations_issued` (sender: Requirement): new obligations reached their units (rule 2), with
  `obligation_ids` and `actor`.
- `due_moved` (sender: Obligation): obligations got a new due moment (a requirement's deadline
  changed, a meeting set it, an extension was granted), with `moves` [(obligation id, old, new)],
  `actor`, `reason` and the trail's `action` ("extension_granted" for a granted request).
- `chased` (sender: Chase): an office or a supervision group chased units (催办), with `chases`.
- `meeting_scheduled` (sender: Meeting): a meeting got its planned day or a new one, with
  `meeting` and `actor` (003: the supervision group attends the democratic life meeting).

Each is sent inside the transaction of the change, so what listens writes in the same transaction
(the notifications outbox): a change rolled back tells nobody.
"""

from django.dispatch import Signal

obligations_issued = Signal()
due_moved = Signal()
chased = Signal()
meeting_scheduled = Signal()
