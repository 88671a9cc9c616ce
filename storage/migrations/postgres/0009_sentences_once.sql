-- Each sentence of a brief stored once: the same as ../0009_sentences_once.sql.
CREATE TABLE sentences (
    brief_id BIGINT  NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    ord      INTEGER NOT NULL,
    text     TEXT    NOT NULL,
    PRIMARY KEY (brief_id, ord)
);

ALTER TABLE quotes ADD COLUMN sentence_ord INTEGER;
ALTER TABLE figures ADD COLUMN sentence_ord INTEGER;

INSERT INTO sentences (brief_id, ord, text)
SELECT brief_id, row_number() OVER (PARTITION BY brief_id ORDER BY first_use) - 1, sentence
FROM (
    SELECT brief_id, sentence, min(position) AS first_use
    FROM (
        SELECT brief_id, sentence, ord::bigint AS position FROM quotes WHERE sentence <> ''
        UNION ALL
        SELECT brief_id, sentence, 1000000000 + ord FROM figures WHERE sentence <> ''
    ) AS used
    GROUP BY brief_id, sentence
) AS firsts;

UPDATE quotes q SET sentence_ord = s.ord
    FROM sentences s WHERE s.brief_id = q.brief_id AND s.text = q.sentence;
UPDATE figures f SET sentence_ord = s.ord
    FROM sentences s WHERE s.brief_id = f.brief_id AND s.text = f.sentence;

ALTER TABLE quotes DROP COLUMN sentence;
ALTER TABLE figures DROP COLUMN sentence;
