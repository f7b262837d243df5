/**
 * SQLite schema migrations, applied in order at open. The array index + 1 is the schema
 * version kept in `PRAGMA user_version`; a migration, once released, never changes: add a new
 * one instead.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE rooms (
    arn             TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL,
    region          TEXT NOT NULL,
    id              TEXT NOT NULL,
    name            TEXT NOT NULL,
    create_time     INTEGER NOT NULL,
    update_time     INTEGER NOT NULL,
    max_rate        INTEGER NOT NULL,
    max_length      INTEGER NOT NULL,
    review_uri      TEXT,
    review_fallback TEXT,
    tags            TEXT NOT NULL
  );
  CREATE INDEX rooms_by_scope_time ON rooms (account_id, region, update_time DESC, arn DESC);

  CREATE TABLE logging_configurations (
    arn         TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    region      TEXT NOT NULL,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    destination TEXT NOT NULL,
    state       TEXT NOT NULL,
    tags        TEXT NOT NULL
  );
  CREATE INDEX logging_by_scope_time ON logging_configurations (account_id, region, update_time DESC, arn DESC);

  -- Which logging configurations a room lists, in the client's order.
  CREATE TABLE room_logging (
    room_arn    TEXT NOT NULL REFERENCES rooms (arn) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    logging_arn TEXT NOT NULL REFERENCES logging_configurations (arn),
    PRIMARY KEY (room_arn, position)
  );
  CREATE INDEX room_logging_by_config ON room_logging (logging_arn);
  `,
  `
  -- Used chat token ids (single use across restarts), kept until their token expires (epoch ms).
  CREATE TABLE used_chat_tokens (
    token_id   TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX used_chat_tokens_by_expiry ON used_chat_tokens (expires_at);
  `,
  `
  -- Named secrets shared by everything that opens this store (e.g. the chat-token signing key).
  CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- Bans (BanUser): one per user and room, gone with the room; expire_time NULL = no end (epoch ms).
  CREATE TABLE bans (
    room_arn    TEXT NOT NULL REFERENCES rooms (arn) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    reason      TEXT,
    create_time INTEGER NOT NULL,
    expire_time INTEGER,
    PRIMARY KEY (room_arn, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX bans_by_expiry ON bans (expire_time) WHERE expire_time IS NOT NULL;
  `,
];
