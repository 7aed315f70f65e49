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
