//! Login throttling, CSRF rejection, session expiry, API-token auth, problem details and escaping.

use crate::helpers::{TestApp, client, csrf_of, spawn_app, spawn_app_with};
use yardstick::domain::Role;
use yardstick::store;

async fn api_token(app: &TestApp, role: Role) -> String {
    let email = format!("{}@example.test", role.as_str());
    let user = store::users::upsert(
        &app.db,
        &email,
        role.as_str(),
        "correct horse battery",
        role,
    )
    .await
    .unwrap();
    store::api_tokens::create(&app.db, user.id, "test", &format!("secret{}", user.id))
        .await
        .unwrap()
        .0
}

#[tokio::test]
async fn sign_ins_from_one_address_are_throttled_after_the_limit() {
    let app = spawn_app_with(&[("YARDSTICK_LOGIN_ATTEMPTS_PER_MINUTE", "3")]).await;
    store::users::upsert(
        &app.db,
        "someone@example.test",
        "S",
        "correct horse battery",
        Role::Viewer,
    )
    .await
    .unwrap();
    for attempt in 1..=3 {
        let response = app
            .post_form(
                "/login",
                &[
                    ("email", "someone@example.test"),
                    ("password", "wrong"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(
            response.status().as_u16(),
            401,
            "attempt {attempt} is checked"
        );
    }
    // Even the right password is not checked now: the address is throttled.
    let response = app
        .post_form(
            "/login",
            &[
                ("email", "someone@example.test"),
                ("password", "correct horse battery"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let page = response.text().await.unwrap();
    assert!(
        page.contains("登录尝试过于频繁") || page.contains("Too many sign-in attempts"),
        "{page}"
    );
    let audit = store::audit::recent(&app.db, 10).await.unwrap();
    assert!(
        audit.iter().any(|e| e.action == "login throttled"),
        "the throttling is audited"
    );
}

#[tokio::test]
async fn a_form_without_the_session_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Admin).await;
    let before = store::user_admin::all(&app.db).await.unwrap().len();
    for token in ["", "forged-token"] {
        let response = app
            .client
            .post(app.url("/admin/users"))
            .form(&[
                ("csrf", token),
                ("email", "new@example.test"),
                ("role", "viewer"),
                ("password", "a long password"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 403, "token {token:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains("表单已过期") || page.contains("The form has expired"));
    }
    // Another session's token is not this session's.
    let other = client();
    let foreign = csrf_of(
        &other
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let response = app
        .client
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf", foreign.as_str()),
            ("email", "new@example.test"),
            ("role", "viewer"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(
        store::user_admin::all(&app.db).await.unwrap().len(),
        before,
        "no user was added"
    );
    // With the right token the same form works.
    let response = app
        .post_form(
            "/admin/users",
            &[
                ("email", "new@example.test"),
                ("role", "viewer"),
                ("password", "a long password"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        store::user_admin::all(&app.db).await.unwrap().len(),
        before + 1
    );
}

#[tokio::test]
async fn a_session_ends_after_the_inactivity_limit() {
    let app = spawn_app_with(&[("YARDSTICK_SESSION_MINUTES", "1")]).await;
    app.sign_in_as(Role::Viewer).await;
    assert_eq!(app.get("/account").await.status().as_u16(), 200);
    tokio::time::sleep(std::time::Duration::from_secs(62)).await;
    let response = app.get("/account").await;
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/login?next=/account"), "{location}");
    let (_, page) = app.get_html("/login").await;
    assert!(!page.contains("viewer@example.test"), "signed out");
}

#[tokio::test]
async fn api_tokens_authenticate_only_while_valid_and_errors_are_problem_details() {
    let app = spawn_app().await;
    let problem = |response: reqwest::Response, status: u16| async move {
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], status);
        assert!(
            body["title"].is_string() && body["detail"].is_string() && body["type"].is_string(),
            "{body}"
        );
        body
    };
    // No token, a malformed header, an unknown token.
    problem(app.get("/api/v1/questionnaires").await, 401).await;
    let response = app
        .client
        .get(app.url("/api/v1/questionnaires"))
        .header("Authorization", "Basic eDp5")
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    problem(response, 401).await;
    problem(
        app.client
            .get(app.url("/api/v1/questionnaires"))
            .bearer_auth("ys_not-a-token")
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
    // A viewer's token reads but may not create contacts.
    let viewer = api_token(&app, Role::Viewer).await;
    let response = app
        .client
        .get(app.url("/api/v1/questionnaires"))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!([])
    );
    problem(
        app.client
            .post(app.url("/api/v1/contacts"))
            .bearer_auth(&viewer)
            .json(&serde_json::json!({"email": "a@b.test"}))
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    // Only the hash is stored.
    use sea_orm::EntityTrait;
    let stored: Vec<String> = store::entities::api_tokens::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.token_hash)
        .collect();
    assert!(
        !stored
            .iter()
            .any(|h| h.contains(viewer.trim_start_matches("ys_"))),
        "the token itself is not stored"
    );
    assert!(stored.contains(&store::api_tokens::hash(&viewer)));
    // A token created on the account page is shown once, then works, then stops working when revoked.
    app.sign_in_as(Role::Designer).await;
    let response = app
        .post_form("/account/tokens", &[("name", "CRM sync")])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.unwrap();
    let token = page
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert!(token.starts_with("ys_"));
    assert!(
        !app.get_html("/account").await.1.contains(&token),
        "shown only once"
    );
    let response = app
        .client
        .get(app.url("/api/v1/contacts"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let id = store::api_tokens::of_user(
        &app.db,
        store::users::all(&app.db)
            .await
            .unwrap()
            .iter()
            .find(|u| u.email == "designer@example.test")
            .unwrap()
            .id,
    )
    .await
    .unwrap()[0]
        .id;
    assert_eq!(
        app.post_form(&format!("/account/tokens/{id}/revoke"), &[])
            .await
            .status()
            .as_u16(),
        303
    );
    problem(
        app.client
            .get(app.url("/api/v1/contacts"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
    // Problem details for a bad body, a bad path, an unknown route and a too-large body.
    let designer = api_token(&app, Role::Designer).await;
    let send = |body: String| {
        app.client
            .post(app.url("/api/v1/contacts"))
            .bearer_auth(&designer)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    problem(send("{not json".into()).await.unwrap(), 400).await;
    let body = problem(
        send(r#"{"email": "not an email", "customer_class": "Z"}"#.into())
            .await
            .unwrap(),
        422,
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "customer_class"]);
    problem(
        send(format!(
            r#"{{"email": "{}@x.test"}}"#,
            "a".repeat(300 * 1024)
        ))
        .await
        .unwrap(),
        413,
    )
    .await;
    problem(
        app.client
            .get(app.url("/api/v1/responses/abc"))
            .bearer_auth(&designer)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    problem(
        app.client
            .get(app.url("/api/v1/nothing-here"))
            .bearer_auth(&designer)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    problem(
        app.client
            .get(app.url("/api/v1/questionnaires/999"))
            .bearer_auth(&designer)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    // Nothing was stored by the refused requests.
    assert_eq!(
        app.client
            .get(app.url("/api/v1/contacts"))
            .bearer_auth(&designer)
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()["contacts"],
        serde_json::json!([])
    );
}

#[tokio::test]
async fn a_user_limited_to_questionnaires_cannot_open_others() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Admin).await;
    let first = app.publish_template("acsi.toml", "first", "", false).await;
    let second = app.publish_template("acsi.toml", "second", "", false).await;
    let viewer = api_token(&app, Role::Viewer).await;
    let user = store::users::all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "viewer@example.test")
        .unwrap();
    let response = app
        .post_form(
            &format!("/admin/users/{}", user.id),
            &[("role", "viewer"), ("q", &first.to_string())],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let browser = app.another_browser();
    browser.sign_in_as(Role::Viewer).await;
    assert_eq!(
        browser
            .get(&format!("/reports/{first}"))
            .await
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        browser
            .get(&format!("/reports/{second}"))
            .await
            .status()
            .as_u16(),
        403
    );
    let get = |path: String| app.client.get(app.url(&path)).bearer_auth(&viewer).send();
    assert_eq!(
        get(format!("/api/v1/questionnaires/{first}"))
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        get(format!("/api/v1/questionnaires/{second}"))
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        get(format!("/api/v1/questionnaires/{second}/results"))
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );
    let listed: serde_json::Value = get("/api/v1/questionnaires".into())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [i64::from(first)]
    );
    let audit = app.get_html("/admin/audit").await.1;
    assert!(audit.contains("change user"), "the change is audited");
}
