-- A version on each digest schedule, raised by every change its timer depends on (time, zone,
-- paused): every process compares the versions with those its jobs were built from, and
-- rebuilds the jobs of changed, new and removed schedules (bot/runtime/digests.py, reconcile).
ALTER TABLE digest_schedules ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
