//! Answering on a phone in a real browser: complete surveys at phone and desktop width, with
//! JavaScript on and off, by keyboard alone; no sideways scrolling and no WCAG 2.1 AA violation
//! on any respondent page; screenshots of every page type at phone width under `artifacts/`.

use crate::harness::{Browser, Javascript, Viewport};
use crate::helpers::{TestApp, spawn_app};
use fantoccini::key::Key;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter,
};
use yardstick::domain::Role;
use yardstick::store::entities::{distributions, responses};

async fn app_with_survey(slug: &str, screening: bool) -> (TestApp, i32) {
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

async fn completed(app: &TestApp, questionnaire_id: i32) -> u64 {
    responses::Entity::find()
        .filter(responses::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(responses::Column::Status.eq("complete"))
        .count(&app.db)
        .await
        .unwrap()
}

/// The checks every respondent page gets: fits the width, axe-clean, and (optionally) a screenshot.
/// axe-core needs timers, which a profile without JavaScript does not run; the same pages are
/// checked by axe in the runs with JavaScript on (the markup does not depend on it).
async fn check(browser: &Browser, what: &str, shot: Option<&str>) {
    browser.assert_fits(what).await;
    if browser.javascript == Javascript::On {
        browser.assert_accessible(what).await;
    }
    if let Some(name) = shot {
        browser.screenshot_full(name).await;
    }
}

/// Clicks the `choice`-th option label of every question on the page (the whole label is the target).
async fn choose_everywhere(browser: &Browser, choice: usize) {
    let questions = browser.eval("return [...document.querySelectorAll('fieldset.item')].map(f => [f.id, f.querySelectorAll('label.option').length]);").await;
    for question in questions.as_array().expect("questions") {
        let (id, options) = (
            question[0].as_str().expect("fieldset id"),
            question[1].as_u64().expect("options") as usize,
        );
        browser
            .click(&format!(
                "#{id} .options > label:nth-child({})",
                choice.min(options - 1) + 1
            ))
            .await;
    }
}

async fn submit(browser: &Browser) {
    browser
        .click_and_wait("form.survey button[type=submit]")
        .await;
}

/// Walks a whole survey by pointer: start, a refused empty page, every page, thanks.
async fn complete_by_pointer(
    app: &TestApp,
    browser: &Browser,
    slug: &str,
    lang: &str,
    shots: Option<&str>,
) {
    let shot = |page: &str| shots.map(|prefix| format!("{prefix}-{page}"));
    browser
        .goto(&app.url(&format!("/s/{slug}?lang={lang}")))
        .await;
    check(browser, "welcome", shot("welcome").as_deref()).await;
    browser.click_and_wait("form button[type=submit]").await;
    let mut number = 0;
    let mut refused_once = false;
    loop {
        let path = browser.path().await;
        if path.ends_with("/thanks") {
            break;
        }
        number += 1;
        assert!(number < 20, "the survey ends");
        let source = browser.source().await;
        let kind = if source.contains("name=\"brand\"") {
            "brand"
        } else if source.contains("name=\"comment\"") {
            "about"
        } else {
            "items"
        };
        if kind == "items" && !refused_once {
            // Submitting nothing: the summary at the top, a message at each item, nothing lost.
            submit(browser).await;
            let refused = browser.source().await;
            assert!(
                refused.contains("id=\"problems\""),
                "an empty page is refused with a summary"
            );
            check(browser, "validation summary", shot("validation").as_deref()).await;
            refused_once = true;
        }
        check(browser, &format!("page {path}"), shot(kind).as_deref()).await;
        choose_everywhere(browser, if kind == "about" { 0 } else { 7 }).await;
        if kind == "about" {
            browser
                .fill("#comment", "更新鲜的牛奶 / fresher milk")
                .await;
        }
        submit(browser).await;
    }
    check(browser, "thanks", shot("thanks").as_deref()).await;
}

#[tokio::test]
async fn a_survey_is_completed_at_phone_and_desktop_width_with_javascript_on_and_off() {
    let (app, id) = app_with_survey("walk", true).await;
    let runs = [
        (Viewport::PHONE, Javascript::On, "en", Some("phone")),
        (
            Viewport::PHONE,
            Javascript::Off,
            "zh-CN",
            Some("phone-zh-nojs"),
        ),
        (Viewport::DESKTOP, Javascript::On, "en", Some("desktop")),
        (Viewport::DESKTOP, Javascript::Off, "en", None),
    ];
    for (done, (viewport, javascript, lang, shots)) in runs.into_iter().enumerate() {
        let browser = Browser::start(viewport, javascript).await;
        browser.goto(&app.url("/s/walk/thanks")).await;
        let scripting = browser
            .eval("return document.documentElement.classList.contains('js');")
            .await;
        assert_eq!(
            scripting,
            javascript == Javascript::On,
            "the page's own JavaScript is {javascript:?}"
        );
        complete_by_pointer(
            &app,
            &browser,
            "walk",
            lang,
            shots.map(|s| format!("survey-{s}")).as_deref(),
        )
        .await;
        assert_eq!(
            completed(&app, id).await,
            done as u64 + 1,
            "{viewport:?} {javascript:?}: the response is stored"
        );
        browser.close().await;
    }
    let rows = responses::Entity::find()
        .filter(responses::Column::QuestionnaireId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| r.region.as_deref() == Some("north") && r.comment.contains("fresher milk"))
    );
}

#[tokio::test]
async fn a_survey_is_completed_with_the_keyboard_alone() {
    let (app, id) = app_with_survey("keys", false).await;
    let browser = Browser::start(Viewport::PHONE, Javascript::On).await;
    browser.goto(&app.url("/s/keys?lang=en")).await;
    let mut presses = 0;
    while !browser.path().await.ends_with("/thanks") {
        presses += 1;
        assert!(presses < 400, "the keyboard reaches the end");
        browser.press(Key::Tab).await;
        let focused = browser
            .eval(
                "const e = document.activeElement; \
                 const group = e.type === 'radio' ? document.querySelectorAll('input[name=\"' + e.name + '\"]:checked').length : 0; \
                 const style = getComputedStyle(e.closest('label') || e); \
                 return [e.tagName, e.type || '', group, e.closest('.hp') ? 'hidden' : '', style.outlineStyle];",
            )
            .await;
        let tag = focused[0].as_str().unwrap_or_default();
        assert_ne!(focused[3], "hidden", "focus never lands on the honeypot");
        match (tag, focused[1].as_str().unwrap_or_default()) {
            ("INPUT", "radio") => {
                assert_ne!(
                    focused[4], "none",
                    "the focused option shows a visible outline"
                );
                if focused[2] == 0 {
                    browser.press(' ').await;
                }
            }
            ("BUTTON", _) => browser.press_and_wait(Key::Enter).await,
            _ => {}
        }
    }
    assert_eq!(completed(&app, id).await, 1);
    browser.close().await;
}

#[tokio::test]
async fn every_state_page_fits_320_pixels_and_passes_axe() {
    let (app, id) = app_with_survey("states", false).await;
    let browser = Browser::start(Viewport::NARROW, Javascript::On).await;
    // An item page at 320 px too.
    browser.goto(&app.url("/s/states?lang=zh-CN")).await;
    browser.click_and_wait("form button[type=submit]").await;
    check(&browser, "items at 320 px", Some("survey-narrow-items")).await;

    let change = |f: fn(&mut distributions::ActiveModel)| {
        let db = app.db.clone();
        let state = app.state.clone();
        async move {
            let row = distributions::Entity::find()
                .filter(distributions::Column::QuestionnaireId.eq(id))
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            let mut active = row.into_active_model();
            f(&mut active);
            active.update(&db).await.unwrap();
            // Changed behind the app's back (staff pages empty the cache themselves).
            state.survey_cache.invalidate();
        }
    };
    change(|d| d.opens_at = Set(Some(yardstick::store::now() + chrono::Duration::days(1)))).await;
    browser.goto(&app.url("/s/states?lang=en")).await;
    assert!(
        browser
            .source()
            .await
            .contains("data-state=\"not-yet-open\"")
    );
    check(&browser, "not yet open", Some("survey-state-not-yet-open")).await;
    change(|d| {
        d.opens_at = Set(None);
        d.status = Set(yardstick::store::entities::DistributionStatus::Closed);
    })
    .await;
    browser.goto(&app.url("/s/states?lang=zh-CN")).await;
    assert!(browser.source().await.contains("data-state=\"closed\""));
    check(&browser, "closed", Some("survey-state-closed")).await;
    change(|d| {
        d.status = Set(yardstick::store::entities::DistributionStatus::Open);
        d.quota = Set(Some(0));
    })
    .await;
    let fresh = Browser::start(Viewport::NARROW, Javascript::On).await;
    fresh.goto(&app.url("/s/states?lang=en")).await;
    assert!(fresh.source().await.contains("data-state=\"quota-full\""));
    check(&fresh, "quota full", Some("survey-state-quota-full")).await;
    fresh.goto(&app.url("/i/expiredorunknowntoken0001")).await;
    assert!(fresh.source().await.contains("data-state=\"not-found\""));
    check(&fresh, "unknown invitation", Some("survey-state-not-found")).await;
    fresh.close().await;
    browser.close().await;
}
