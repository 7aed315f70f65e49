//! Quirks of single API answers, parsed without a server.

use aeroscrap::sources::ats::{AtsCtx, AtsError, Cursor, Response};

fn parse(cfg: &str, url: &str, status: u16, body: &str) -> Result<usize, AtsError> {
    let preset = crate::ats_support::build("src", cfg).unwrap();
    let resp = Response { url, status, body };
    preset
        .parse_list(&AtsCtx::new("src", None), &mut Cursor::first(), &resp)
        .map(|p| p.listings.len())
}

#[test]
fn lever_ok_false_is_an_error_even_with_http_200() {
    let err = parse(
        "kind = \"lever\"\nsite = \"acme\"",
        "https://api.lever.co/v0/postings/acme",
        200,
        r#"{"ok": false, "error": "Document not found"}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("lever site \"acme\" was not found"),
        "{err}"
    );
}

#[test]
fn workday_error_code_in_a_200_body_names_tenant_and_site() {
    let err = parse(
        "kind = \"workday\"\nhost = \"acme.wd1\"\nsite = \"Careers\"",
        "https://acme.wd1.myworkdayjobs.com/wday/cxs/acme/Careers/jobs",
        200,
        r#"{"errorCode": "HTTP_422", "httpStatus": 422}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "source \"src\": workday tenant/site \"acme/Careers\" was rejected by the API \
         (HTTP 200: HTTP_422): check the `tenant` and `site` keys"
    );
}

#[test]
fn personio_redirect_away_from_the_jobs_site_is_an_unknown_company() {
    let err = parse(
        "kind = \"personio\"\nsubdomain = \"acme\"",
        "https://www.personio.de/",
        200,
        "<!DOCTYPE html><html></html>",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("was redirected to https://www.personio.de/ (no such jobs site)"),
        "{err}"
    );
}

#[test]
fn a_json_api_answering_html_says_where_and_what() {
    let err = parse(
        "kind = \"greenhouse\"\nboard = \"acme\"",
        "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
        200,
        "<html>maintenance</html>",
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with(
        "source \"src\": greenhouse answer from https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true (page 1) is not what the API documents: body is not JSON"
    ), "{msg}");
    assert!(
        msg.ends_with("starts with \"<html>maintenance</html>\""),
        "{msg}"
    );
}

#[test]
fn workday_total_zero_and_capped_boards_warn() {
    let preset = crate::ats_support::build(
        "src",
        "kind = \"workday\"\nhost = \"acme.wd1\"\nsite = \"Careers\"",
    )
    .unwrap();
    let ctx = AtsCtx::new("src", None);
    let warnings = |body: &str| {
        let resp = Response {
            url: "https://acme.wd1.myworkdayjobs.com/wday/cxs/acme/Careers/jobs",
            status: 200,
            body,
        };
        let page = preset
            .parse_list(&ctx, &mut Cursor::first(), &resp)
            .unwrap();
        page.warnings
    };
    let empty = warnings(r#"{"total": 0, "jobPostings": []}"#);
    assert_eq!(empty.len(), 1);
    assert!(
        empty[0].contains("check the `tenant` and `site` keys"),
        "{empty:?}"
    );
    let big = warnings(r#"{"total": 4500, "jobPostings": []}"#);
    assert!(
        big[0].contains("split the board with `applied_facets`"),
        "{big:?}"
    );
    assert!(warnings(r#"{"total": 30, "jobPostings": []}"#).is_empty());
}

#[test]
fn config_errors_name_their_key() {
    let cases = [
        ("kind = \"workday\"\nsite = \"X\"", "tenant"),
        ("kind = \"oracle\"", "host"),
        (
            "kind = \"successfactors\"\nhost = \"career5.successfactors.eu\"",
            "company_id",
        ),
        (
            "kind = \"personio\"\nsubdomain = \"a\"\ndomain = \"fr\"",
            "domain",
        ),
        ("kind = \"greenhouse\"\nboard = \" \"", "board"),
    ];
    for (cfg, key) in cases {
        let err = crate::ats_support::build("src", cfg).unwrap_err();
        assert_eq!(err.config_key(), Some(key), "{cfg}: {err}");
    }
}
