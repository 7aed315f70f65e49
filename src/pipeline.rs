//! Sources → normalizer → deduplicator → store, with one writer fed by a bounded channel.
