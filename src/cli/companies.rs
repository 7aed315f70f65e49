//! `aeroscrap companies list|show|set|alias|unknown`: the company registry.

use anyhow::Context;
use clap::Subcommand;

use super::GlobalArgs;
use crate::error::{CliError, CmdResult, Exit};
use crate::model::OperationType;
use crate::store::Store;
use crate::store::companies::{self, CompanyRow};

/// Subcommands of `aeroscrap companies`.
#[derive(Debug, Subcommand)]
pub enum CompaniesCmd {
    /// Every known company with its operation type.
    List {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// One company with its aliases.
    Show {
        /// Company name or alias.
        name: String,
    },
    /// Set a company's operation type (creating it if needed).
    Set {
        /// Company name.
        name: String,
        /// Operation type (airline, cargo, business_aviation, mro, oem, airport, ground_handling,
        /// atc, training, lessor, recruiter, other).
        #[arg(long)]
        operation_type: String,
    },
    /// Declare NAME an alias of COMPANY.
    Alias {
        /// Alias.
        alias: String,
        /// Canonical company name.
        company: String,
    },
    /// Advertisers seen in jobs that the registry does not know.
    Unknown {
        /// At most N names.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

/// Runs `aeroscrap companies …`.
pub fn run(g: &GlobalArgs, c: CompaniesCmd) -> CmdResult {
    let store = Store::open(&g.db)?;
    let conn = store.conn();
    let ctx = || format!("database {}", g.db.display());
    match c {
        CompaniesCmd::List { json } => {
            companies::sync_bundled(conn).with_context(ctx)?;
            let rows = companies::list(conn).with_context(ctx)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                println!(
                    "{:<40} {:<18} {:<6} {:<7} ALIASES",
                    "NAME", "OPERATION_TYPE", "CODES", "ORIGIN"
                );
                for r in &rows {
                    let codes = [r.iata.as_deref(), r.icao.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("/");
                    println!(
                        "{:<40} {:<18} {:<6} {:<7} {}",
                        r.name,
                        r.operation_type,
                        codes,
                        r.origin,
                        r.aliases.len()
                    );
                }
                println!("{} companies", rows.len());
            }
            Ok(Exit::Success)
        }
        CompaniesCmd::Show { name } => {
            companies::sync_bundled(conn).with_context(ctx)?;
            match companies::find(conn, &name).with_context(ctx)? {
                Some(r) => {
                    print_company(&r);
                    Ok(Exit::Success)
                }
                None => Err(CliError::config(anyhow::anyhow!(
                    "no company or alias {name:?} in the registry of {} (see `aeroscrap companies unknown`, then `companies set` or `companies alias`)",
                    g.db.display()
                ))),
            }
        }
        CompaniesCmd::Set {
            name,
            operation_type,
        } => {
            let op = OperationType::parse(operation_type.trim()).ok_or_else(|| {
                CliError::config(anyhow::anyhow!(
                    "--operation-type {operation_type:?} is not one of airline, cargo, business_aviation, mro, oem, airport, ground_handling, atc, training, lessor, recruiter, other"
                ))
            })?;
            if name.trim().is_empty() {
                return Err(CliError::config(anyhow::anyhow!("company name is empty")));
            }
            let out = companies::set_operation_type(conn, &name, op).with_context(ctx)?;
            println!(
                "{} {} as {} ({} stored jobs updated)",
                if out.created { "added" } else { "updated" },
                out.company.name,
                out.company.operation_type,
                out.jobs_updated
            );
            Ok(Exit::Success)
        }
        CompaniesCmd::Alias { alias, company } => {
            match companies::add_alias(conn, &alias, &company).with_context(ctx)? {
                Some((row, moved)) => {
                    println!(
                        "{alias:?} is now an alias of {} ({moved} stored jobs re-keyed)",
                        row.name
                    );
                    Ok(Exit::Success)
                }
                None => Err(CliError::config(anyhow::anyhow!(
                    "no company {company:?} in the registry of {}: create it first with `aeroscrap companies set {company:?} --operation-type …`",
                    g.db.display()
                ))),
            }
        }
        CompaniesCmd::Unknown { limit } => {
            let registry = companies::load_registry(conn).with_context(ctx)?;
            let rows = companies::unknown(conn, &registry, limit).with_context(ctx)?;
            if rows.is_empty() {
                println!("every company in the stored jobs is known to the registry");
            } else {
                println!("{:>6}  {:<40} SUGGESTED", "JOBS", "COMPANY");
                for u in &rows {
                    println!(
                        "{:>6}  {:<40} {}",
                        u.jobs, u.name, u.suggested_operation_type
                    );
                }
            }
            Ok(Exit::Success)
        }
    }
}

fn print_company(r: &CompanyRow) {
    println!("name:           {}", r.name);
    println!("key:            {}", r.key);
    println!("operation_type: {}", r.operation_type);
    println!(
        "recruiter:      {}",
        if r.is_recruiter { "yes" } else { "no" }
    );
    if let Some(i) = &r.iata {
        println!("iata:           {i}");
    }
    if let Some(i) = &r.icao {
        println!("icao:           {i}");
    }
    println!("origin:         {}", r.origin);
    println!("updated_at:     {}", r.updated_at);
    println!("aliases:        {}", r.aliases.join("; "));
}
