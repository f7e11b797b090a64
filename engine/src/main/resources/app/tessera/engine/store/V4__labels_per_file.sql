-- Tessera catalogue, schema version 4.

-- Labels read from a file (XMP, IPTC, its folder name) remember that file: an item that several
-- files hold (copies) has the union of their labels, and a file read again replaces only its own.
-- Before, a copy replaced the item's labels with its own, so an item's labels depended on which
-- file was read last. Labels of other sources (csv, user) belong to no file.
CREATE TABLE item_labels_v4 (
  item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
  source   TEXT    NOT NULL CHECK (source IN ('xmp', 'iptc', 'csv', 'folder', 'user')),
  file_id  INTEGER REFERENCES files (id) ON DELETE CASCADE  -- the file it was read from, or null
);

-- Which file gave a label is not known for older rows: each file of the item keeps it, so no label
-- is lost, and each file read again then replaces its own.
INSERT INTO item_labels_v4 (item_id, label_id, source, file_id)
  SELECT il.item_id, il.label_id, il.source, f.id
    FROM item_labels il JOIN files f ON f.item_id = il.item_id
   WHERE il.source IN ('xmp', 'iptc', 'folder');
INSERT INTO item_labels_v4 (item_id, label_id, source, file_id)
  SELECT il.item_id, il.label_id, il.source, NULL
    FROM item_labels il
   WHERE il.source NOT IN ('xmp', 'iptc', 'folder')
      OR NOT EXISTS (SELECT 1 FROM files f WHERE f.item_id = il.item_id);

DROP TABLE item_labels;
ALTER TABLE item_labels_v4 RENAME TO item_labels;
CREATE UNIQUE INDEX item_labels_key ON item_labels (item_id, label_id, source, ifnull(file_id, 0));
CREATE INDEX item_labels_label ON item_labels (label_id);
CREATE INDEX item_labels_file ON item_labels (file_id);
