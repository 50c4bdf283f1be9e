"""Does a message need a person to read it now? The detector, its lexicon and text tidying."""
