-- /latest and digests list briefs by publication date (undated ones last): an index in exactly
-- that order lets a query read the first rows instead of sorting every brief.
CREATE INDEX briefs_by_date ON briefs ((published IS NULL), published DESC, ingested_at DESC, id DESC);
