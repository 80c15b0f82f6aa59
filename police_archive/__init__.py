"""The `police-archive` command line: thin, on top of everything, turning errors into messages."""
