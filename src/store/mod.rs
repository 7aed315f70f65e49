//! SQLite store: open + migrate, upsert, queries, crawl log, rejects.

pub mod companies;
