CREATE TABLE `catalog_workspace_texts` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`texts` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `catalog_items_search_filter` ON `catalog_items` (`workspace_id`,`item_type`,`item_id`,`deleted`,`state`,`default_lang`);