"""Discord-facing pieces the cogs share: embeds, views, the error tree, checks, choices."""
