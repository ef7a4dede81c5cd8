"""`make bench`: our figures measured side by side with their peers (see run.py)."""
