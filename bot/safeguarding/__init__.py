"""Telling a person when a message needs reading now: alerts to the safeguarding lead."""
