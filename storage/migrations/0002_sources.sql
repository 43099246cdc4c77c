-- Upstream feeds that feedrelay polls (issue 4). Category paths and rules
-- use the same separators as articles: paths by U+001E, levels and rules
-- by U+001F.
CREATE TABLE sources (
    id                INTEGER PRIMARY KEY,
    url               TEXT    NOT NULL UNIQUE,
    title             TEXT    NOT NULL DEFAULT '',
    category_paths    TEXT    NOT NULL DEFAULT '',
    item_categories   INTEGER NOT NULL DEFAULT 0,
    interval_seconds  INTEGER NOT NULL,
    enabled           INTEGER NOT NULL DEFAULT 1,
    include_rules     TEXT    NOT NULL DEFAULT '',
    exclude_rules     TEXT    NOT NULL DEFAULT '',
    etag              TEXT    NOT NULL DEFAULT '',
    last_modified     TEXT    NOT NULL DEFAULT '',
    feed_title        TEXT    NOT NULL DEFAULT '',
    site_url          TEXT    NOT NULL DEFAULT '',
    last_attempt_unix INTEGER NOT NULL DEFAULT 0,
    last_success_unix INTEGER NOT NULL DEFAULT 0,
    last_error        TEXT    NOT NULL DEFAULT '',
    failures          INTEGER NOT NULL DEFAULT 0,
    next_poll_unix    INTEGER NOT NULL DEFAULT 0,
    disabled_reason   TEXT    NOT NULL DEFAULT '',
    created_unix      INTEGER NOT NULL
);

CREATE INDEX sources_due ON sources (next_poll_unix) WHERE enabled = 1;

-- Which source an article came from (NULL: a local post or API article);
-- a removed source leaves its articles in place.
ALTER TABLE articles ADD COLUMN source_id INTEGER REFERENCES sources (id) ON DELETE SET NULL;
CREATE INDEX articles_by_source ON articles (source_id) WHERE source_id IS NOT NULL;

-- The order articles were first stored, for the cursor API (issue 5). Row
-- ids can be handed out again after the newest row is deleted, so the
-- sequence comes from its own counter and is never reused.
ALTER TABLE articles ADD COLUMN stored_seq INTEGER;
UPDATE articles SET stored_seq = id;
CREATE UNIQUE INDEX articles_stored ON articles (stored_seq);

CREATE TABLE sequences (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO sequences (name, value) SELECT 'article', coalesce(max(id), 0) FROM articles;
