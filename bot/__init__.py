"""The application shell: channels, dispatch, outbox, web app, scheduler and CLI around the pure core."""
