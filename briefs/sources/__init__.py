"""Sources: RSS/Atom feeds, follows and their alerts, and the service that polls and ingests."""
