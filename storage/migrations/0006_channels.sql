-- Channels that follow a feed: each new entry is posted as a brief card (issue 14).
-- Run by storage/migrate.py inside one transaction, which also sets PRAGMA user_version = 6.
--
-- A feed entry's brief is queued for every delivery of its feed in the same transaction that
-- marks the entry seen, so a crash between the poll and the post loses nothing. Each queued
-- item is claimed before it is posted and recorded after (key: delivery, entry), as digest runs
-- are: a restart settles a claimed item by looking for it in the channel, so nothing doubles.

ALTER TABLE feed_entries ADD COLUMN title TEXT;
ALTER TABLE feed_entries ADD COLUMN published TEXT;      -- the entry's date, ISO 8601 UTC
ALTER TABLE feed_entries ADD COLUMN image TEXT;          -- the page's og:image, if it names one
ALTER TABLE feed_entries ADD COLUMN fingerprint TEXT;    -- the entry's updated stamp and title

CREATE TABLE feed_deliveries (
    id              INTEGER PRIMARY KEY,
    feed_id         INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    guild_id        INTEGER NOT NULL,
    channel_id      INTEGER NOT NULL,
    include_terms   TEXT    NOT NULL DEFAULT '',         -- comma-separated words or phrases
    exclude_terms   TEXT    NOT NULL DEFAULT '',
    mention_role_id INTEGER,                             -- the one role a post may ping
    thread          INTEGER NOT NULL DEFAULT 0 CHECK (thread IN (0, 1)),
    backlog         INTEGER NOT NULL DEFAULT 0,
    last_post       TEXT,
    last_error      TEXT,                                -- NULL while delivery works
    created_by      INTEGER,
    created_at      TEXT    NOT NULL,
    UNIQUE (feed_id, channel_id)
);
CREATE INDEX feed_deliveries_guild ON feed_deliveries (guild_id);

CREATE TABLE delivery_items (
    id              INTEGER PRIMARY KEY,
    delivery_id     INTEGER NOT NULL REFERENCES feed_deliveries (id) ON DELETE CASCADE,
    feed_id         INTEGER NOT NULL,
    entry_id        TEXT    NOT NULL,
    channel_id      INTEGER NOT NULL,
    brief_id        INTEGER NOT NULL,                    -- the newest revision's brief
    status          TEXT    NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'claimed', 'posted', 'filtered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      TEXT    NOT NULL,
    message_id      INTEGER,                             -- the post (a forum post's thread id)
    reply_channel   INTEGER,                             -- where replies go (thread or channel)
    shown           TEXT,                                -- JSON: what the post showed
    revised         INTEGER NOT NULL DEFAULT 0,          -- a newer revision awaits its reply
    last_reply      TEXT,
    error           TEXT,
    created_at      TEXT    NOT NULL,
    posted_at       TEXT,
    UNIQUE (delivery_id, entry_id),
    UNIQUE (channel_id, brief_id)                        -- one article once per channel
);
CREATE INDEX delivery_items_due ON delivery_items (not_before)
    WHERE status IN ('pending', 'claimed') OR revised = 1;
CREATE INDEX delivery_items_brief ON delivery_items (brief_id);
