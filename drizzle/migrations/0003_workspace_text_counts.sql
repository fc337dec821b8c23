-- Text counts per workspace ('' = all workspaces), kept by triggers so the indexer's
-- statements stay as they are. Search compares the workspace's share of the FTS index with
-- this to decide whether `ws_token:<ws> AND …` (walks the workspace's whole doclist for bm25)
-- or a plain MATCH filtered by join (walks other workspaces' hits) is cheaper.
INSERT INTO catalog_workspace_texts (workspace_id, texts)
SELECT workspace_id, count(*) FROM catalog_texts GROUP BY workspace_id;
--> statement-breakpoint
INSERT INTO catalog_workspace_texts (workspace_id, texts) SELECT '', count(*) FROM catalog_texts;
--> statement-breakpoint
CREATE TRIGGER catalog_texts_count_ai AFTER INSERT ON catalog_texts BEGIN
  INSERT INTO catalog_workspace_texts (workspace_id, texts) VALUES (new.workspace_id, 1), ('', 1)
  ON CONFLICT (workspace_id) DO UPDATE SET texts = texts + 1;
END;
--> statement-breakpoint
CREATE TRIGGER catalog_texts_count_ad AFTER DELETE ON catalog_texts BEGIN
  UPDATE catalog_workspace_texts SET texts = texts - 1 WHERE workspace_id IN (old.workspace_id, '');
END;
--> statement-breakpoint
CREATE TRIGGER catalog_texts_count_au AFTER UPDATE OF workspace_id ON catalog_texts
WHEN old.workspace_id IS NOT new.workspace_id BEGIN
  UPDATE catalog_workspace_texts SET texts = texts - 1 WHERE workspace_id = old.workspace_id;
  INSERT INTO catalog_workspace_texts (workspace_id, texts) VALUES (new.workspace_id, 1)
  ON CONFLICT (workspace_id) DO UPDATE SET texts = texts + 1;
END;
