//! CSV / JSON / JSONL writers for canonical jobs (ARCHITECTURE §4).
