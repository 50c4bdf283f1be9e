"""One inbound message through to the replies it queues: read, decide (pure), write."""
