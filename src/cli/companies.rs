//! `aeroscrap companies list|show|set|alias|unknown`: the company registry.

use clap::Subcommand;

use super::GlobalArgs;
use crate::error::CmdResult;

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
pub fn run(_g: &GlobalArgs, _c: CompaniesCmd) -> CmdResult {
    super::not_yet("companies")
}
