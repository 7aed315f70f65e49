//! `aeroscrap stats`: counts by source, country, operation type, category, status and day.

use clap::Args;
use serde_json::{Map, Value, json};

use super::GlobalArgs;
use crate::error::{CmdResult, Exit};
use crate::store::Store;
use crate::store::query::StatsKey;

/// Arguments of `aeroscrap stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Runs `aeroscrap stats`.
pub fn run(g: &GlobalArgs, a: StatsArgs) -> CmdResult {
    let store = Store::open(&g.db)?;
    let (jobs, listings, rejects) = store.totals()?;
    let mut groups = Vec::new();
    for key in StatsKey::ALL {
        groups.push((key.name(), store.count_jobs_by(key)?));
    }
    if a.json {
        let mut out = Map::new();
        out.insert(
            "totals".into(),
            json!({"jobs": jobs, "listings": listings, "rejects": rejects}),
        );
        for (name, rows) in &groups {
            let obj: Map<String, Value> = rows
                .iter()
                .map(|(k, n)| (k.clone(), Value::from(*n)))
                .collect();
            out.insert(format!("by_{name}"), Value::Object(obj));
        }
        println!("{}", serde_json::to_string_pretty(&Value::Object(out))?);
    } else {
        println!("jobs {jobs}   listings {listings}   rejects {rejects}");
        for (name, rows) in &groups {
            println!("\nby {name}:");
            for (k, n) in rows {
                println!("  {n:>8}  {k}");
            }
        }
    }
    Ok(Exit::Success)
}
