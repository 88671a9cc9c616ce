-- Each sentence of a brief is stored once, and its quotes and figures refer to it by position:
-- an article whose 9,000 figures share one long sentence stored that sentence 9,000 times.
-- Existing briefs keep their sentences: each distinct one is copied here, numbered per brief
-- in order of first use, and the rows point at it before the old columns are dropped.
-- (No semicolons inside comments: storage/migrate.py splits statements on them.)

CREATE TABLE sentences (
    brief_id INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    ord      INTEGER NOT NULL,
    text     TEXT    NOT NULL,
    PRIMARY KEY (brief_id, ord)
) WITHOUT ROWID;

ALTER TABLE quotes ADD COLUMN sentence_ord INTEGER;
ALTER TABLE figures ADD COLUMN sentence_ord INTEGER;

INSERT INTO sentences (brief_id, ord, text)
SELECT brief_id, row_number() OVER (PARTITION BY brief_id ORDER BY first_use) - 1, sentence
FROM (
    SELECT brief_id, sentence, min(position) AS first_use
    FROM (
        SELECT brief_id, sentence, ord AS position FROM quotes WHERE sentence <> ''
        UNION ALL
        SELECT brief_id, sentence, 1000000000 + ord FROM figures WHERE sentence <> ''
    )
    GROUP BY brief_id, sentence
);

CREATE INDEX temp_sentences_text ON sentences (brief_id, text);

UPDATE quotes SET sentence_ord = (
    SELECT s.ord FROM sentences s WHERE s.brief_id = quotes.brief_id AND s.text = quotes.sentence
);
UPDATE figures SET sentence_ord = (
    SELECT s.ord FROM sentences s WHERE s.brief_id = figures.brief_id AND s.text = figures.sentence
);

DROP INDEX temp_sentences_text;
ALTER TABLE quotes DROP COLUMN sentence;
ALTER TABLE figures DROP COLUMN sentence;
