"""Flow files (YAML) into the typed schema, with every problem named by file, line and field."""
