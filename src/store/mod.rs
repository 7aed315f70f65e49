//! SQLite store: open + migrate, upsert, queries, crawl log, rejects.
