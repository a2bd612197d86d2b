"""A channel for the delivery tests: records each send in a file, or blocks after the claim so the
test can kill the worker between claim and send. Loaded by the worker via NOTIFICATION_CHANNELS."""

import os
import time
from pathlib import Path

from notifications.channels import Channel


class GateChannel(Channel):
    name = "gate"
    label = "gate"

    def send(self, delivery, message):
        gate = Path(os.environ["REMINDER_GATE_DIR"])
        (gate / f"claimed-{delivery.pk}-{os.getpid()}").touch()
        if os.environ.get("REMINDER_GATE_BLOCK") == "1":
            time.sleep(600)
        with open(gate / "sent.log", "a", encoding="utf-8") as log:
            log.write(f"{delivery.pk} {delivery.digest.recipient.username} {len(message.items)}\n")
