/**
 * PostgreSQL schema migrations. The array index + 1 is the schema version kept in
 * `parlor_schema_version`; a released migration never changes: add a new one instead.
 * PostgresStore applies the missing ones at open, in one transaction holding
 * MIGRATION_LOCK_KEY (pg_advisory_xact_lock), so nodes starting together apply each once.
 *
 * Times are epoch milliseconds in BIGINT. ARNs and token ids compare in the "C" collation
 * (bytewise), so list order and paging are the same as SQLite's whatever the database's
 * default collation. JSON columns are text, as in SQLite.
 */

/** The advisory-lock key of schema migrations (any constant unique to Parlor; "parlor" in hex). */
export const MIGRATION_LOCK_KEY = 0x7061726c6f72n;

export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE rooms (
    arn             TEXT COLLATE "C" PRIMARY KEY,
    account_id      TEXT NOT NULL,
    region          TEXT NOT NULL,
    id              TEXT NOT NULL,
    name            TEXT NOT NULL,
    create_time     BIGINT NOT NULL,
    update_time     BIGINT NOT NULL,
    max_rate        INTEGER NOT NULL,
    max_length      INTEGER NOT NULL,
    review_uri      TEXT,
    review_fallback TEXT,
    tags            TEXT NOT NULL
  );
  CREATE INDEX rooms_by_scope_time ON rooms (account_id, region, update_time DESC, arn DESC);

  CREATE TABLE logging_configurations (
    arn         TEXT COLLATE "C" PRIMARY KEY,
    account_id  TEXT NOT NULL,
    region      TEXT NOT NULL,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    destination TEXT NOT NULL,
    state       TEXT NOT NULL,
    tags        TEXT NOT NULL
  );
  CREATE INDEX logging_by_scope_time ON logging_configurations (account_id, region, update_time DESC, arn DESC);

  -- Which logging configurations a room lists, in the client's order.
  CREATE TABLE room_logging (
    room_arn    TEXT COLLATE "C" NOT NULL REFERENCES rooms (arn) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    logging_arn TEXT COLLATE "C" NOT NULL REFERENCES logging_configurations (arn),
    PRIMARY KEY (room_arn, position)
  );
  CREATE INDEX room_logging_by_config ON room_logging (logging_arn);

  -- Used chat token ids (single use in the whole cluster), kept until their token expires.
  CREATE TABLE used_chat_tokens (
    token_id   TEXT COLLATE "C" PRIMARY KEY,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX used_chat_tokens_by_expiry ON used_chat_tokens (expires_at);

  -- Named secrets shared by every node (e.g. the chat-token signing key).
  CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
  );
  `,
  `
  -- Bans (BanUser): one per user and room, gone with the room; expire_time NULL = no end (epoch ms).
  CREATE TABLE bans (
    room_arn    TEXT COLLATE "C" NOT NULL REFERENCES rooms (arn) ON DELETE CASCADE,
    user_id     TEXT COLLATE "C" NOT NULL,
    reason      TEXT,
    create_time BIGINT NOT NULL,
    expire_time BIGINT,
    PRIMARY KEY (room_arn, user_id)
  );
  CREATE INDEX bans_by_expiry ON bans (expire_time) WHERE expire_time IS NOT NULL;
  `,
];
