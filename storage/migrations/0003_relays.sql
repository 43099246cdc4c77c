-- Chat groups and webhook receivers that new articles are pushed to, and
-- the outbox of deliveries owed to them (issue 5). Times of deliveries and
-- next_attempt_unix are Unix nanoseconds (like articles'); the targets'
-- last_success_unix and created_unix are seconds.
CREATE TABLE relay_targets (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT    NOT NULL UNIQUE,
    platform             TEXT    NOT NULL,
    url                  TEXT    NOT NULL,
    bot_token            TEXT    NOT NULL DEFAULT '',
    chat_id              TEXT    NOT NULL DEFAULT '',
    secret               TEXT    NOT NULL DEFAULT '',
    category_paths       TEXT    NOT NULL DEFAULT '',
    include_rules        TEXT    NOT NULL DEFAULT '',
    exclude_rules        TEXT    NOT NULL DEFAULT '',
    style                TEXT    NOT NULL DEFAULT 'single',
    digest_max           INTEGER NOT NULL DEFAULT 0,
    format               TEXT    NOT NULL DEFAULT '',
    rate_per_minute      REAL    NOT NULL DEFAULT 0,
    burst                INTEGER NOT NULL DEFAULT 0,
    retry_budget_seconds INTEGER NOT NULL,
    enabled              INTEGER NOT NULL DEFAULT 1,
    -- Set by the delivery worker when the platform keeps answering with a
    -- permanent error (bad key, chat not found); cleared by relays retry.
    disabled_reason      TEXT    NOT NULL DEFAULT '',
    permanent_fails      INTEGER NOT NULL DEFAULT 0,
    -- The worker sends nothing to the target before this time (backoff,
    -- the platform's Retry-After).
    next_attempt_unix    INTEGER NOT NULL DEFAULT 0,
    last_success_unix    INTEGER NOT NULL DEFAULT 0,
    last_error           TEXT    NOT NULL DEFAULT '',
    created_unix         INTEGER NOT NULL
);

-- One row per (target, article), written in the transaction that first
-- stores the article. AUTOINCREMENT because the id is the delivery id that
-- receivers drop duplicates by: it must never be handed out twice.
CREATE TABLE deliveries (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    target_id          INTEGER NOT NULL REFERENCES relay_targets (id) ON DELETE CASCADE,
    article_id         INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    status             TEXT    NOT NULL DEFAULT 'pending',
    attempts           INTEGER NOT NULL DEFAULT 0,
    first_attempt_unix INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT    NOT NULL DEFAULT '',
    created_unix       INTEGER NOT NULL,
    delivered_unix     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (target_id, article_id)
);

-- The worker's queue: a target's pending deliveries in article order.
CREATE INDEX deliveries_pending ON deliveries (target_id, id) WHERE status = 'pending';
CREATE INDEX deliveries_by_article ON deliveries (article_id);
CREATE INDEX deliveries_by_status ON deliveries (target_id, status);
