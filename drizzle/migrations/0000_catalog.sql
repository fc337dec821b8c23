CREATE TABLE `catalog_items` (
	`workspace_id` text NOT NULL,
	`item_type` text NOT NULL,
	`item_id` text NOT NULL,
	`version` integer NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`state` text NOT NULL,
	`origin` text NOT NULL,
	`default_lang` text NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`media_refs` text DEFAULT '[]' NOT NULL,
	`payload` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`changed_at` integer NOT NULL,
	`indexed_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `item_type`, `item_id`)
);
--> statement-breakpoint
CREATE INDEX `catalog_items_ws_state_updated` ON `catalog_items` (`workspace_id`,`state`,`updated_at`);--> statement-breakpoint
CREATE INDEX `catalog_items_ws_type_state` ON `catalog_items` (`workspace_id`,`item_type`,`state`);--> statement-breakpoint
CREATE TABLE `catalog_tags` (
	`workspace_id` text NOT NULL,
	`item_type` text NOT NULL,
	`item_id` text NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `item_type`, `item_id`, `tag`)
);
--> statement-breakpoint
CREATE INDEX `catalog_tags_ws_tag` ON `catalog_tags` (`workspace_id`,`tag`);--> statement-breakpoint
CREATE TABLE `catalog_texts` (
	`rowid` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`item_type` text NOT NULL,
	`item_id` text NOT NULL,
	`lang` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`ws_token` text GENERATED ALWAYS AS ('w' || lower(hex(workspace_id))) VIRTUAL
);
--> statement-breakpoint
CREATE INDEX `catalog_texts_ws_item_lang` ON `catalog_texts` (`workspace_id`,`item_type`,`item_id`,`lang`);--> statement-breakpoint
CREATE TABLE `indexer_stats` (
	`key` text PRIMARY KEY NOT NULL,
	`last_changed_at` integer NOT NULL,
	`last_applied_at` integer NOT NULL,
	`last_lag_ms` integer NOT NULL
);
