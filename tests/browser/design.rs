//! The designer in a real browser: build a small model through the pages, publish it, and save
//! screenshots of the designer and of the phone preview under `artifacts/`.

use crate::harness::{Browser, Javascript, Viewport};
use crate::helpers::spawn_app;
use fantoccini::Locator;
use yardstick::domain::Role;
use yardstick::store::{questionnaires, users};

async fn fill(browser: &Browser, css: &str, text: &str) {
    let field = browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn select(browser: &Browser, css: &str, value: &str) {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

async fn add_indicator(
    browser: &Browser,
    base: &str,
    construct: &str,
    code: &str,
    zh: &str,
    en: &str,
) {
    browser
        .goto(&format!(
            "{base}/indicators/new?construct={construct}&lang=en"
        ))
        .await;
    fill(browser, "#code", code).await;
    fill(browser, "#text_zh", zh).await;
    fill(browser, "#text_en", en).await;
    select(browser, "#scale", "likert5").await;
    browser.click("form.stack button[type=submit]").await;
    wait_for_path(browser, &format!("/constructs/{construct}")).await;
}

/// Waits (up to 10 s) until the browser shows a page whose path ends with `suffix`.
async fn wait_for_path(browser: &Browser, suffix: &str) {
    for _ in 0..100 {
        if browser.path().await.ends_with(suffix) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "never reached …{suffix}; at {}:\n{}",
        browser.path().await,
        browser.source().await
    );
}

#[tokio::test]
async fn a_designer_builds_publishes_and_previews_a_model() {
    let app = spawn_app().await;
    users::upsert(
        &app.db,
        "designer@example.test",
        "Designer",
        "correct horse battery",
        Role::Designer,
    )
    .await
    .unwrap();
    let browser = Browser::start(Viewport::DESKTOP, Javascript::Off).await;
    browser.goto(&app.url("/login?lang=en")).await;
    fill(&browser, "#email", "designer@example.test").await;
    fill(&browser, "#password", "correct horse battery").await;
    browser.click("main form button[type=submit]").await;
    wait_for_path(&browser, "/").await;

    browser.goto(&app.url("/design?lang=en")).await;
    select(&browser, "#template", "blank").await;
    fill(&browser, "#slug", "browser-built").await;
    fill(&browser, "#title_zh", "门店满意度").await;
    fill(&browser, "#title_en", "Store satisfaction").await;
    fill(&browser, "#own_brand", "Our Store").await;
    browser.click("form.stack button[type=submit]").await;
    for _ in 0..100 {
        if browser.path().await.starts_with("/design/questionnaires/") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let base = app.url(&browser.path().await);
    assert!(base.contains("/design/questionnaires/"), "{base}");

    for (code, zh, en) in [
        ("QUA", "感知质量", "Perceived quality"),
        ("SAT", "顾客满意", "Satisfaction"),
    ] {
        browser
            .goto(&format!("{base}/constructs/new?lang=en"))
            .await;
        fill(&browser, "#code", code).await;
        fill(&browser, "#name_zh", zh).await;
        fill(&browser, "#name_en", en).await;
        browser.click("form.stack button[type=submit]").await;
        wait_for_path(&browser, &format!("/constructs/{code}")).await;
    }
    add_indicator(
        &browser,
        &base,
        "QUA",
        "QUA1",
        "商品质量如何？",
        "How good are the products?",
    )
    .await;
    add_indicator(
        &browser,
        &base,
        "QUA",
        "QUA2",
        "服务质量如何？",
        "How good is the service?",
    )
    .await;
    add_indicator(
        &browser,
        &base,
        "QUA",
        "QUA3",
        "门店环境如何？",
        "How pleasant is the store?",
    )
    .await;
    add_indicator(
        &browser,
        &base,
        "SAT",
        "SAT1",
        "总体满意度如何？",
        "How satisfied are you overall?",
    )
    .await;
    add_indicator(
        &browser,
        &base,
        "SAT",
        "SAT2",
        "与理想门店相比如何？",
        "How close is it to your ideal store?",
    )
    .await;
    add_indicator(
        &browser,
        &base,
        "SAT",
        "SAT3",
        "是否符合您的期望？",
        "How well did it meet your expectations?",
    )
    .await;

    browser.goto(&format!("{base}?lang=en")).await;
    select(&browser, "#from", "QUA").await;
    select(&browser, "#to", "SAT").await;
    browser.click("#paths form.row button[type=submit]").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    browser.goto(&format!("{base}?lang=en")).await;
    let page = browser.source().await;
    assert!(
        page.contains("<line class=\"path\""),
        "the diagram shows the new path"
    );
    browser.screenshot_full("designer-overview").await;

    browser.click("#publish").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let id: i32 = base.rsplit('/').next().unwrap().parse().unwrap();
    let current = questionnaires::current_version(&app.db, id)
        .await
        .unwrap()
        .expect("published");
    assert_eq!(current.number, 1);

    browser.goto(&format!("{base}/preview?lang=en")).await;
    browser.screenshot_full("designer-preview").await;
    // The frame is a 375-pixel phone viewport showing the published questions.
    browser.goto(&format!("{base}/preview/phone?lang=en")).await;
    assert!(
        browser
            .source()
            .await
            .contains("How satisfied are you overall?")
    );
    browser.close().await;
}
