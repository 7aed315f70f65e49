//! The shipped `scrapers/ats-*.toml` files.

#[test]
fn every_shipped_ats_scraper_builds_and_says_it_is_unverified() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scrapers");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if !file.starts_with("ats-") || !file.ends_with(".toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# not verified live"), "{file}");
        let mut table: toml::Table = toml::from_str(&text).unwrap();
        let name = table.remove("name").unwrap();
        assert_eq!(
            format!("ats-{}.toml", name.as_str().unwrap()),
            file,
            "file name follows the source name"
        );
        for common in ["enabled", "company"] {
            table.remove(common);
        }
        let kind = table.remove("kind").unwrap();
        let cfg = aeroscrap::sources::ats::AtsConfig::parse(kind.as_str().unwrap(), table)
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        cfg.build(name.as_str().unwrap(), None)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} ats-*.toml files");
}

#[test]
fn the_readme_has_a_compiling_example_of_every_preset() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let mut kinds = Vec::new();
    let mut block: Option<String> = None;
    for line in readme.lines() {
        match (&mut block, line.trim_start()) {
            (None, "```toml") => block = Some(String::new()),
            (Some(b), "```") => {
                let text = std::mem::take(b);
                block = None;
                if !text.contains("\nkind = \"") {
                    continue;
                }
                let cfg = aeroscrap::config::parse_source(std::path::Path::new("README.md"), &text)
                    .unwrap_or_else(|e| panic!("{e}\n{text}"));
                if !aeroscrap::sources::ats::PRESET_KINDS.contains(&cfg.kind.name()) {
                    continue;
                }
                cfg.compile().unwrap_or_else(|e| panic!("{e}\n{text}"));
                kinds.push(cfg.kind.name());
            }
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    for preset in aeroscrap::sources::ats::PRESET_KINDS {
        assert!(
            kinds.contains(&preset),
            "no README example of kind = \"{preset}\""
        );
    }
}
