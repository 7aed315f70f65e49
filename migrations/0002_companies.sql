-- Company registry: canonical advertisers with their operation type, and the aliases that map
-- other spellings to them. Rows come from the bundled registry (origin 'bundled', synced with
-- INSERT OR IGNORE on every open, so operator edits are never overwritten) and from
-- `aeroscrap companies set|alias` (origin 'user').
CREATE TABLE IF NOT EXISTS companies (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    key            TEXT NOT NULL UNIQUE,
    operation_type TEXT NOT NULL CHECK (operation_type IN ('airline', 'cargo', 'business_aviation',
                       'mro', 'oem', 'airport', 'ground_handling', 'atc', 'training', 'lessor',
                       'recruiter', 'other')),
    is_recruiter   INTEGER NOT NULL DEFAULT 0,
    iata           TEXT,
    icao           TEXT,
    origin         TEXT NOT NULL DEFAULT 'bundled' CHECK (origin IN ('bundled', 'user')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE IF NOT EXISTS company_aliases (
    alias_key  TEXT PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    alias      TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT 'bundled' CHECK (origin IN ('bundled', 'user'))
);
CREATE INDEX IF NOT EXISTS company_aliases_company ON company_aliases (company_id);

-- Fingerprint of the bundled registry last synced, so an unchanged bundle costs one read.
CREATE TABLE IF NOT EXISTS company_registry_sync (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    bundle_hash TEXT NOT NULL,
    synced_at   TEXT NOT NULL
);
