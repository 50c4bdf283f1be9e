"""Flow versions at run time: the live library conversations read, and files imported as versions."""
