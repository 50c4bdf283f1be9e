"""The ASGI app: webhooks, the officers' dashboard and health, and how it is served."""
