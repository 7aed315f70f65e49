//! One `aeroscrap demo` source per ATS preset, each scraping the loopback [`MockAts`] served
//! on its own port. The configs are what a user writes from the README, plus `base_url`.

use super::mock::MockAts;
use crate::demo::sites::DemoSite;

fn router() -> axum::Router {
    MockAts::new().router()
}

fn available() -> Option<String> {
    None
}

/// Writes one demo source file: the preset keys plus `base_url = "{base}{prefix}"`.
fn config(name: &str, comment: &str, keys: &str, base: &str, prefix: &str) -> String {
    format!(
        "# Demo: {comment}\nname = \"{name}\"\n{keys}\nbase_url = \"{base}{prefix}\"\ndelay_ms = 50\n"
    )
}

fn greenhouse(base: &str) -> String {
    config(
        "demo-ats-greenhouse",
        "an eVTOL maker's Greenhouse board (pay ranges from the per-job call).",
        "kind = \"greenhouse\"\nboard = \"skyward\"",
        base,
        "/greenhouse",
    )
}

fn lever(base: &str) -> String {
    config(
        "demo-ats-lever",
        "a regional airline on Lever, paged with skip/limit.",
        "kind = \"lever\"\ncompany = \"Northwind Regional\"\nsite = \"northwind\"\nlimit = 2",
        base,
        "/lever",
    )
}

fn workday(base: &str) -> String {
    config(
        "demo-ats-workday",
        "an OEM on Workday: POST paging (total on page 1 only) and a detail call per job.",
        "kind = \"workday\"\ncompany = \"Contoso Aerospace\"\ntenant = \"contoso\"\nsite = \"External\"\nlimit = 2",
        base,
        "/workday",
    )
}

fn smartrecruiters(base: &str) -> String {
    config(
        "demo-ats-smartrecruiters",
        "a ground handler on SmartRecruiters (offset/limit, job-ad sections per posting).",
        "kind = \"smartrecruiters\"\ncompany_id = \"BlueJetHandling\"\nlimit = 3",
        base,
        "/smartrecruiters",
    )
}

fn ashby(base: &str) -> String {
    config(
        "demo-ats-ashby",
        "an air-taxi start-up on Ashby (one unlisted job is skipped).",
        "kind = \"ashby\"\ncompany = \"Vertiport Air\"\nboard = \"vertiport\"",
        base,
        "/ashby",
    )
}

fn personio(base: &str) -> String {
    config(
        "demo-ats-personio",
        "an Austrian MRO's Personio XML feed.",
        "kind = \"personio\"\nsubdomain = \"alpenflug\"",
        base,
        "/personio/alpenflug",
    )
}

fn recruitee(base: &str) -> String {
    config(
        "demo-ats-recruitee",
        "a Baltic MRO on Recruitee (drafts are skipped, salaries as strings or numbers).",
        "kind = \"recruitee\"\nsubdomain = \"baltic-mro\"",
        base,
        "/recruitee/baltic-mro",
    )
}

fn successfactors(base: &str) -> String {
    config(
        "demo-ats-successfactors",
        "an airline's SuccessFactors XML job-listing feed (facets matched by label).",
        "kind = \"successfactors\"\ncompany = \"Nordic Air\"\ncompany_id = \"NordicAir\"",
        base,
        "/successfactors",
    )
}

fn rmk(base: &str) -> String {
    config(
        "demo-ats-rmk",
        "an airline's SuccessFactors RMK career site (HTML rows, startrow= paging, job pages).",
        "kind = \"successfactors\"\nmode = \"rmk\"\ncompany = \"Example Air\"",
        base,
        "/rmk",
    )
}

fn oracle(base: &str) -> String {
    config(
        "demo-ats-oracle",
        "an FBO network on Oracle Recruiting Cloud (finder offset/limit until a short page).",
        "kind = \"oracle\"\ncompany = \"Signature Aviation\"\nsite_number = \"CX_1\"\nlimit = 3",
        base,
        "/oracle",
    )
}

/// Writes a demo source file for the mock served at `base`.
type ConfigFn = fn(&str) -> String;

/// The demo sites of the ATS presets.
pub fn sites() -> Vec<DemoSite> {
    let configs: [(&'static str, ConfigFn); 10] = [
        ("demo-ats-greenhouse", greenhouse),
        ("demo-ats-lever", lever),
        ("demo-ats-workday", workday),
        ("demo-ats-smartrecruiters", smartrecruiters),
        ("demo-ats-ashby", ashby),
        ("demo-ats-personio", personio),
        ("demo-ats-recruitee", recruitee),
        ("demo-ats-successfactors", successfactors),
        ("demo-ats-rmk", rmk),
        ("demo-ats-oracle", oracle),
    ];
    configs
        .into_iter()
        .map(|(name, config)| DemoSite {
            name,
            router,
            config,
            unavailable: available,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_demo_config_compiles_and_covers_every_preset() {
        let mut kinds: Vec<&str> = Vec::new();
        for site in sites() {
            let text = (site.config)("http://127.0.0.1:9");
            let cfg = crate::config::parse_source(Path::new(&format!("{}.toml", site.name)), &text)
                .unwrap_or_else(|e| panic!("{}: {e}", site.name));
            assert_eq!(cfg.common.name, site.name);
            cfg.compile()
                .unwrap_or_else(|e| panic!("{}: {e}", site.name));
            kinds.push(cfg.kind.name());
        }
        kinds.sort();
        kinds.dedup();
        let mut all = super::super::PRESET_KINDS.to_vec();
        all.sort();
        assert_eq!(kinds, all);
    }
}
