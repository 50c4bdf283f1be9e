"""What a reply means for the question it answers: numbers, dates, choices, yes/no, specials."""
