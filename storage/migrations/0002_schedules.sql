-- Guild settings, digest schedules, their runs, and the persistent publish queue.
-- Run by storage/migrate.py inside one transaction, which also sets PRAGMA user_version = 2.
--
-- Every time is ISO 8601 text in UTC, fixed width (storage.rows.to_utc_text), so text order is
-- time order. How the runs make delivery exactly-once is told in storage/schedules.py.

CREATE TABLE guild_settings (
    guild_id        INTEGER PRIMARY KEY,
    timezone        TEXT,                        -- IANA name; NULL: UTC
    log_channel_id  INTEGER,                     -- where failures are reported; NULL: nowhere
    updated_at      TEXT    NOT NULL
);

CREATE TABLE digest_schedules (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    channel_id      INTEGER NOT NULL,
    spec            TEXT    NOT NULL,            -- the canonical `when` (briefs.schedule)
    timezone        TEXT    NOT NULL,
    include_topics  TEXT    NOT NULL DEFAULT '', -- comma-separated
    exclude_topics  TEXT    NOT NULL DEFAULT '',
    max_items       INTEGER NOT NULL DEFAULT 10 CHECK (max_items BETWEEN 1 AND 25),
    style           TEXT    NOT NULL DEFAULT 'full' CHECK (style IN ('full', 'compact')),
    empty           TEXT    NOT NULL DEFAULT 'skip' CHECK (empty IN ('skip', 'post')),
    paused          INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    failing_reason  TEXT,                        -- NULL when the last run worked
    failures        INTEGER NOT NULL DEFAULT 0,  -- consecutive failed runs
    cursor          TEXT,                        -- ingested_at of the newest digested brief
    created_by      INTEGER,
    created_at      TEXT    NOT NULL
);
CREATE INDEX digest_schedules_guild ON digest_schedules (guild_id);

-- One row per run key. The UNIQUE constraint is the claim: whoever inserts it posts.
CREATE TABLE digest_runs (
    id              INTEGER PRIMARY KEY,
    schedule_id     INTEGER NOT NULL REFERENCES digest_schedules (id) ON DELETE CASCADE,
    scheduled_for   TEXT    NOT NULL,
    trigger         TEXT    NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    status          TEXT    NOT NULL CHECK (status IN ('claimed', 'posted', 'skipped', 'failed')),
    cursor_to       TEXT,                        -- the cursor once this run is delivered
    message_ids     TEXT    NOT NULL DEFAULT '', -- comma-separated, recorded as each is posted
    error           TEXT,
    claimed_at      TEXT    NOT NULL,
    finished_at     TEXT,
    UNIQUE (schedule_id, scheduled_for)
);
CREATE INDEX digest_runs_open ON digest_runs (status) WHERE status = 'claimed';

-- Crossposts to do (announcement channels), paced per channel, kept across restarts.
CREATE TABLE publish_queue (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    channel_id      INTEGER NOT NULL,
    message_id      INTEGER NOT NULL UNIQUE,
    status          TEXT    NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'published', 'refused')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      TEXT    NOT NULL,
    last_error      TEXT,
    published_at    TEXT,
    created_at      TEXT    NOT NULL
);
CREATE INDEX publish_queue_due ON publish_queue (not_before) WHERE status = 'pending';
CREATE INDEX publish_queue_recent ON publish_queue (channel_id, published_at)
    WHERE status = 'published';
