//! Answering on a phone, over HTTP: the paged flow, resume, every closed state, one response
//! per invitation, validation messages in both languages, and abuse limits.
//!
//! [`answer_survey`] walks a survey page by page the way a browser without JavaScript does;
//! other test modules use it to produce responses.

use crate::helpers::{TestApp, client, csrf_of, spawn_app};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter,
};
use yardstick::domain::Role;
use yardstick::store::entities::{distributions, invitations, responses};

pub const ACSI_ITEMS: [&str; 15] = [
    "EXP1", "EXP2", "EXP3", "QUA1", "QUA2", "QUA3", "VAL1", "VAL2", "SAT1", "SAT2", "SAT3", "COM1",
    "LOY1", "LOY2", "LOY3",
];

/// A complete, valid ACSI answer set: every 10-point item 8, no complaint, EXP3 "don't know".
pub fn valid_answers() -> Vec<(String, String)> {
    ACSI_ITEMS
        .iter()
        .map(|code| {
            let value = match *code {
                "COM1" => "0",
                "EXP3" => "dk",
                _ => "8",
            };
            (format!("q_{code}"), value.to_owned())
        })
        .collect()
}

/// Where a walk through the survey ended.
pub struct Walk {
    /// 303 when the survey was completed, else the status of the page that stopped it.
    pub status: u16,
    /// The body of the page that stopped the walk (empty when completed).
    pub body: String,
    /// Every question page seen, in order.
    pub pages: Vec<String>,
}

