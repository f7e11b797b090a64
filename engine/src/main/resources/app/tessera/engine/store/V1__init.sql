-- Tessera catalogue, schema version 1.
-- Times are Unix epoch milliseconds; file mtimes are nanoseconds. BLOB vectors and codes are
-- little-endian. Items are images and captions alike (a caption can be a query result).

CREATE TABLE roots (
  id           INTEGER PRIMARY KEY,
  path         TEXT    NOT NULL UNIQUE,        -- absolute, normalised folder path
  state        TEXT    NOT NULL DEFAULT 'online' CHECK (state IN ('online', 'offline')),
  added_at     INTEGER NOT NULL,
  last_scan_at INTEGER
);

CREATE TABLE items (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL CHECK (kind IN ('image', 'caption')),
  created_at INTEGER NOT NULL
);

-- One row per distinct image content; several files (copies) may share it.
CREATE TABLE images (
  item_id     INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  fingerprint TEXT    NOT NULL UNIQUE,         -- size + hash of head and tail (see Fingerprint)
  byte_size   INTEGER NOT NULL,
  format      TEXT    NOT NULL,                -- jpeg, png, gif, bmp, webp, tiff, heic-preview, ...
  width       INTEGER NOT NULL,                -- after EXIF orientation
  height      INTEGER NOT NULL,
  decoded_at  INTEGER NOT NULL
);

-- Library files: where an item lives. Rows are only deleted by `tessera prune`.
CREATE TABLE files (
  id            INTEGER PRIMARY KEY,
  root_id       INTEGER NOT NULL REFERENCES roots (id) ON DELETE CASCADE,
  rel_path      TEXT    NOT NULL,              -- relative to the root, '/'-separated
  byte_size     INTEGER NOT NULL,
  mtime_ns      INTEGER NOT NULL,
  fingerprint   TEXT,                          -- null until read
  item_id       INTEGER REFERENCES items (id) ON DELETE SET NULL,
  presence      TEXT    NOT NULL DEFAULT 'present' CHECK (presence IN ('present', 'missing', 'offline')),
  failure       TEXT,                          -- why the file could not be indexed, or null
  sidecar_stamp INTEGER NOT NULL DEFAULT 0,    -- hash of the sidecars' names, sizes and mtimes
  seen_at       INTEGER NOT NULL,
  UNIQUE (root_id, rel_path)
);
CREATE INDEX files_item ON files (item_id);
CREATE INDEX files_fingerprint ON files (fingerprint);

-- A caption is an item of its own, linked to its image.
CREATE TABLE captions (
  item_id   INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  image_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  source    TEXT    NOT NULL CHECK (source IN ('sidecar', 'xmp', 'iptc', 'exif', 'csv', 'user')),
  field     TEXT,                              -- e.g. dc:description, dc:title, Caption-Abstract
  file_id   INTEGER REFERENCES files (id) ON DELETE SET NULL,  -- the file it was read from
  text      TEXT    NOT NULL,
  text_hash TEXT    NOT NULL,                  -- SHA-256 of text, for de-duplication
  note      TEXT,                              -- e.g. truncated, invalid UTF-8 replaced
  UNIQUE (image_id, source, text_hash)
);
CREATE INDEX captions_image ON captions (image_id);

CREATE TABLE labels (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE item_labels (
  item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
  source   TEXT    NOT NULL CHECK (source IN ('xmp', 'iptc', 'csv', 'folder', 'user')),
  PRIMARY KEY (item_id, label_id, source)
) WITHOUT ROWID;
CREATE INDEX item_labels_label ON item_labels (label_id);

-- Free-form attributes, e.g. split = train/val/test from a dataset manifest.
CREATE TABLE item_attributes (
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  key     TEXT    NOT NULL,
  value   TEXT    NOT NULL,
  PRIMARY KEY (item_id, key)
) WITHOUT ROWID;

-- Made once per image content in the same decode pass.
CREATE TABLE thumbnails (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  width   INTEGER NOT NULL,
  height  INTEGER NOT NULL,
  format  TEXT    NOT NULL CHECK (format IN ('jpeg', 'png')),
  bytes   BLOB    NOT NULL
);

-- The encoders' input (sRGB, alpha on white, orientation applied): encoders never re-decode.
CREATE TABLE model_inputs (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  width   INTEGER NOT NULL,
  height  INTEGER NOT NULL,
  format  TEXT    NOT NULL CHECK (format IN ('jpeg', 'png')),
  bytes   BLOB    NOT NULL
);

-- Feature cache: one float32 vector per (item, encoder).
CREATE TABLE features (
  item_id    INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  encoder    TEXT    NOT NULL,
  dim        INTEGER NOT NULL,
  vector     BLOB    NOT NULL,                 -- dim float32, little-endian
  created_at INTEGER NOT NULL,
  PRIMARY KEY (item_id, encoder)
);
CREATE INDEX features_encoder ON features (encoder);

-- Trained hashing models.
CREATE TABLE models (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL,
  method        TEXT    NOT NULL,
  bits          INTEGER NOT NULL CHECK (bits > 0),
  image_encoder TEXT    NOT NULL,
  text_encoder  TEXT    NOT NULL,
  data          TEXT,                          -- what it was trained on
  metrics       TEXT,                          -- JSON
  created_at    INTEGER NOT NULL,
  path          TEXT,                          -- saved model on disk, or
  blob          BLOB                           -- the saved model itself
);

-- Packed codes of one model in large blocks (thousands per row) so a start-up load is a few
-- sequential BLOB reads. item_ids: count int64; codes: count * ceil(bits/64) int64 (BinaryCodes).
CREATE TABLE code_blocks (
  model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  block_no INTEGER NOT NULL,
  count    INTEGER NOT NULL,
  item_ids BLOB    NOT NULL,
  codes    BLOB    NOT NULL,
  PRIMARY KEY (model_id, block_no)
);
