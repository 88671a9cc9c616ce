"""Digests: schedules in words and times, digest composition, and the service that runs them."""
