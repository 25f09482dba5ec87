//! The thin chain end to end: publish a questionnaire, answer it by its public link, read the report.

use crate::helpers::{client, spawn_app};
use crate::survey::{ACSI_ITEMS, answer_survey, valid_answers};
use yardstick::domain::Role;
use yardstick::store::responses;

async fn submit(
    app: &crate::helpers::TestApp,
    respondent: &reqwest::Client,
    slug: &str,
    answers: &[(String, String)],
) -> (u16, String) {
    let walk = answer_survey(app, respondent, &format!("/s/{slug}?lang=en"), answers).await;
    (walk.status, walk.body)
}

#[tokio::test]
async fn publish_answer_and_report() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let id = app.publish_template("acsi.toml", "shop", "", false).await;

    let respondent = client();
    let status = respondent
        .get(app.url("/s/shop?lang=en"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 200);
    let walk = answer_survey(&app, &respondent, "/s/shop?lang=en", &valid_answers()).await;
    for code in ACSI_ITEMS {
        assert!(
            walk.pages
                .iter()
                .any(|page| page.contains(&format!("name=\"q_{code}\""))),
            "the form asks {code}"
        );
    }
    assert!(
        walk.pages
            .iter()
            .any(|page| page.contains("Overall, how satisfied are you with it?"))
    );
    assert_eq!(walk.status, 303, "a valid submission is accepted");
    assert_eq!(responses::count_completed(&app.db, id).await.unwrap(), 1);

    let viewer = app.another_browser();
    viewer.sign_in_as(Role::Viewer).await;
    // The report is computed in the background; the page refreshes itself until it is ready.
    let mut report = String::new();
    for _ in 0..120 {
        let (status, page) = viewer
            .get_html(&format!("/reports/{id}?lang=en&quick=1"))
            .await;
        assert_eq!(status, 200);
        report = page;
        if !report.contains("http-equiv=\"refresh\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(
        !report.contains("http-equiv=\"refresh\""),
        "the report finished computing"
    );
    assert!(
        report.contains("Our Brand"),
        "the report names the brand: {report}"
    );
    assert!(
        report.contains("<td class=\"num\">1</td>"),
        "the report shows n = 1: {report}"
    );
    // One response is below the minimum sample: the report says so instead of printing an index.
    assert!(
        report.contains("too few responses to show a number"),
        "{report}"
    );
}

#[tokio::test]
async fn bad_submissions_name_the_item_and_store_nothing() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let id = app.publish_template("acsi.toml", "strict", "", false).await;

    let mut out_of_scale = valid_answers();
    out_of_scale.retain(|(k, _)| k != "q_SAT1");
    out_of_scale.push(("q_SAT1".into(), "11".into()));
    let (status, page) = submit(&app, &client(), "strict", &out_of_scale).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("The answer 11 to question 9 is outside its scale 1–10"),
        "{page}"
    );
    assert!(
        page.contains("value=\"8\" checked"),
        "the other answers are kept"
    );

    let mut missing = valid_answers();
    missing.retain(|(k, _)| k != "q_LOY3");
    let (status, page) = submit(&app, &client(), "strict", &missing).await;
    assert_eq!(status, 422);
    assert!(page.contains("Please answer question 15"), "{page}");

    let mut unknown = valid_answers();
    unknown.push(("q_XYZ9".into(), "3".into()));
    let (status, page) = submit(&app, &client(), "strict", &unknown).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("There is no question XYZ9 in this questionnaire"),
        "{page}"
    );

    let mut no_dont_know = valid_answers();
    no_dont_know.retain(|(k, _)| k != "q_SAT1");
    no_dont_know.push(("q_SAT1".into(), "dk".into()));
    let (status, page) = submit(&app, &client(), "strict", &no_dont_know).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Question 9 does not offer “don&#x27;t know”"),
        "{page}"
    );

    assert_eq!(
        responses::count_completed(&app.db, id).await.unwrap(),
        0,
        "nothing was stored"
    );
}

#[tokio::test]
async fn messages_follow_the_respondents_language() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    app.publish_template("acsi.toml", "zh", "", false).await;
    let respondent = client();
    let answers: Vec<(String, String)> = valid_answers()
        .into_iter()
        .filter(|(k, _)| k != "q_SAT1")
        .collect();
    let walk = answer_survey(&app, &respondent, "/s/zh?lang=zh-CN", &answers).await;
    assert_eq!(walk.status, 422);
    let page = walk.body;
    assert!(page.contains("请回答第 9 题"), "{page}");
    assert!(page.contains("lang=\"zh-CN\""));
}

#[tokio::test]
async fn brand_screening_records_the_chosen_brand() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let id = app
        .publish_template("acsi.toml", "brands", "Rival One\nRival Two", true)
        .await;
    let respondent = client();
    let (status, page) = submit(&app, &respondent, "brands", &valid_answers()).await;
    assert_eq!(status, 422, "the brand question must be answered");
    assert!(page.contains("Please choose a brand"));
    let brands = yardstick::store::brands::of_questionnaire(&app.db, id)
        .await
        .unwrap();
    assert_eq!(brands.len(), 3);
    assert!(brands[0].is_own);
    let mut answers = valid_answers();
    answers.push(("brand".into(), brands[2].code.clone()));
    let (status, _) = submit(&app, &respondent, "brands", &answers).await;
    assert_eq!(status, 303);
    let records = responses::completed_with_answers(&app.db, id)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].brand_id, Some(brands[2].id));
    assert_eq!(
        records[0].answers["EXP3"], None,
        "don't know is stored as NULL"
    );
    assert_eq!(records[0].answers["SAT1"], Some(8));
}

#[tokio::test]
async fn pages_refuse_the_wrong_person() {
    let app = spawn_app().await;
    let response = app.get("/design").await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/login?next=/design");
    app.sign_in_as(Role::Viewer).await;
    assert_eq!(app.get("/design").await.status().as_u16(), 403);
    assert_eq!(app.get("/admin/audit").await.status().as_u16(), 403);
    let response = app
        .client
        .post(app.url("/design/questionnaires"))
        .form(&[("template", "acsi.toml"), ("slug", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        403,
        "no CSRF token, no role: refused"
    );
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let response = app
        .client
        .post(app.url("/design/questionnaires"))
        .form(&[
            ("csrf", "forged"),
            ("template", "acsi.toml"),
            ("slug", "forged"),
            ("own_brand", "X"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert!(
        yardstick::store::questionnaires::by_slug(&app.db, "forged")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn security_headers_are_sent() {
    let app = spawn_app().await;
    let response = app.get("/login").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        cookie.contains("httponly") && cookie.contains("samesite=lax"),
        "{cookie}"
    );
}
