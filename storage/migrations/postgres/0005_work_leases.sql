-- Leases on claimed digest runs: the same as ../0005_work_leases.sql.
ALTER TABLE digest_runs ADD COLUMN lease_owner TEXT, ADD COLUMN lease_until TEXT;
CREATE INDEX digest_runs_lease ON digest_runs (lease_until) WHERE status = 'claimed';
