//! The company registry in the database: bundled entries, operator edits, aliases.
//!
//! The bundled registry (data/companies.txt) is synced into `companies` / `company_aliases`
//! with `INSERT OR IGNORE`, so whatever the operator changed with `aeroscrap companies
//! set|alias` wins over the bundle; a fingerprint row makes an unchanged bundle cost one read.
//! [`load_registry`] then builds the [`CompanyRegistry`] the normalizer uses from the tables.

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::model::OperationType;
use crate::normalize::company::{bundle_fingerprint, bundled_entries, keyword_operation_type};
use crate::normalize::{CompanyEntry, CompanyRegistry, Origin, company_key};

/// The schema of the company tables (migrations/0002_companies.sql; idempotent).
pub const MIGRATION: &str = include_str!("../../migrations/0002_companies.sql");

/// One company as stored, with its aliases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyRow {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Matching key.
    pub key: String,
    /// Operation type (vocabulary word).
    pub operation_type: String,
    /// Recruiter / staffing agency / job board.
    pub is_recruiter: bool,
    /// IATA airline code.
    pub iata: Option<String>,
    /// ICAO airline code.
    pub icao: Option<String>,
    /// `bundled` or `user`.
    pub origin: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// Other names (as written).
    pub aliases: Vec<String>,
}

/// An advertiser seen in jobs that the registry does not know.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownCompany {
    /// Company as displayed in the jobs (the most frequent spelling).
    pub name: String,
    /// Its matching key.
    pub key: String,
    /// Number of jobs.
    pub jobs: i64,
    /// What the keyword rules make of it.
    pub suggested_operation_type: String,
}

/// Creates the company tables if they are missing.
pub fn ensure_schema(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(MIGRATION)
}

/// Syncs the bundled registry into the tables (INSERT OR IGNORE: operator edits win).
/// Returns the number of rows inserted (0 when the bundle was already synced).
pub fn sync_bundled(conn: &Connection) -> rusqlite::Result<usize> {
    ensure_schema(conn)?;
    let fingerprint = bundle_fingerprint();
    let synced: Option<String> = conn
        .query_row(
            "SELECT bundle_hash FROM company_registry_sync WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if synced.as_deref() == Some(fingerprint.as_str()) {
        return Ok(0);
    }
    let tx = conn.unchecked_transaction()?;
    let mut inserted = 0;
    {
        let mut company = tx.prepare(
            "INSERT OR IGNORE INTO companies (name, key, operation_type, is_recruiter, iata, icao, origin)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'bundled')",
        )?;
        let mut alias = tx.prepare(
            "INSERT OR IGNORE INTO company_aliases (alias_key, company_id, alias, origin)
             SELECT ?1, id, ?2, 'bundled' FROM companies WHERE key = ?3",
        )?;
        for e in bundled_entries() {
            inserted += company.execute(params![
                e.name,
                e.key,
                e.operation_type.as_str(),
                e.is_recruiter,
                e.iata,
                e.icao
            ])?;
        }
        for e in bundled_entries() {
            for a in &e.aliases {
                let k = company_key(a);
                if !k.is_empty() && k != e.key {
                    inserted += alias.execute(params![k, a, e.key])?;
                }
            }
        }
    }
    tx.execute(
        "INSERT INTO company_registry_sync (id, bundle_hash, synced_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET bundle_hash = excluded.bundle_hash, synced_at = excluded.synced_at",
        params![fingerprint, now()],
    )?;
    tx.commit()?;
    Ok(inserted)
}

