//! `aeroscrap companies …` on a temp database, run as a user would.

mod common;

use common::Workspace;
use predicates::prelude::*;
use predicates::str::contains;

fn rec(source: &str, id: u32, title: &str, company: &str) -> String {
    serde_json::json!({
        "source": source,
        "url": format!("https://{source}.example/jobs/{id}"),
        "title": title,
        "company": company,
        "scraped_at": "2025-12-03T07:30:00Z",
    })
    .to_string()
}

#[test]
fn unknown_set_alias_show_and_list() {
    let w = Workspace::new();
    let input = w.write_lines(
        "in.jsonl",
        &[
            rec("a", 1, "Captain Citation", "Skyhigh Air Charter"),
            rec("a", 2, "First Officer Citation", "Skyhigh Charter Ltd"),
            rec("b", 3, "Captain B737", "Ryanair DAC"),
        ],
    );
    w.cmd(&["ingest", input.to_str().unwrap()])
        .assert()
        .success();

    w.cmd(&["companies", "unknown"])
        .assert()
        .success()
        .stdout(contains("Skyhigh Air Charter"))
        .stdout(contains("Skyhigh Charter Ltd"))
        .stdout(contains("business_aviation"))
        .stdout(contains("Ryanair").not());

    w.cmd(&[
        "companies",
        "set",
        "Skyhigh Air Charter",
        "--operation-type",
        "business_aviation",
    ])
    .assert()
    .success()
    .stdout(contains(
        "added Skyhigh Air Charter as business_aviation (1 stored jobs updated)",
    ));
    w.cmd(&[
        "companies",
        "alias",
        "Skyhigh Charter",
        "Skyhigh Air Charter",
    ])
    .assert()
    .success()
    .stdout(contains("(1 stored jobs re-keyed)"));
    w.cmd(&["companies", "unknown"])
        .assert()
        .success()
        .stdout(contains("every company in the stored jobs is known"));
    w.cmd(&["companies", "show", "skyhigh charter limited"])
        .assert()
        .success()
        .stdout(contains("name:           Skyhigh Air Charter"))
        .stdout(contains("origin:         user"));
    w.cmd(&["companies", "show", "InterGlobe Aviation Ltd"])
        .assert()
        .success()
        .stdout(contains("name:           IndiGo"))
        .stdout(contains("iata:           6E"));
    w.cmd(&["companies", "list"])
        .assert()
        .success()
        .stdout(contains("Cargolux"))
        .stdout(contains("companies"));
    assert_eq!(
        w.count("SELECT count(*) FROM jobs WHERE company_key = 'skyhigh air charter'"),
        2
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM jobs WHERE block_key = 'skyhigh air charter'
             AND json_extract(match_features, '$.company_key') = 'skyhigh air charter'"
        ),
        2
    );
    // The re-keyed job is filed under the canonical name too: another site's copy of it,
    // under the canonical name, merges into it.
    let copy = w.write_lines(
        "copy.jsonl",
        &[rec("c", 4, "First Officer Citation", "Skyhigh Air Charter")],
    );
    w.cmd(&["ingest", copy.to_str().unwrap()])
        .assert()
        .success()
        .stdout(contains("merged            1"));
    assert_eq!(
        w.count(
            "SELECT count(*) FROM job_sources s JOIN jobs j ON j.id = s.job_id
             WHERE s.source = 'c' AND j.title = 'First Officer Citation'"
        ),
        1
    );
}

#[test]
fn bad_operation_type_and_unknown_company_exit_3() {
    let w = Workspace::new();
    w.cmd(&["companies", "set", "X", "--operation-type", "airlines"])
        .assert()
        .code(3)
        .stderr(contains(
            "--operation-type \"airlines\" is not one of airline",
        ));
    w.cmd(&["companies", "alias", "Foo", "No Such Co"])
        .assert()
        .code(3)
        .stderr(contains("no company \"No Such Co\""));
}
