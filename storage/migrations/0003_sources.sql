-- Sources and follows: polled feeds, the entries seen, followed people/topics, sent alerts.
-- Run by storage/migrate.py inside one transaction, which also sets PRAGMA user_version = 3.
--
-- Scope: feeds.guild_id NULL is an operator feed from the config (its briefs are global).

CREATE TABLE feeds (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER,
    url            TEXT    NOT NULL,
    interval_min   INTEGER NOT NULL DEFAULT 15 CHECK (interval_min >= 5),
    title          TEXT,
    etag           TEXT,
    last_modified  TEXT,
    added_by       INTEGER,
    created_at     TEXT    NOT NULL,             -- ISO 8601, UTC
    last_fetch     TEXT,
    last_outcome   TEXT,
    entries_added  INTEGER NOT NULL DEFAULT 0,
    failing        TEXT,                         -- why the last fetch failed; NULL when it worked
    failures       INTEGER NOT NULL DEFAULT 0,   -- consecutive failures, for the backoff
    next_due       TEXT    NOT NULL
);
CREATE UNIQUE INDEX feeds_scope_url ON feeds (ifnull(guild_id, 0), url);
CREATE INDEX feeds_due ON feeds (next_due);

CREATE TABLE feed_entries (
    feed_id   INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    entry_id  TEXT    NOT NULL,
    link      TEXT,
    sha256    TEXT,                              -- of the fetched page, for content dedupe
    brief_id  INTEGER,                           -- NULL: seen but skipped (refused page)
    skipped   TEXT,                              -- why it was skipped
    seen_at   TEXT    NOT NULL,
    PRIMARY KEY (feed_id, entry_id)
) WITHOUT ROWID;
CREATE INDEX feed_entries_link ON feed_entries (feed_id, link) WHERE link IS NOT NULL;
CREATE INDEX feed_entries_sha ON feed_entries (sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE follows (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('person', 'topic')),
    name        TEXT    NOT NULL,
    key         TEXT    NOT NULL,                -- fold(name)
    created_by  INTEGER,
    created_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX follows_unique ON follows (guild_id, channel_id, kind, key);

-- One row per alert sent: the hourly cap counts these, and a follow never alerts twice
-- for the same brief.
CREATE TABLE alert_log (
    follow_id   INTEGER NOT NULL REFERENCES follows (id) ON DELETE CASCADE,
    brief_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    sent_at     TEXT    NOT NULL,
    PRIMARY KEY (follow_id, brief_id)
) WITHOUT ROWID;
CREATE INDEX alert_log_channel ON alert_log (channel_id, sent_at);
