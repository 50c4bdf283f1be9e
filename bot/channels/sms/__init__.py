"""SMS through Twilio: signed webhooks in, the REST API out, status callbacks back."""

CHANNEL = "sms"
