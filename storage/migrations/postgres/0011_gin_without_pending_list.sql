-- Full-text GIN indexes written through, without a pending list (fastupdate = off).
-- With fastupdate on, new briefs wait in an unsorted pending list that every search scans
-- linearly until a VACUUM (or 4 MB of entries) merges it: on a server without autovacuum a
-- search over a few thousand briefs took tens of milliseconds and the planner gave the index
-- up for a sequential scan. Briefs are added one at a time and searched far more often, so
-- each insert pays the index update instead. Entries already pending are merged now.
ALTER INDEX briefs_search SET (fastupdate = off);
ALTER INDEX briefs_headline_words SET (fastupdate = off);
SELECT gin_clean_pending_list('briefs_search'::regclass);
SELECT gin_clean_pending_list('briefs_headline_words'::regclass);
