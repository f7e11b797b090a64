-- Tessera catalogue, schema version 3.

-- Settings of the library itself, e.g. active_model = the id of the model searches use by default.
-- A library without a row keeps the defaults.
CREATE TABLE library_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
