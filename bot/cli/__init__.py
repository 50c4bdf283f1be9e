"""The `sendvoice` command: one module per command group; `main` gathers them."""
