-- Tessera catalogue, schema version 2.

-- model_inputs: no row when the thumbnail is the model input too (a square image of at most
-- 224 px, stored once); readers then use the thumbnail. Older builds would not know that, hence
-- the new version.

-- files.fingerprint is only read with its row, never searched: its index cost the single writer
-- a random page per new file.
DROP INDEX files_fingerprint;
