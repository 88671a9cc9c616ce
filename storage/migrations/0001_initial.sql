-- The brief library, first schema. Run by storage/migrate.py inside one transaction;
-- do not put BEGIN/COMMIT or PRAGMA user_version here.
--
-- Scope: guild_id NULL is global (the operator's), otherwise the guild that added the brief.
-- Only live briefs have a row in `briefs` (brief id = article id); a replaced article keeps
-- its raw text in `articles` (superseded = 1) but its brief and parts are deleted.
-- "Newest first" is id order: the store keeps ingested_at monotonic with id.

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER,
    sha256        TEXT    NOT NULL,
    source        TEXT,
    text          BLOB    NOT NULL,              -- zlib-compressed UTF-8 as received
    ingested_at   TEXT    NOT NULL,              -- ISO 8601, UTC
    revision      INTEGER NOT NULL DEFAULT 1,
    superseded    INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1)),
    superseded_by INTEGER
);
CREATE UNIQUE INDEX articles_live_sha ON articles (ifnull(guild_id, 0), sha256)
    WHERE superseded = 0;
CREATE INDEX articles_source ON articles (ifnull(guild_id, 0), source) WHERE source IS NOT NULL;

CREATE TABLE briefs (
    id                 INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    guild_id           INTEGER,
    ingested_at        TEXT    NOT NULL,
    headline           TEXT    NOT NULL,
    published          TEXT,                     -- ISO date
    source             TEXT,
    highlights         TEXT    NOT NULL,         -- one per line, for full-text search
    highlights_derived INTEGER NOT NULL,
    analysis           TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    json               BLOB    NOT NULL          -- brief_to_dict without the body, zlib'd JSON
);
CREATE INDEX briefs_ingested ON briefs (ingested_at);
CREATE INDEX briefs_guild ON briefs (guild_id) WHERE guild_id IS NOT NULL;

-- People are one identity across the library; a scope sees a person only through
-- mentions in briefs it can see, and only the name keys learnt in that scope.
CREATE TABLE people (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    folded TEXT NOT NULL
);

-- Lookup keys: kind 0 full name, 1 alias, 2 name part (surname, double surname, …).
CREATE TABLE name_keys (
    key       TEXT    NOT NULL,
    scope     INTEGER NOT NULL,                  -- 0 global, else the guild that taught it
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind      INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
    PRIMARY KEY (key, scope, person_id, kind)
) WITHOUT ROWID;
CREATE INDEX name_keys_person ON name_keys (person_id);

-- Trigrams of every key, with the key's length, for the fuzzy candidate set.
CREATE TABLE name_grams (
    gram TEXT    NOT NULL,
    len  INTEGER NOT NULL,
    key  TEXT    NOT NULL,
    PRIMARY KEY (gram, len, key)
) WITHOUT ROWID;

-- One row per person per brief, with what that brief says they are.
CREATE TABLE brief_people (
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    brief_id     INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    scope        INTEGER NOT NULL,               -- the brief's: 0 global, else its guild
    ord          INTEGER NOT NULL,
    name         TEXT    NOT NULL,               -- as this brief writes it
    role         TEXT,
    organization TEXT,
    aliases      TEXT    NOT NULL,               -- one per line, as this brief writes them
    mentions     INTEGER NOT NULL,
    PRIMARY KEY (person_id, brief_id)
) WITHOUT ROWID;
CREATE INDEX brief_people_brief ON brief_people (brief_id);

-- Mentions per person per scope, kept by triggers: cards and visibility without counting rows.
CREATE TABLE person_counts (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    scope     INTEGER NOT NULL,
    mentions  INTEGER NOT NULL,
    PRIMARY KEY (person_id, scope)
) WITHOUT ROWID;

CREATE TRIGGER person_counts_insert AFTER INSERT ON brief_people BEGIN
    INSERT INTO person_counts (person_id, scope, mentions)
        VALUES (new.person_id, new.scope, new.mentions)
        ON CONFLICT (person_id, scope) DO UPDATE SET mentions = mentions + excluded.mentions;
END;

CREATE TRIGGER person_counts_delete AFTER DELETE ON brief_people BEGIN
    UPDATE person_counts SET mentions = mentions - old.mentions
        WHERE person_id = old.person_id AND scope = old.scope;
    DELETE FROM person_counts
        WHERE person_id = old.person_id AND scope = old.scope AND mentions <= 0;