/// Loads the registry (bundled entries plus operator edits) from the database, syncing the
/// bundled entries first.
pub fn load_registry(conn: &Connection) -> rusqlite::Result<CompanyRegistry> {
    sync_bundled(conn)?;
    let rows = list(conn)?;
    // Bundled rows first, operator rows last: on a clash the operator's entry wins.
    let (mut bundled, user): (Vec<CompanyRow>, Vec<CompanyRow>) =
        rows.into_iter().partition(|r| r.origin == "bundled");
    bundled.extend(user);
    let entries = bundled
        .into_iter()
        .map(|r| CompanyEntry {
            operation_type: OperationType::parse(&r.operation_type).unwrap_or(OperationType::Other),
            is_recruiter: r.is_recruiter,
            origin: if r.origin == "user" {
                Origin::User
            } else {
                Origin::Bundled
            },
            name: r.name,
            key: r.key,
            iata: r.iata,
            icao: r.icao,
            aliases: r.aliases,
        })
        .collect();
    let mut reg = CompanyRegistry::from_entries(entries);
    // Operator aliases may point a name at another company than the bundle did: apply them last.
    let mut stmt = conn.prepare(
        "SELECT a.alias, c.key FROM company_aliases a JOIN companies c ON c.id = a.company_id
         WHERE a.origin = 'user'",
    )?;
    let user_aliases = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (alias, key) in user_aliases {
        reg.add_alias(&alias, &key);
    }
    Ok(reg)
}

/// Every stored company with its aliases, by name.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<CompanyRow>> {
    let mut aliases: std::collections::HashMap<i64, Vec<String>> = Default::default();
    let mut stmt = conn.prepare("SELECT company_id, alias FROM company_aliases ORDER BY alias")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, alias) = row?;
        aliases.entry(id).or_default().push(alias);
    }
    let mut stmt = conn.prepare(
        "SELECT id, name, key, operation_type, is_recruiter, iata, icao, origin, updated_at
         FROM companies ORDER BY name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(CompanyRow {
                id: r.get(0)?,
                name: r.get(1)?,
                key: r.get(2)?,
                operation_type: r.get(3)?,
                is_recruiter: r.get(4)?,
                iata: r.get(5)?,
                icao: r.get(6)?,
                origin: r.get(7)?,
                updated_at: r.get(8)?,
                aliases: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|mut r| {
            r.aliases = aliases.remove(&r.id).unwrap_or_default();
            r
        })
        .collect())
}

/// The stored company a name or alias stands for (legal forms and aliases resolved).
pub fn find(conn: &Connection, name: &str) -> rusqlite::Result<Option<CompanyRow>> {
    let key = company_key(name);
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM companies WHERE key = ?1
             UNION ALL SELECT company_id FROM company_aliases WHERE alias_key = ?1 LIMIT 1",
            params![key],
            |r| r.get(0),
        )
        .optional()?;
    let id = match id {
        Some(id) => Some(id),
        // Codes, parenthesised aliases, "… Airlines" variants: ask the registry.
        None => match load_registry(conn)?.lookup(name) {
            Some(e) => conn
                .query_row(
                    "SELECT id FROM companies WHERE key = ?1",
                    params![e.key],
                    |r| r.get(0),
                )
                .optional()?,
            None => None,
        },
    };
    Ok(id.and_then(|id| list(conn).ok()?.into_iter().find(|r| r.id == id)))
}

/// What [`set_operation_type`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetOutcome {
    /// The company after the change.
    pub company: CompanyRow,
    /// True when the company was new.
    pub created: bool,
    /// Jobs whose operation type was updated.
    pub jobs_updated: usize,
}

/// Sets a company's operation type, creating the company (origin `user`) when unknown, and
/// updates the stored jobs of that company.
pub fn set_operation_type(
    conn: &Connection,
    name: &str,
    op: OperationType,
) -> rusqlite::Result<SetOutcome> {
    sync_bundled(conn)?;
    let existing = find(conn, name)?;
    let created = existing.is_none();
    let key = match existing {
        Some(c) => {
            conn.execute(
                "UPDATE companies SET operation_type = ?1, is_recruiter = ?2, origin = 'user',
                 updated_at = ?3 WHERE id = ?4",
                params![op.as_str(), op == OperationType::Recruiter, now(), c.id],
            )?;
            c.key
        }
        None => {
            let key = company_key(name);
            conn.execute(
                "INSERT INTO companies (name, key, operation_type, is_recruiter, origin, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'user', ?5)",
                params![name.trim(), key, op.as_str(), op == OperationType::Recruiter, now()],
            )?;
            key
        }
    };
    let jobs_updated = if jobs_table_has(conn, &["company_key", "operation_type"])? {
        conn.execute(
            "UPDATE jobs SET operation_type = ?1 WHERE company_key = ?2",
            params![op.as_str(), key],
        )?
    } else {
        0
    };
    let company = find(conn, &key)?.expect("company just written");
    Ok(SetOutcome {
        company,
        created,
        jobs_updated,
    })
}

