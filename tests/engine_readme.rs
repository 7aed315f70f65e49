//! The source-config examples in README.md are complete and valid: people write configs from
//! the README alone.

use std::path::Path;

use aeroscrap::config::parse_source;

fn toml_blocks(readme: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut cur: Option<String> = None;
    for line in readme.lines() {
        match (&mut cur, line.trim_start()) {
            (None, "```toml") => cur = Some(String::new()),
            (Some(b), "```") => {
                blocks.push(std::mem::take(b));
                cur = None;
            }
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn every_source_example_in_the_readme_compiles() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    // SAFETY: only this test binary reads this variable.
    unsafe { std::env::set_var("NORDIC_API_KEY", "readme-example") };
    let sources: Vec<String> = toml_blocks(&readme)
        .into_iter()
        .filter(|b| b.contains("\nkind = \"") || b.starts_with("name = "))
        .collect();
    let kinds: Vec<String> = sources
        .iter()
        .map(|text| {
            let cfg = parse_source(Path::new("README.md"), text)
                .unwrap_or_else(|e| panic!("{e}\n{text}"));
            cfg.compile().unwrap_or_else(|e| panic!("{e}\n{text}"));
            cfg.kind.name().to_owned()
        })
        .collect();
    for k in ["html", "json", "jsonld"] {
        assert!(
            kinds.iter().any(|x| x == k),
            "no complete {k} example in README.md"
        );
    }
}

#[test]
fn the_global_config_example_in_the_readme_parses() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let global = toml_blocks(&readme)
        .into_iter()
        .find(|b| b.starts_with("contact = "))
        .expect("a global config example");
    let g = aeroscrap::config::GlobalConfig::parse(Path::new("aeroscrap.toml"), &global).unwrap();
    assert_eq!(
        g.politeness_defaults(),
        aeroscrap::fetch::Politeness::default()
    );
}
