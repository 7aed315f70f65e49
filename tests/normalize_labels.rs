//! Accuracy of the classifiers on hand-labelled tables (tests/data/labels_*.tsv): country from
//! locations, operation type from companies, category and seniority from titles. Each must be
//! at least 95 % right; misses are printed.

use aeroscrap::model::RawRecord;
use aeroscrap::normalize::{CompanyRegistry, Normalizer};

const MIN_ACCURACY: f64 = 0.95;

fn rows(tsv: &'static str) -> Vec<Vec<&'static str>> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect()
}

fn record(title: &str, company: Option<&str>, location: Option<&str>) -> RawRecord {
    RawRecord {
        source: "labels".into(),
        url: "https://example.com/job/1".into(),
        title: title.into(),
        company: company.map(String::from),
        location: location.map(String::from),
        scraped_at: Some("2025-12-03T07:30:00Z".into()),
        ..Default::default()
    }
}

fn check(name: &str, results: Vec<(String, String, String)>) -> f64 {
    let right = results.iter().filter(|(_, want, got)| want == got).count();
    let acc = right as f64 / results.len() as f64;
    println!("{name}: {right}/{} = {:.1}%", results.len(), acc * 100.0);
    for (input, want, got) in results.iter().filter(|(_, w, g)| w != g) {
        println!("  {name} MISS {input:?}: want {want}, got {got}");
    }
    acc
}

#[test]
fn classifier_accuracy_on_labelled_tables() {
    let n = Normalizer::new(CompanyRegistry::bundled());

    let locations = rows(include_str!("data/labels_locations.tsv"));
    assert!(
        locations.len() >= 150,
        "{} location labels",
        locations.len()
    );
    let country = check(
        "country",
        locations
            .iter()
            .map(|r| {
                let j = n.normalize(record("Job", None, Some(r[0]))).unwrap();
                (
                    r[0].to_string(),
                    r[1].to_string(),
                    j.country_code.unwrap_or("-".into()),
                )
            })
            .collect(),
    );

    let companies = rows(include_str!("data/labels_companies.tsv"));
    assert!(companies.len() >= 100, "{} company labels", companies.len());
    let operation = check(
        "operation_type",
        companies
            .iter()
            .map(|r| {
                let j = n.normalize(record("Job", Some(r[0]), None)).unwrap();
                let got = j.operation_type.map(|o| o.as_str().to_string());
                (
                    r[0].to_string(),
                    r[1].to_string(),
                    got.unwrap_or("-".into()),
                )
            })
            .collect(),
    );

    let titles = rows(include_str!("data/labels_titles.tsv"));
    assert!(titles.len() >= 150, "{} title labels", titles.len());
    let normalized: Vec<_> = titles
        .iter()
        .map(|r| (r, n.normalize(record(r[0], None, None)).unwrap()))
        .collect();
    let category = check(
        "category",
        normalized
            .iter()
            .map(|(r, j)| {
                let got = j.category.map(|c| c.as_str().to_string());
                (
                    r[0].to_string(),
                    r[1].to_string(),
                    got.unwrap_or("-".into()),
                )
            })
            .collect(),
    );
    let senior = check(
        "senior",
        normalized
            .iter()
            .map(|(r, j)| {
                (
                    r[0].to_string(),
                    r[2].to_string(),
                    format!("{}", j.senior.unwrap_or(false)),
                )
            })
            .collect(),
    );

    for (name, acc) in [
        ("country", country),
        ("operation_type", operation),
        ("category", category),
        ("senior", senior),
    ] {
        assert!(
            acc >= MIN_ACCURACY,
            "{name} accuracy {:.1}% < 95%",
            acc * 100.0
        );
    }
}
