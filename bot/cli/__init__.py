"""The briefbot command line: argument parsing, library commands, the console."""