/// Undoes the HTML escaping of attribute values (minijinja escapes `/` as `&#x2f;`).
pub fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The form field names a page asks (`name="…"`), without the CSRF token and honeypot.
pub fn asked_fields(html: &str) -> Vec<String> {
    let mut names: Vec<String> = html
        .split("name=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| !matches!(*name, "csrf" | "website" | "viewport"))
        .map(str::to_owned)
        .collect();
    names.dedup();
    names
}

fn location(response: &reqwest::Response) -> String {
    // Locations are plain paths; no unescaping needed.
    response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Opens the survey at `start` (e.g. `/s/shop?lang=en`), starts or continues it, and answers
/// page after page with `answers`: each page gets the fields it asks; fields no page asked are
/// sent with the last page (when the walk began at page 1). Stops at the first refused page.
pub async fn answer_survey(
    app: &TestApp,
    respondent: &reqwest::Client,
    start: &str,
    answers: &[(String, String)],
) -> Walk {
    let stop = |status: u16, body: String, pages: Vec<String>| Walk {
        status,
        body,
        pages,
    };
    let welcome = respondent.get(app.url(start)).send().await.unwrap();
    let status = welcome.status().as_u16();
    let html = welcome.text().await.unwrap();
    if status != 200 {
        return stop(status, html, vec![]);
    }
    let html = unescape(&html);
    let base = start.split('?').next().unwrap().to_owned();
    let mut next = if let Some(rest) = html.split("class=\"button\" href=\"").nth(1) {
        rest.split('"').next().unwrap().to_owned()
    } else {
        let response = respondent
            .post(app.url(start))
            .form(&[("csrf", csrf_of(&html))])
            .send()
            .await
            .unwrap();
        if response.status().as_u16() != 303 {
            let status = response.status().as_u16();
            return stop(status, response.text().await.unwrap(), vec![]);
        }
        location(&response)
    };
    let from_first_page = next.ends_with("/1");
    let mut sent: Vec<String> = Vec::new();
    let mut pages = Vec::new();
    loop {
        if next.ends_with("/thanks") {
            return stop(303, String::new(), pages);
        }
        assert!(
            next.rsplit('/').next().unwrap().parse::<usize>().is_ok(),
            "a page number in {next}"
        );
        let page = respondent.get(app.url(&next)).send().await.unwrap();
        let status = page.status().as_u16();
        let html = page.text().await.unwrap();
        if status != 200 {
            return stop(status, html, pages);
        }
        let asked = asked_fields(&html);
        // Fields no page asked go with the last page, when this walk saw every page from the first.
        let last = html.contains("name=\"comment\"") && from_first_page;
        let mut form = vec![("csrf".to_owned(), csrf_of(&html))];
        for (name, value) in answers {
            if asked.contains(name) || (last && !sent.contains(name)) {
                form.push((name.clone(), value.clone()));
                sent.push(name.clone());
            }
        }
        pages.push(html);
        let response = respondent
            .post(app.url(&next))
            .form(&form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        if status != 303 {
            return stop(status, response.text().await.unwrap(), pages);
        }
        let target = location(&response);
        assert!(target.starts_with(&base), "{target} stays within {base}");
        next = target;
    }
}

/// Answers the first `pages` pages only, then leaves; returns the last page's HTML.
async fn answer_pages(
    app: &TestApp,
    respondent: &reqwest::Client,
    start: &str,
    pages: usize,
) -> String {
    let html = respondent
        .get(app.url(start))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = respondent
        .post(app.url(start))
        .form(&[("csrf", csrf_of(&html))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303, "the survey starts");
    let mut next = location(&response);
    let mut html = String::new();
    for _ in 0..pages {
        html = respondent
            .get(app.url(&next))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let asked = asked_fields(&html);
        let mut form = vec![("csrf".to_owned(), csrf_of(&html))];
        form.extend(
            valid_answers()
                .into_iter()
                .filter(|(k, _)| asked.contains(k)),
        );
        if asked.iter().any(|f| f == "brand") {
            let first = html
                .split("name=\"brand\" value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            form.push(("brand".into(), first.to_owned()));
        }
        let response = respondent
            .post(app.url(&next))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303, "page {next} is accepted");
        next = location(&response);
    }
    html
}

async fn public_distribution(app: &TestApp, questionnaire_id: i32) -> distributions::Model {
    distributions::Entity::find()
        .filter(distributions::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(distributions::Column::Kind.eq("public"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("publishing creates the public link")
}

async fn change_distribution(
    app: &TestApp,
    questionnaire_id: i32,
    change: impl FnOnce(&mut distributions::ActiveModel),
) {
    let mut active = public_distribution(app, questionnaire_id)
        .await
        .into_active_model();
    change(&mut active);
    active.update(&app.db).await.unwrap();
    // Changed behind the app's back (staff pages empty the cache themselves).
    app.state.survey_cache.invalidate();
}

/// An email distribution with one invitation; returns the invitation's token.
async fn invite(
    app: &TestApp,
    questionnaire_id: i32,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    let now = yardstick::store::now();
    let distribution = distributions::ActiveModel {
        questionnaire_id: Set(questionnaire_id),
        kind: Set("email".into()),
        name: Set("spring wave".into()),
        slug: Set(None),
        brand_id: Set(None),
        version_id: Set(None),
        opens_at: Set(None),
        closes_at: Set(None),
        quota: Set(None),
        send_at: Set(None),
        expires_at: Set(None),
        reminder_days: Set(String::new()),
        contact_filter: Set("{}".into()),
        status: Set(yardstick::store::entities::DistributionStatus::Open),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let token = format!("tok{}", uuid::Uuid::new_v4().simple());
    invitations::ActiveModel {
        distribution_id: Set(distribution.id),
        contact_id: Set(None),
        token_hash: Set(yardstick::domain::token::token_hash(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        sent_at: Set(Some(now)),
        reminders_sent: Set(0),
        last_reminded_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    token
}

async fn count(app: &TestApp, questionnaire_id: i32, status: &str) -> u64 {
    responses::Entity::find()
        .filter(responses::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(responses::Column::Status.eq(status))
        .count(&app.db)
        .await
        .unwrap()
}

async fn published(slug: &str, screening: bool) -> (TestApp, i32) {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let competitors = if screening {
        "Rival One\nRival Two"
    } else {
        ""
    };
    let id = app
        .publish_template("acsi.toml", slug, competitors, screening)
        .await;
    (app, id)
}

#[tokio::test]
async fn a_survey_is_a_welcome_screen_pages_with_progress_and_a_thank_you() {
    let (app, id) = published("flow", true).await;
    let respondent = client();
    let (status, welcome) = {
        let r = respondent
            .get(app.url("/s/flow?lang=en"))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(welcome.contains("data-state=\"welcome\""));
    assert!(
        welcome.contains("It takes about 2 minutes: 15 questions."),
        "time needed: {welcome}"
    );
    assert!(
        welcome.contains("never published with your name"),
        "privacy note"
    );
    assert!(
        unescape(&welcome).contains("href=\"/s/flow?lang=zh-CN\"") && welcome.contains(">中文</a>"),
        "language switch"
    );
    assert_eq!(
        count(&app, id, "in_progress").await,
        0,
        "opening the link stores nothing"
    );

    let brands = yardstick::store::brands::of_questionnaire(&app.db, id)
        .await
        .unwrap();
    let mut answers = valid_answers();
    answers.push(("brand".into(), brands[1].code.clone()));
    answers.extend([
        ("region".into(), "east".into()),
        ("channel".into(), "online".into()),
        ("customer_class".into(), "B".into()),
        ("lifecycle_stage".into(), "existing".into()),
        ("comment".into(), "Fresher milk, please".into()),
    ]);
    let walk = answer_survey(&app, &respondent, "/s/flow?lang=en", &answers).await;
    assert_eq!(walk.status, 303, "completed: {}", walk.body);
    assert_eq!(
        walk.pages.len(),
        5,
        "brand, three question pages, about you"
    );
    assert!(
        walk.pages[0].contains("Which of these brands") && walk.pages[0].contains("Page 1 of 5")
    );
    assert!(
        walk.pages[1].contains("Page 2 of 5")
            && walk.pages[1].contains("<progress max=\"100\" value=\"20\"")
    );
    for code in ACSI_ITEMS {
        assert!(
            walk.pages
                .iter()
                .any(|p| p.contains(&format!("name=\"q_{code}\""))),
            "some page asks {code}"
        );
    }
    assert!(
        walk.pages[4].contains("About you") && walk.pages[4].contains("name=\"lifecycle_stage\"")
    );
    assert!(
        !walk
            .pages
            .iter()
            .any(|p| p.contains("Perceived quality") || p.contains("Customer expectations")),
        "construct names stay hidden"
    );

    let thanks = respondent
        .get(app.url("/s/flow/thanks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(thanks.contains("Thank you for your answers!"));
    let row = responses::Entity::find()
        .filter(responses::Column::QuestionnaireId.eq(id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "complete");
    assert_eq!(row.brand_id, Some(brands[1].id));
    assert_eq!(
        (row.region.as_deref(), row.channel.as_deref()),
        (Some("east"), Some("online"))
    );
    assert_eq!(
        (
            row.customer_class.as_deref(),
            row.lifecycle_stage.as_deref()
        ),
        (Some("B"), Some("existing"))
    );
    assert_eq!(row.comment, "Fresher milk, please");
    assert_eq!(row.language, "en");
    assert!(
        row.resume_token_hash
            .as_ref()
            .is_some_and(|h| h.len() == 64),
        "only a hash of the resume token is kept"
    );
    let records = yardstick::store::responses::completed_with_answers(&app.db, id)
        .await
        .unwrap();
    assert_eq!(records[0].answers.len(), 15);
    assert_eq!(records[0].answers["EXP3"], None, "don't know is NULL");

    let again = respondent
        .get(app.url("/s/flow?lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status().as_u16(),
        409,
        "the same browser has already answered"
    );
}

/// The size of a page with the stylesheet and script it links (`/static/…`), in bytes.
async fn page_weight(app: &TestApp, html: &str) -> usize {
    let mut weight = html.len();
    for attribute in ["href=\"/static/", "src=\"/static/"] {
        for rest in html.split(attribute).skip(1) {
            let asset = format!("/static/{}", rest.split('"').next().unwrap());
            let (status, body) = app.get_html(&asset).await;
            assert_eq!(status, 200, "{asset}");
            weight += body.len();
        }
    }
    weight
}

#[tokio::test]
async fn every_respondent_page_weighs_under_30_kb_with_its_stylesheet_and_script() {
    const LIMIT: usize = 30 * 1024;
    let (app, id) = published("light", true).await;
    let brands = yardstick::store::brands::of_questionnaire(&app.db, id)
        .await
        .unwrap();
    let respondent = client();
    let welcome = respondent
        .get(app.url("/s/light?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut answers = valid_answers();
    answers.push(("brand".into(), brands[1].code.clone()));
    let walk = answer_survey(&app, &respondent, "/s/light?lang=en", &answers).await;
    assert_eq!(walk.status, 303, "{}", walk.body);
    let thanks = respondent
        .get(app.url("/s/light/thanks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(walk.pages.len() >= 4, "brand, question and about pages");
    let mut pages = vec![welcome, thanks];
    pages.extend(walk.pages);
    for html in &pages {
        assert!(!html.contains("<img"), "no images");
        let weight = page_weight(&app, html).await;
        assert!(
            weight <= LIMIT,
            "{weight} bytes with its CSS and JavaScript, over {LIMIT}:\n{html}"
        );
        assert!(weight > 2_000, "{weight} bytes is a whole page");
    }
}

#[tokio::test]
async fn each_page_is_stored_when_submitted_and_a_public_respondent_resumes() {
    let (app, id) = published("resume", false).await;
    let phone = client();
    let page3 = answer_pages(&app, &phone, "/s/resume?lang=en", 2).await;
    assert_eq!(count(&app, id, "in_progress").await, 1);
    let row = responses::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let stored = yardstick::store::progress::answers_of(&app.db, row.id)
        .await
        .unwrap();
    assert_eq!(
        stored.len(),
        12,
        "pages 1 and 2 (6 + 6 items) are committed"
    );

    // The same phone comes back: the welcome screen offers to continue at page 3.
    let welcome = unescape(
        &phone
            .get(app.url("/s/resume"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(welcome.contains("href=\"/s/resume/3\""), "{welcome}");
    // Jumping ahead is not possible; earlier pages show the stored answers.
    let ahead = phone.get(app.url("/s/resume/4")).send().await.unwrap();
    assert_eq!(ahead.status().as_u16(), 303);
    assert_eq!(location(&ahead), "/s/resume/3");
    let page1 = phone
        .get(app.url("/s/resume/1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page1.contains("value=\"dk\" checked"),
        "the stored answers are shown again"
    );

    // Another device opens the resume link shown on the page and finishes.
    let link = unescape(&page3)
        .split("To continue later on another device, keep this link:<br><a href=\"")
        .nth(1)
        .expect("resume link")
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let laptop = client();
    let opened = laptop.get(&link).send().await.unwrap();
    assert_eq!(opened.status().as_u16(), 303);
    let walk = answer_survey(&app, &laptop, "/s/resume?lang=en", &valid_answers()).await;
    assert_eq!(walk.status, 303, "{}", walk.body);
    assert_eq!(walk.pages.len(), 2, "continued at page 3 of 4");
    assert_eq!(count(&app, id, "complete").await, 1);
    assert_eq!(
        responses::Entity::find().count(&app.db).await.unwrap(),
        1,
        "one response, resumed"
    );

    let forged = client()
        .get(app.url("/s/resume/r/notarealtokenatallxyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 404);
}

#[tokio::test]
async fn an_invitation_resumes_on_any_device_and_answers_once() {
    let (app, id) = published("invited", false).await;
    let token = invite(&app, id, None).await;
    let start = format!("/i/{token}?lang=en");
    answer_pages(&app, &client(), &start, 2).await;
    let laptop = client();
    let walk = answer_survey(&app, &laptop, &start, &valid_answers()).await;
    assert_eq!(walk.status, 303, "{}", walk.body);
    assert_eq!(walk.pages.len(), 2, "continued where the phone left off");
    let row = responses::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "complete");
    assert!(row.invitation_id.is_some());
    assert_eq!(
        row.resume_token_hash, None,
        "the invitation token is the resume key"
    );

    // Duplicate submissions with the same token: refused, nothing changes.
    let again = client().get(app.url(&start)).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 409);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("each invitation can be answered once")
    );
    let replay = client();
    let html = replay
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut form = vec![("csrf".to_owned(), csrf_of(&html))];
    form.extend(valid_answers().into_iter().take(6));
    let response = replay
        .post(app.url(&format!("/i/{token}/1")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        409,
        "a replayed page is refused"
    );
    let response = replay
        .post(app.url(&format!("/i/{token}")))
        .form(&form[..1])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 409, "starting again is refused");
    assert_eq!(responses::Entity::find().count(&app.db).await.unwrap(), 1);
    assert_eq!(
        yardstick::store::progress::answers_of(&app.db, row.id)
            .await
            .unwrap()
            .len(),
        15
    );
}

async fn state_of(respondent: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let response = respondent.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let html = response.text().await.unwrap();
    let state = html
        .split("data-state=\"")
        .nth(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .unwrap_or_default();
    (status, state)
}

#[tokio::test]
async fn closed_not_yet_open_quota_full_expired_and_unknown_each_have_their_page() {
    let (app, id) = published("states", false).await;
    let someone = client();
    let hour = chrono::Duration::hours(1);

    change_distribution(&app, id, |d| {
        d.opens_at = Set(Some(yardstick::store::now() + hour))
    })
    .await;
    assert_eq!(
        state_of(&someone, &app, "/s/states?lang=en").await,
        (403, "not-yet-open".into())
    );
    change_distribution(&app, id, |d| {
        d.opens_at = Set(None);
        d.closes_at = Set(Some(yardstick::store::now() - hour));
    })
    .await;
    assert_eq!(
        state_of(&someone, &app, "/s/states").await,
        (410, "closed".into())
    );
    change_distribution(&app, id, |d| {
        d.closes_at = Set(None);
        d.status = Set(yardstick::store::entities::DistributionStatus::Closed);
    })
    .await;
    assert_eq!(
        state_of(&someone, &app, "/s/states").await,
        (410, "closed".into())
    );

    // Quota 1: someone already under way may finish; a newcomer meets the quota page.
    change_distribution(&app, id, |d| {
        d.status = Set(yardstick::store::entities::DistributionStatus::Open);
        d.quota = Set(Some(1));
    })
    .await;
    let early = client();
    answer_pages(&app, &early, "/s/states?lang=en", 1).await;
    let first = answer_survey(&app, &client(), "/s/states?lang=en", &valid_answers()).await;
    assert_eq!(first.status, 303);
    assert_eq!(
        state_of(&client(), &app, "/s/states?lang=en").await,
        (410, "quota-full".into())
    );
    let late = answer_survey(&app, &early, "/s/states?lang=en", &valid_answers()).await;
    assert_eq!(
        late.status, 303,
        "a response under way is not lost to the quota"
    );

    let expired = invite(&app, id, Some(yardstick::store::now() - hour)).await;
    let (status, state) = state_of(&someone, &app, &format!("/i/{expired}")).await;
    assert_eq!((status, state.as_str()), (410, "expired"));
    assert_eq!(
        state_of(&someone, &app, "/i/nosuchtokenanywhere1234").await,
        (404, "not-found".into())
    );
    assert_eq!(state_of(&someone, &app, "/i/..%2F..").await.0, 404);
    assert_eq!(
        state_of(&someone, &app, "/s/nowhere").await,
        (404, "not-found".into())
    );

    let page = someone
        .get(app.url("/s/states?lang=zh-CN"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("答卷已收满") && page.contains("lang=\"zh-CN\""),
        "state pages speak Chinese too"
    );
}

/// Submits one page of a fresh response and returns the refused page.
async fn refused(
    app: &TestApp,
    slug: &str,
    lang: &str,
    page: usize,
    fields: &[(&str, &str)],
) -> String {
    let respondent = client();
    let start = format!("/s/{slug}?lang={lang}");
    if page > 1 {
        answer_pages(app, &respondent, &start, page - 1).await;
    } else {
        let html = respondent
            .get(app.url(&start))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        respondent
            .post(app.url(&start))
            .form(&[("csrf", csrf_of(&html))])
            .send()
            .await
            .unwrap();
    }
    let html = respondent
        .get(app.url(&format!("/s/{slug}/{page}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut form = vec![("csrf".to_owned(), csrf_of(&html))];
    form.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let response = respondent
        .post(app.url(&format!("/s/{slug}/{page}")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        422,
        "page {page} with {fields:?} is refused"
    );
    response.text().await.unwrap()
}

#[tokio::test]
async fn every_validation_message_in_both_languages_next_to_its_item_and_in_the_summary() {
    let (app, id) = published("checks", true).await;
    let page3 = |over: &[(&'static str, &'static str)]| {
        let mut fields: Vec<(&str, &str)> = vec![
            ("q_VAL1", "8"),
            ("q_VAL2", "8"),
            ("q_SAT1", "8"),
            ("q_SAT2", "dk"),
            ("q_SAT3", "8"),
            ("q_COM1", "0"),
        ];
        for (k, v) in over {
            fields.retain(|(name, _)| name != k);
            if !v.is_empty() {
                fields.push((k, v));
            }
        }
        fields
    };
    // (changed fields, item, English message, Chinese message)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str, &'a str);
    let cases: [Case; 5] = [
        (
            &[("q_SAT2", "")],
            "SAT2",
            "Please answer question 10",
            "请回答第 10 题",
        ),
        (
            &[("q_SAT2", "11")],
            "SAT2",
            "The answer 11 to question 10 is outside its scale 1–10",
            "第 10 题的答案 11 超出了 1–10 的范围",
        ),
        (
            &[("q_SAT2", "lots")],
            "SAT2",
            "The answer “lots” to question 10 is not one of its options",
            "第 10 题的答案“lots”不是有效选项",
        ),
        (
            &[("q_SAT1", "dk")],
            "SAT1",
            "Question 9 does not offer “don&#x27;t know”",
            "第 9 题不提供“不知道”选项",
        ),
        (
            &[("q_LOY1", "5")],
            "LOY1",
            "There is no question LOY1 in this questionnaire",
            "问卷中没有 LOY1 这道题",
        ),
    ];
    for (over, code, en, zh) in cases {
        for (lang, message) in [("en", en), ("zh-CN", zh)] {
            let html = refused(&app, "checks", lang, 3, &page3(over)).await;
            assert!(html.contains(message), "{lang}: {message}\n{html}");
            let summary = html
                .split("id=\"problems\"")
                .nth(1)
                .expect("a summary at the top");
            let linked = if code == "LOY1" {
                "main".to_owned()
            } else {
                format!("item-{code}")
            };
            assert!(
                summary.contains(&format!("<a href=\"#{linked}\">{message}</a>")),
                "{lang}: the summary links {code}"
            );
            if code != "LOY1" {
                assert!(
                    html.contains(&format!(
                        "<p class=\"error\" id=\"item-{code}-error\">{message}</p>"
                    )),
                    "{lang}: message next to {code}"
                );
            }
            assert!(
                html.contains("name=\"q_VAL1\" value=\"8\" checked"),
                "{lang}: answers kept"
            );
            assert!(html.contains(&format!("lang=\"{lang}\"")));
        }
    }
    // A repeated answer.
    let twice = [
        ("q_EXP1", "8"),
        ("q_EXP1", "9"),
        ("q_EXP2", "8"),
        ("q_EXP3", "8"),
        ("q_QUA1", "8"),
        ("q_QUA2", "8"),
        ("q_QUA3", "8"),
    ];
    let html = refused(&app, "checks", "en", 2, &twice).await;
    assert!(html.contains("Question 1 was answered more than once"));
    let html = refused(&app, "checks", "zh-CN", 2, &twice).await;
    assert!(html.contains("第 1 题提交了多个答案"));
    // The brand screening page.
    for (lang, message) in [("en", "Please choose a brand"), ("zh-CN", "请选择一个品牌")] {
        let html = refused(&app, "checks", lang, 1, &[("brand", "no-such-brand")]).await;
        assert!(
            html.contains(&format!("<a href=\"#q-brand\">{message}</a>")),
            "{lang}: {html}"
        );
    }
    // The last page: attributes and the comment.
    let long = "x".repeat(2001);
    for (lang, option, comment) in [
        (
            "en",
            "“Z” is not one of the options; please choose again",
            "The comment may be at most 2000 characters; yours has 2001",
        ),
        (
            "zh-CN",
            "“Z”不是此题的选项，请重新选择",
            "意见最多 2000 个字，您写了 2001 个字",
        ),
    ] {
        let html = refused(
            &app,
            "checks",
            lang,
            5,
            &[
                ("customer_class", "Z"),
                ("region", "east"),
                ("comment", &long),
            ],
        )
        .await;
        assert!(
            html.contains(&format!("<a href=\"#q-customer_class\">{option}</a>")),
            "{lang}: {html}"
        );
        assert!(
            html.contains(&format!("<a href=\"#comment\">{comment}</a>")),
            "{lang}"
        );
        assert!(
            html.contains("name=\"region\" value=\"east\" checked"),
            "{lang}: attributes kept"
        );
        assert!(html.contains(&long), "{lang}: the comment is kept");
    }
    assert_eq!(
        count(&app, id, "complete").await,
        0,
        "nothing was completed"
    );
}

#[tokio::test]
async fn the_language_comes_from_the_query_then_accept_language() {
    let (app, _) = published("langs", false).await;
    let english = client()
        .get(app.url("/s/langs"))
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("<html lang=\"en\">") && english.contains(">Start</button>"));
    let chinese = client()
        .get(app.url("/s/langs"))
        .header("Accept-Language", "zh-CN,zh;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        chinese.contains("<html lang=\"zh-CN\">")
            && chinese.contains(">开始答题</button>")
            && chinese.contains(">English</a>")
    );
    let chosen = client()
        .get(app.url("/s/langs?lang=zh-CN"))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        chosen.contains("<html lang=\"zh-CN\">"),
        "?lang= wins over Accept-Language"
    );
}

#[tokio::test]
async fn bots_forgers_floods_and_bad_bodies_change_nothing() {
    let (app, id) = published("abuse", false).await;
    let bot = client();
    let html = bot
        .get(app.url("/s/abuse"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = bot
        .post(app.url("/s/abuse"))
        .form(&[
            ("csrf", csrf_of(&html).as_str()),
            ("website", "http://spam.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        303,
        "the honeypot thanks the bot"
    );
    assert_eq!(location(&response), "/s/abuse/thanks");
    assert_eq!(
        responses::Entity::find().count(&app.db).await.unwrap(),
        0,
        "and stores nothing"
    );

    let forger = client();
    let response = forger
        .post(app.url("/s/abuse"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);

    let big = "x".repeat(200 * 1024);
    let response = forger
        .post(app.url("/s/abuse/1"))
        .form(&[("comment", big.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    let response = forger
        .post(app.url("/s/abuse/1"))
        .header("content-type", "application/json")
        .body("{\"q_SAT1\": 8}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let response = forger
        .post(app.url("/s/abuse/1"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![0xff, 0xfe, b'=', 0x80])
        .send()
        .await
        .unwrap();
    assert!(
        [400, 403].contains(&response.status().as_u16()),
        "malformed bytes are refused, not a panic"
    );
    let response = forger
        .post(app.url("/s/abuse/abc"))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);

    // A flood from one address meets the limit; a person never would (120 at once, then 10 a second).
    let mut limited = 0;
    for _ in 0..200 {
        let response = forger
            .post(app.url("/s/abuse"))
            .form(&[("csrf", "forged")])
            .send()
            .await
            .unwrap();
        if response.status().as_u16() == 429 {
            limited += 1;
            assert!(
                response
                    .text()
                    .await
                    .unwrap()
                    .contains("data-state=\"rate-limited\"")
            );
        }
    }
    assert!(limited >= 10, "a flood is slowed down: {limited} refused");
    assert_eq!(
        responses::Entity::find()
            .filter(responses::Column::QuestionnaireId.eq(id))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}
