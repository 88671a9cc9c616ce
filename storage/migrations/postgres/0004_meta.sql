-- Small key/value facts about this installation, on PostgreSQL: the same as ../0004_meta.sql.
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