/// Declares `alias` another name of `company`. `Ok(None)` when the company is unknown.
/// Jobs stored under the alias's key are re-keyed to the company.
pub fn add_alias(
    conn: &Connection,
    alias: &str,
    company: &str,
) -> rusqlite::Result<Option<(CompanyRow, usize)>> {
    sync_bundled(conn)?;
    let Some(c) = find(conn, company)? else {
        return Ok(None);
    };
    let alias_key = company_key(alias);
    if alias_key.is_empty() || alias_key == c.key {
        return Ok(Some((c, 0)));
    }
    conn.execute(
        "INSERT INTO company_aliases (alias_key, company_id, alias, origin) VALUES (?1, ?2, ?3, 'user')
         ON CONFLICT (alias_key) DO UPDATE SET company_id = excluded.company_id,
         alias = excluded.alias, origin = 'user'",
        params![alias_key, c.id, alias.trim()],
    )?;
    conn.execute(
        "UPDATE companies SET updated_at = ?1 WHERE id = ?2",
        params![now(), c.id],
    )?;
    let jobs_updated = if jobs_table_has(conn, &["company_key", "operation_type"])? {
        let n = conn.execute(
            "UPDATE jobs SET company_key = ?1, operation_type = ?2 WHERE company_key = ?3",
            params![c.key, c.operation_type, alias_key],
        )?;
        // The matcher blocks on the key: move the stored blocking key, match features and
        // match keys too, so new listings under the canonical name still find these jobs.
        if jobs_table_has(conn, &["block_key", "match_features"])? {
            let moved: Vec<i64> = conn
                .prepare("SELECT id FROM jobs WHERE block_key = ?1")?
                .query_map([&alias_key], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let moved = serde_json::to_string(&moved).unwrap_or_else(|_| "[]".into());
            let these = "j.id IN (SELECT value FROM json_each(?1))";
            crate::store::blocking::unfile_jobs(conn, these, &[&moved])?;
            conn.execute(
                "UPDATE jobs SET block_key = ?1,
                    match_features = CASE WHEN json_valid(match_features)
                        THEN json_set(match_features, '$.company_key', ?1) ELSE match_features END
                 WHERE block_key = ?2",
                params![c.key, alias_key],
            )?;
            crate::store::blocking::file_jobs(conn, these, &[&moved])?;
        }
        n
    } else {
        0
    };
    Ok(find(conn, &c.key)?.map(|c| (c, jobs_updated)))
}

/// Company names in jobs whose key the registry does not know, most frequent first.
pub fn unknown(
    conn: &Connection,
    registry: &CompanyRegistry,
    limit: usize,
) -> rusqlite::Result<Vec<UnknownCompany>> {
    if !jobs_table_has(conn, &["company", "company_key"])? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(
        "SELECT company_key, company, COUNT(*) AS n FROM jobs
         WHERE company IS NOT NULL AND company <> '' AND company_key IS NOT NULL
         GROUP BY company_key, company ORDER BY company_key, n DESC",
    )?;
    let mut out: Vec<UnknownCompany> = Vec::new();
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })? {
        let (key, name, n) = row?;
        if registry.lookup(&name).is_some() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.key == key => last.jobs += n,
            _ => out.push(UnknownCompany {
                suggested_operation_type: keyword_operation_type(&key)
                    .unwrap_or(OperationType::Other)
                    .as_str()
                    .to_string(),
                name,
                key,
                jobs: n,
            }),
        }
    }
    out.sort_by(|a, b| b.jobs.cmp(&a.jobs).then_with(|| a.name.cmp(&b.name)));
    out.truncate(limit);
    Ok(out)
}

