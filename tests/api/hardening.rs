//! Security round 2 at the edges: login targets, paging parameters and spreadsheet-safe exports.

use crate::helpers::{TestApp, spawn_app};
use yardstick::domain::Role;
use yardstick::store;

async fn login_to(app: &TestApp, next: &str) -> reqwest::Response {
    store::users::upsert(
        &app.db,
        "next@example.test",
        "Next",
        "correct horse battery",
        Role::Viewer,
    )
    .await
    .unwrap();
    app.post_form(
        "/login",
        &[
            ("email", "next@example.test"),
            ("password", "correct horse battery"),
            ("next", next),
        ],
    )
    .await
}

#[tokio::test]
async fn login_sends_the_browser_only_to_plain_local_paths() {
    let app = spawn_app().await;
    // The login page never offers another site (nor fails) whatever `next` holds.
    for query in [
        "/%09/evil.example/x",
        "/%0A/x",
        "//evil.example",
        "/%5Cevil.example",
    ] {
        let (status, html) = app.get_html(&format!("/login?next={query}")).await;
        assert_eq!(status, 200, "{query}");
        assert!(!html.contains("evil.example"), "{query}");
    }
    for next in [
        "/\t/evil.example/x",
        "/\n/x",
        "/\r\n/x",
        "//evil.example/x",
        "/\\evil.example",
    ] {
        let browser = app.another_browser();
        let response = login_to(&browser, next).await;
        assert_eq!(response.status().as_u16(), 303, "{next:?}");
        assert_eq!(response.headers()["location"], "/", "{next:?}");
    }
    let response = login_to(&app.another_browser(), "/reports?lang=en").await;
    assert_eq!(response.headers()["location"], "/reports?lang=en");
}

#[tokio::test]
async fn paging_parameters_out_of_range_are_refused_and_the_server_keeps_answering() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    for page in ["184467440737095517", "18446744073709551615", "1000001"] {
        let (status, html) = app
            .get_html(&format!("/contacts?page={page}&lang=en"))
            .await;
        assert_eq!(status, 400, "page {page}");
        assert!(html.contains("page number is out of range"), "{html}");
    }
    for page in ["18446744073709551616", "-1", "x"] {
        let (status, _) = app.get_html(&format!("/contacts?page={page}")).await;
        assert_eq!(status, 400, "page {page}");
    }
    assert_eq!(app.get_html("/contacts?page=999999").await.0, 200);
    let user = store::users::all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == Role::Designer)
        .unwrap();
    let (token, _) = store::api_tokens::create(&app.db, user.id, "paging", "pagingtest")
        .await
        .unwrap();
    for (query, status) in [
        ("after=2147483647&limit=18446744073709551615", 200),
        ("after=-2147483648&limit=0", 200),
        ("after=2147483648", 400),
        ("limit=18446744073709551616", 400),
        ("limit=-1", 400),
    ] {
        let response = app
            .client
            .get(app.url(&format!("/api/v1/contacts?{query}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{query}");
    }
    assert_eq!(app.get("/health").await.status().as_u16(), 200);
}

#[tokio::test]
async fn response_exports_neutralise_formulas_and_open_as_utf8_in_excel() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let questionnaire = app.publish_template("acsi.toml", "export", "", false).await;
    // Region is free text in imported field data: a way for a cell of the attacker's into the export.
    let regions = [
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "送货很快，包装好",
    ];
    let segments = regions
        .iter()
        .map(|region| store::responses::Segments {
            region: Some((*region).into()),
            ..Default::default()
        })
        .collect();
    app.store_responses(questionnaire, 7, segments).await;
    let csv = app
        .get(&format!("/reports/{questionnaire}/responses/csv?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with('\u{feff}'), "a UTF-8 byte-order mark first");
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = header
        .iter()
        .position(|h| h == "region")
        .expect("a region column");
    let exported: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[column].to_owned())
        .collect();
    for region in regions {
        let expected = if region.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{region}")
        } else {
            region.to_owned()
        };
        assert!(
            exported.contains(&expected),
            "{region:?} exported as {exported:?}"
        );
    }
    assert!(
        exported
            .iter()
            .all(|c| !c.starts_with(['=', '+', '-', '@', '\t', '\r'])),
        "{exported:?}"
    );
}