END;

-- The sentences naming a person (provenance).
CREATE TABLE mentions (
    brief_id  INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    ord       INTEGER NOT NULL,
    sentence  TEXT    NOT NULL,
    PRIMARY KEY (brief_id, person_id, ord)
) WITHOUT ROWID;
CREATE INDEX mentions_person ON mentions (person_id);

CREATE TABLE quotes (
    brief_id     INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    ord          INTEGER NOT NULL,
    text         TEXT    NOT NULL,
    speaker      TEXT,
    speaker_kind TEXT    NOT NULL,
    partial      INTEGER NOT NULL,
    sentence     TEXT    NOT NULL,
    person_id    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    PRIMARY KEY (brief_id, ord)
) WITHOUT ROWID;
CREATE INDEX quotes_person ON quotes (person_id, brief_id) WHERE person_id IS NOT NULL;

CREATE TABLE figures (
    brief_id INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    ord      INTEGER NOT NULL,
    value    TEXT    NOT NULL,
    number   REAL,
    kind     TEXT    NOT NULL,
    unit     TEXT,
    currency TEXT,
    about    TEXT    NOT NULL,
    sentence TEXT    NOT NULL,
    PRIMARY KEY (brief_id, ord)
) WITHOUT ROWID;

-- Figures whose sentence names a person.
CREATE TABLE figure_people (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    brief_id  INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    ord       INTEGER NOT NULL,
    PRIMARY KEY (person_id, brief_id, ord)
) WITHOUT ROWID;
CREATE INDEX figure_people_brief ON figure_people (brief_id);

CREATE TABLE places (
    brief_id INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    ord      INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    folded   TEXT    NOT NULL,
    PRIMARY KEY (brief_id, ord)
) WITHOUT ROWID;
CREATE INDEX places_folded ON places (folded);

CREATE TABLE organizations (
    brief_id INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    ord      INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    folded   TEXT    NOT NULL,
    PRIMARY KEY (brief_id, ord)
) WITHOUT ROWID;
CREATE INDEX organizations_folded ON organizations (folded);

-- Full-text search over the live briefs (external content: the text lives in `briefs`).
CREATE VIRTUAL TABLE briefs_fts USING fts5 (
    headline, highlights, body, analysis,
    content = 'briefs', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2"
);

-- Headlines only, with prefix indexes, for headline autocomplete.
CREATE VIRTUAL TABLE headlines_fts USING fts5 (
    headline,
    content = 'briefs', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '1 2 3'
);

CREATE TRIGGER briefs_fts_insert AFTER INSERT ON briefs BEGIN
    INSERT INTO briefs_fts (rowid, headline, highlights, body, analysis)
        VALUES (new.id, new.headline, new.highlights, new.body, new.analysis);
    INSERT INTO headlines_fts (rowid, headline) VALUES (new.id, new.headline);
END;

CREATE TRIGGER briefs_fts_delete AFTER DELETE ON briefs BEGIN
    INSERT INTO briefs_fts (briefs_fts, rowid, headline, highlights, body, analysis)
        VALUES ('delete', old.id, old.headline, old.highlights, old.body, old.analysis);
    INSERT INTO headlines_fts (headlines_fts, rowid, headline)
        VALUES ('delete', old.id, old.headline);
END;

CREATE TRIGGER briefs_fts_update AFTER UPDATE OF headline, highlights, body, analysis ON briefs
BEGIN
    INSERT INTO briefs_fts (briefs_fts, rowid, headline, highlights, body, analysis)
        VALUES ('delete', old.id, old.headline, old.highlights, old.body, old.analysis);
    INSERT INTO headlines_fts (headlines_fts, rowid, headline)
        VALUES ('delete', old.id, old.headline);
    INSERT INTO briefs_fts (rowid, headline, highlights, body, analysis)
        VALUES (new.id, new.headline, new.highlights, new.body, new.analysis);
    INSERT INTO headlines_fts (rowid, headline) VALUES (new.id, new.headline);
END;

-- Headline matches weigh most, then highlights, analysis, body.
INSERT INTO briefs_fts (briefs_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 1.0, 2.0)');
