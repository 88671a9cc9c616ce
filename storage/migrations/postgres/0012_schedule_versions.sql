-- A version on each digest schedule: the same as ../0012_schedule_versions.sql.
ALTER TABLE digest_schedules ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
