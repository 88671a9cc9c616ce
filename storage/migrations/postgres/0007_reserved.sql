-- Placeholder for migration 7, which another branch owns: the guard branch needs 0009 and
-- migrations are numbered without gaps. Delete this file when the real 0007 lands.
SELECT 1;  -- a no-op: an empty script is not a statement
