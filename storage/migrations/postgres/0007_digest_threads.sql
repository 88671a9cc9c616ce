-- Digests with a discussion thread, and digests in forum channels: as ../0007_digest_threads.sql.

ALTER TABLE digest_schedules ADD COLUMN thread INTEGER NOT NULL DEFAULT 0 CHECK (thread IN (0, 1));
ALTER TABLE digest_runs ADD COLUMN thread_id BIGINT;
ALTER TABLE digest_schedules ADD COLUMN retimed_at TEXT;
