-- One person across the library (issue 11): the same as ../0010_identity.sql.

ALTER TABLE brief_people ADD COLUMN day TEXT;
UPDATE brief_people bp SET day = coalesce(b.published, substr(b.ingested_at, 1, 10))
    FROM briefs b WHERE b.id = bp.brief_id;

-- Spellings per person and scope, counted by storage/people.py (no trigger).
CREATE TABLE person_spellings (
    person_id BIGINT  NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    scope     BIGINT  NOT NULL,
    name      TEXT    NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (person_id, scope, name)
);

INSERT INTO person_spellings (person_id, scope, name, n)
    SELECT person_id, scope, name, count(*) FROM brief_people GROUP BY person_id, scope, name;
