"""Flows in and out of other tools' formats (RapidPro and TextIt exports), as pure data changes."""
