"""Help officers hear what families say: themes suggested from free text, offline, on this server."""
