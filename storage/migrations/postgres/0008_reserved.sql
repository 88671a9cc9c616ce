-- Placeholder for migration 8, which another branch owns: the guard branch needs 0009 and
-- migrations are numbered without gaps. Delete this file when the real 0008 lands.
SELECT 1;  -- a no-op: an empty script is not a statement
