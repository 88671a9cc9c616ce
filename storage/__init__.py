"""The brief library on SQLite: the only package that speaks SQL.

Open it with `await storage.sqlite.SqliteBriefStore.open(path)`; schema changes are numbered
files in `storage/migrations/` applied by `storage.migrate` at open."""
