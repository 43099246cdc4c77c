-- Articles, whichever way they arrived. Times are stored twice: *_unix (UTC
-- nanoseconds, for ordering and indexes) and *_offset (seconds east of UTC)
-- so a post dated "+08:00" is rendered with its own zone again.
CREATE TABLE articles (
    id               INTEGER PRIMARY KEY,
    key              TEXT    NOT NULL UNIQUE,
    guid             TEXT    NOT NULL UNIQUE,
    title            TEXT    NOT NULL,
    author           TEXT    NOT NULL DEFAULT '',
    summary          TEXT    NOT NULL DEFAULT '',
    content_html     TEXT    NOT NULL DEFAULT '',
    link             TEXT    NOT NULL DEFAULT '',
    image            TEXT    NOT NULL DEFAULT '',
    thumbnail        TEXT    NOT NULL DEFAULT '',
    published_unix   INTEGER NOT NULL,
    published_offset INTEGER NOT NULL DEFAULT 0,
    updated_unix     INTEGER NOT NULL,
    updated_offset   INTEGER NOT NULL DEFAULT 0,
    comments         INTEGER NOT NULL DEFAULT 1,
    source_title     TEXT    NOT NULL DEFAULT '',
    source_url       TEXT    NOT NULL DEFAULT '',
    original_link    TEXT    NOT NULL DEFAULT '',
    original_author  TEXT    NOT NULL DEFAULT '',
    -- The article's category paths as written (paths separated by U+001E,
    -- levels by U+001F) and its tags (separated by U+001F), kept on the
    -- row so loading 50 articles for a feed is one query. Membership for
    -- lookups lives in article_categories.
    category_paths   TEXT    NOT NULL DEFAULT '',
    tags             TEXT    NOT NULL DEFAULT '',
    content_hash     TEXT    NOT NULL,
    created_unix     INTEGER NOT NULL,
    changed_unix     INTEGER NOT NULL
);

-- The all-articles feed: newest first without a sort step.
CREATE INDEX articles_newest ON articles (published_unix DESC, id DESC);

-- Category nodes. slug_path is the URL form (each level slugized and
-- percent-encoded, joined by "/"); names holds the level names joined by
-- U+001F, which no name may contain.
CREATE TABLE categories (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES categories (id),
    name      TEXT    NOT NULL,
    names     TEXT    NOT NULL,
    slug_path TEXT    NOT NULL UNIQUE
);

-- Membership, materialized for every level: an article filed under
-- A > B > C has rows for A, A/B and A/B/C (direct = 1 only for the path as
-- written). published_unix is copied here so "newest N of category C" is a
-- walk of one index, never a table scan or a temporary B-tree.
CREATE TABLE article_categories (
    article_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    category_id    INTEGER NOT NULL REFERENCES categories (id),
    published_unix INTEGER NOT NULL,
    direct         INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    PRIMARY KEY (article_id, category_id)
) WITHOUT ROWID;

CREATE INDEX article_categories_newest
    ON article_categories (category_id, published_unix DESC, article_id DESC);

-- Tags, many-to-many. The article row also carries its tags (articles.tags)
-- so feeds load without a join; these tables are for finding articles by tag.
CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;

CREATE INDEX article_tags_by_tag ON article_tags (tag_id, article_id);

-- One row per feed (category_id 0 is the all-articles feed), bumped in the
-- same transaction as every write that changes an article in it. Servers
-- compare versions to know which rendered feeds are stale, also when the
-- write came from another process (feedrelay import beside feedrelay serve).
CREATE TABLE feed_versions (
    category_id  INTEGER PRIMARY KEY,
    version      INTEGER NOT NULL,
    changed_unix INTEGER NOT NULL
);

-- A single counter bumped by every write, so a watcher can learn "something
-- changed" with one cheap read.
CREATE TABLE change_counter (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO change_counter (id, seq) VALUES (1, 0);
