"""Getting messages out: the outbox, each channel's pace, and the loops that run them."""
