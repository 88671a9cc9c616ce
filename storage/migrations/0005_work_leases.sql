-- Leases on claimed digest runs, so several processes can share one library: the process that
-- claimed a run renews its lease while it is alive; a claimed run whose lease ran out belongs
-- to a process that died, and another process takes it over (storage/runs.py).
-- Feed polls and publishes are leased through their own due times (next_due, not_before).
ALTER TABLE digest_runs ADD COLUMN lease_owner TEXT;
ALTER TABLE digest_runs ADD COLUMN lease_until TEXT;
