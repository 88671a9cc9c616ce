-- Migration 8 does nothing: its number was held for work that needed no schema change, and the
-- migrations after it are numbered without gaps.
SELECT 1;  -- a no-op: an empty script is not a statement
