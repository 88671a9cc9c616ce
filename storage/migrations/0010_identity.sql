-- One person across the library (issue 11). Plain SQL: ALTER TABLE … ADD COLUMN, CREATE
-- TABLE/INDEX and INSERT … SELECT only. PostgreSQL's twin: postgres/0010_identity.sql.
--
-- Who is who is decided at ingest by briefs/identity.py (storage/people.py applies it):
-- existing people are kept as they were merged before (by full name); briefs added, revised or
-- removed from now on follow the new rule.

-- The day a brief speaks for (its published date, else the day it was added), copied onto each
-- person row: role history and "at the same time" checks read it without joining briefs.
ALTER TABLE brief_people ADD COLUMN day TEXT;
UPDATE brief_people SET day = (
    SELECT coalesce(b.published, substr(b.ingested_at, 1, 10)) FROM briefs b
    WHERE b.id = brief_people.brief_id
);

-- How often each spelling of a person's name is written, per scope: the card's name is the
-- spelling most often written in the briefs the scope sees. Kept by storage/people.py (write
-- counts a brief's rows, forget uncounts them before a brief goes), the same code on both
-- engines, so no trigger.
CREATE TABLE person_spellings (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    scope     INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (person_id, scope, name)
) WITHOUT ROWID;

INSERT INTO person_spellings (person_id, scope, name, n)
    SELECT person_id, scope, name, count(*) FROM brief_people GROUP BY person_id, scope, name;
