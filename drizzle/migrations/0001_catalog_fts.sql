-- Full-text index over catalog_texts (external content, kept in sync by triggers).
-- unicode61 with diacritics removed; prefix indexes for type-ahead; ws_token scopes every
-- query to one workspace inside the FTS index itself.
CREATE VIRTUAL TABLE catalog_fts USING fts5(
  title,
  description,
  body,
  ws_token,
  content='catalog_texts',
  content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2',
  prefix='2 3 4'
);
--> statement-breakpoint
CREATE TRIGGER catalog_texts_ai AFTER INSERT ON catalog_texts BEGIN
  INSERT INTO catalog_fts(rowid, title, description, body, ws_token)
  VALUES (new.rowid, new.title, new.description, new.body, new.ws_token);
END;
--> statement-breakpoint
CREATE TRIGGER catalog_texts_ad AFTER DELETE ON catalog_texts BEGIN
  INSERT INTO catalog_fts(catalog_fts, rowid, title, description, body, ws_token)
  VALUES ('delete', old.rowid, old.title, old.description, old.body, old.ws_token);
END;
--> statement-breakpoint
CREATE TRIGGER catalog_texts_au AFTER UPDATE ON catalog_texts BEGIN
  INSERT INTO catalog_fts(catalog_fts, rowid, title, description, body, ws_token)
  VALUES ('delete', old.rowid, old.title, old.description, old.body, old.ws_token);
  INSERT INTO catalog_fts(rowid, title, description, body, ws_token)
  VALUES (new.rowid, new.title, new.description, new.body, new.ws_token);
END;