fn jobs_table_has(conn: &Connection, columns: &[&str]) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('jobs')")?;
    let have: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(columns.iter().all(|c| have.iter().any(|h| h == c)))
}

fn now() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE jobs (id INTEGER PRIMARY KEY, company TEXT, company_key TEXT, operation_type TEXT);",
        )
        .unwrap();
        c
    }

    #[test]
    fn bundled_registry_is_synced_once_and_loaded() {
        let c = db();
        let first = sync_bundled(&c).unwrap();
        assert!(first > 400, "inserted {first}");
        assert_eq!(
            sync_bundled(&c).unwrap(),
            0,
            "unchanged bundle is not re-synced"
        );
        let reg = load_registry(&c).unwrap();
        assert_eq!(reg.lookup("Ryanair DAC").unwrap().name, "Ryanair");
        assert_eq!(
            reg.lookup("InterGlobe Aviation Ltd").unwrap().name,
            "IndiGo"
        );
    }

    #[test]
    fn operator_edits_win_over_the_bundle() {
        let c = db();
        c.execute(
            "INSERT INTO jobs (company, company_key, operation_type) VALUES ('Cargolux', 'cargolux', 'cargo')",
            [],
        )
        .unwrap();
        let out = set_operation_type(
            &c,
            "Cargolux Airlines International S.A.",
            OperationType::Airline,
        )
        .unwrap();
        assert_eq!(
            (out.created, out.jobs_updated, out.company.origin.as_str()),
            (false, 1, "user")
        );
        // A re-sync (new bundle) must not undo it.
        c.execute("DELETE FROM company_registry_sync", []).unwrap();
        sync_bundled(&c).unwrap();
        let reg = load_registry(&c).unwrap();
        assert_eq!(
            reg.lookup("Cargolux").unwrap().operation_type,
            OperationType::Airline
        );
        let op: String = c
            .query_row("SELECT operation_type FROM jobs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(op, "airline");
    }

    #[test]
    fn new_company_alias_and_unknown_list() {
        let c = db();
        for (name, key) in [
            ("Skyhigh Air Charter", "skyhigh air charter"),
            ("Skyhigh Charter", "skyhigh charter"),
            ("Skyhigh Charter", "skyhigh charter"),
            ("Ryanair DAC", "ryanair"),
        ] {
            c.execute(
                "INSERT INTO jobs (company, company_key) VALUES (?1, ?2)",
                params![name, key],
            )
            .unwrap();
        }
        let reg = load_registry(&c).unwrap();
        let unknown_now = super::unknown(&c, &reg, 10).unwrap();
        assert_eq!(
            unknown_now
                .iter()
                .map(|u| (u.name.as_str(), u.jobs, u.suggested_operation_type.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("Skyhigh Charter", 2, "business_aviation"),
                ("Skyhigh Air Charter", 1, "business_aviation")
            ]
        );
        let out =
            set_operation_type(&c, "Skyhigh Air Charter", OperationType::BusinessAviation).unwrap();
        assert!(out.created);
        let (row, moved) = add_alias(&c, "Skyhigh Charter", "Skyhigh Air Charter")
            .unwrap()
            .unwrap();
        assert_eq!((row.name.as_str(), moved), ("Skyhigh Air Charter", 2));
        assert_eq!(row.aliases, vec!["Skyhigh Charter"]);
        let reg = load_registry(&c).unwrap();
        assert_eq!(
            reg.lookup("Skyhigh Charter Ltd").unwrap().name,
            "Skyhigh Air Charter"
        );
        assert!(unknown(&c, &reg, 10).unwrap().is_empty());
        assert!(add_alias(&c, "X", "No Such Company").unwrap().is_none());
    }
}
