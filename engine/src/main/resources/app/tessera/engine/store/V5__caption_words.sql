-- Tessera catalogue, schema version 5.

-- A full-text index over the captions (SQLite FTS5, ranked by BM25): a text query also matches
-- captions by their words. It holds no copy of the text (external content: the captions table);
-- the triggers keep it in step with every insert, change and delete, cascades included.
CREATE VIRTUAL TABLE caption_words USING fts5(
  text,
  content = 'captions',
  content_rowid = 'item_id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER caption_words_insert AFTER INSERT ON captions BEGIN
  INSERT INTO caption_words (rowid, text) VALUES (new.item_id, new.text);
END;

CREATE TRIGGER caption_words_delete AFTER DELETE ON captions BEGIN
  INSERT INTO caption_words (caption_words, rowid, text) VALUES ('delete', old.item_id, old.text);
END;

CREATE TRIGGER caption_words_update AFTER UPDATE OF text ON captions BEGIN
  INSERT INTO caption_words (caption_words, rowid, text) VALUES ('delete', old.item_id, old.text);
  INSERT INTO caption_words (rowid, text) VALUES (new.item_id, new.text);
END;

-- The captions a library already has.
INSERT INTO caption_words (caption_words) VALUES ('rebuild');
