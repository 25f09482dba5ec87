//! Questionnaire texts, brand names, contact names and comments containing HTML are shown inert on every page that shows them.

use crate::helpers::spawn_app;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use yardstick::domain::Role;
use yardstick::store;

const EVIL: &str = "<script>alert('xss')</script><img src=x onerror=alert(1)>";

#[tokio::test]
async fn user_text_with_html_is_escaped_on_every_page() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Admin).await;
    let fields = [
        ("template", "acsi.toml"),
        ("slug", "evil"),
        ("title_zh", EVIL),
        ("title_en", EVIL),
        ("own_brand", EVIL),
        ("competitors", "Rival <b>bold</b>\n\"quoted\" & <i>"),
        ("screening", "on"),
    ];
    let response = app.post_form("/design/questionnaires", &fields).await;
    assert_eq!(response.status().as_u16(), 303, "created");
    let id: i32 = response.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        app.post_form(&format!("/design/questionnaires/{id}/publish"), &[])
            .await
            .status()
            .as_u16(),
        303
    );
    // Item texts as a model file could bring them (set before any page caches the frozen model).
    store::entities::indicators::Entity::update_many()
        .col_expr(
            store::entities::indicators::Column::TextZh,
            Expr::value(EVIL),
        )
        .col_expr(
            store::entities::indicators::Column::TextEn,
            Expr::value(EVIL),
        )
        .filter(store::entities::indicators::Column::Code.eq("SAT1"))
        .exec(&app.db)
        .await
        .unwrap();
    store::directory::create_contact(
        &app.db,
        store::directory::NewContact {
            email: "evil@example.test".into(),
            name: EVIL.into(),
            language: "en".into(),
            region: Some(EVIL.into()),
            customer_class: None,
            lifecycle_stage: None,
            attributes: Default::default(),
        },
    )
    .await
    .unwrap();
    let hook = format!("http://127.0.0.1:9/{}", "x");
    app.post_form(
        "/admin/webhooks",
        &[("questionnaire", &id.to_string()), ("url", &hook)],
    )
    .await;
    let pages = [
        "/".to_owned(),
        "/design".to_owned(),
        format!("/design/questionnaires/{id}"),
        format!("/design/questionnaires/{id}/constructs/SAT"),
        format!("/design/questionnaires/{id}/indicators/SAT1"),
        format!("/design/questionnaires/{id}/preview"),
        format!("/reports/{id}"),
        "/s/evil".to_owned(),
        "/admin/users".to_owned(),
        "/admin/webhooks".to_owned(),
        "/admin/privacy?q=evil".to_owned(),
        "/contacts".to_owned(),
    ];
    let mut shown = 0;
    for page in &pages {
        let (status, html) = app.get_html(page).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            !html.contains("<script>alert"),
            "{page} contains live script"
        );
        assert!(!html.contains("<img src=x"), "{page} contains a live tag");
        assert!(
            !html.contains("<b>bold</b>") && !html.contains("<i>"),
            "{page} contains live markup"
        );
        if html.contains("&lt;script&gt;alert(") {
            shown += 1;
        }
    }
    assert!(
        shown >= 9,
        "the texts are shown, escaped, on most pages ({shown} of {})",
        pages.len()
    );
    // The survey's item page (with the item text and the brand choice) after starting.
    let response = app.post_form("/s/evil", &[]).await;
    let next = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_else(|| "/s/evil/1".into());
    let (_, html) = app.get_html(&next).await;
    assert!(!html.contains("<script>alert") && !html.contains("<b>bold</b>"));
    assert!(
        html.contains("&lt;b&gt;bold&lt;/b&gt;") || html.contains("&lt;script&gt;"),
        "brands or items shown escaped on {next}"
    );
}
