"""Handing work to the Celery workers without depending on the broker being up.

Every job the product queues is also written in the database first (a delivery row, a unit
import's state), and a periodic job finds work whose message never arrived. So a message that
cannot be published is not an error for the person who caused it: the page answers, the
failure is logged, and the work is picked up once the broker is back.
"""

import logging

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# Give up on the broker quickly: a page must not wait for Redis to come back.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def publish(task, args=(), **options):
    """Queue `task` with `args`; True if the broker took the message, False (logged) if it could not."""
    try:
        task.apply_async(args=args, retry=True, retry_policy=PUBLISH_RETRY_POLICY, **options)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("could not queue %s%r: %s", task.name, tuple(args), exc)
        return False
    return True
