-- Digests with a discussion thread, and digests in forum channels (issue 14).
-- Run by storage/migrate.py inside one transaction, which also sets PRAGMA user_version = 7.
--
-- `thread`: open a thread under each posted digest. `thread_id`: the run's thread, recorded
-- as soon as Discord made it: a forum post (its later messages go there, a restart posts the
-- rest there too) or the discussion thread (so a restart never opens a second one).
-- `retimed_at`: when `/digest edit` last changed the schedule's time or zone; runs of the new
-- time before that moment are not due (so an edit never posts a digest of the past).

ALTER TABLE digest_schedules ADD COLUMN thread INTEGER NOT NULL DEFAULT 0 CHECK (thread IN (0, 1));
ALTER TABLE digest_runs ADD COLUMN thread_id INTEGER;
ALTER TABLE digest_schedules ADD COLUMN retimed_at TEXT;
