"""Local stand-ins for the outside services sendvoice talks to, speaking their real wire formats."""
