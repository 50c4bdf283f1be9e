"""After an event: attendees, the follow-up plan, quiet hours, and the runner the scheduler calls."""
