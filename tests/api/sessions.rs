//! Revocable sessions, the sign-in lockout per (email, address), and client addresses behind
//! trusted proxies (issue 12, items 3, 8 and 9a).

use crate::helpers::{TestApp, csrf_of, spawn_app, spawn_app_with};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use std::net::IpAddr;
use yardstick::domain::Role;
use yardstick::store;
use yardstick::store::entities::login_failures;

const PASSWORD: &str = "correct horse battery";

async fn add_user(app: &TestApp, email: &str, role: Role) -> i32 {
    store::users::upsert(&app.db, email, "Someone", PASSWORD, role)
        .await
        .unwrap()
        .id
}

/// The `yardstick=…` pair of a response's session cookie.
fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("yardstick="))
        .and_then(|v| v.split(';').next())
        .expect("the response sets the session cookie")
        .to_owned()
}

/// Signs `app`'s browser in and returns a copy of its session cookie, as a thief would take it.
async fn sign_in_and_copy(app: &TestApp, email: &str) -> String {
    let response = app
        .post_form(
            "/login",
            &[("email", email), ("password", PASSWORD), ("next", "/")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "{email} signs in");
    session_cookie(&response)
}

/// A client without a cookie store that always sends `cookie`: a copied cookie.
fn with_copied_cookie(cookie: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn status_of(app: &TestApp, client: &reqwest::Client, path: &str) -> u16 {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// A sign-in attempt from `forwarded_for` (an `X-Forwarded-For` header), in `app`'s browser.
async fn login_from(
    app: &TestApp,
    forwarded_for: Option<&str>,
    email: &str,
    password: &str,
) -> (u16, String) {
    let csrf = app.csrf().await;
    let mut request = app.client.post(app.url("/login")).form(&[
        ("csrf", csrf.as_str()),
        ("email", email),
        ("password", password),
        ("next", "/"),
    ]);
    if let Some(address) = forwarded_for {
        request = request.header("X-Forwarded-For", address);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

#[tokio::test]
async fn a_copied_cookie_is_refused_after_sign_out() {
    let app = spawn_app().await;
    add_user(&app, "viewer@example.test", Role::Viewer).await;
    let copy = with_copied_cookie(&sign_in_and_copy(&app, "viewer@example.test").await);
    assert_eq!(
        status_of(&app, &copy, "/account").await,
        200,
        "the copy works while signed in"
    );
    let response = app.post_form("/logout", &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        app.get("/account").await.status().as_u16(),
        303,
        "signed out"
    );
    assert_eq!(
        status_of(&app, &copy, "/account").await,
        303,
        "the copied cookie no longer signs anyone in"
    );
}

#[tokio::test]
async fn a_password_change_ends_every_other_session_and_keeps_this_one() {
    let app = spawn_app().await;
    add_user(&app, "viewer@example.test", Role::Viewer).await;
    let copy = with_copied_cookie(&sign_in_and_copy(&app, "viewer@example.test").await);
    let elsewhere = app.another_browser();
    sign_in_and_copy(&elsewhere, "viewer@example.test").await;
    assert_eq!(status_of(&app, &copy, "/account").await, 200);
    assert_eq!(elsewhere.get("/account").await.status().as_u16(), 200);
    let response = app
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "a brand new password"),
                ("repeat", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("密码已修改") || page.contains("password has been changed"));
    assert_eq!(
        app.get("/account").await.status().as_u16(),
        200,
        "the browser that changed the password stays signed in"
    );
    // The account page's own forms still work (its CSRF token is still the session's).
    let response = app
        .post_form("/account/tokens", &[("name", "after the change")])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        status_of(&app, &copy, "/account").await,
        303,
        "a cookie copied before the change is refused"
    );
    assert_eq!(
        elsewhere.get("/account").await.status().as_u16(),
        303,
        "the other browser is signed out"
    );
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_for_good() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Admin).await;
    let viewer = app.another_browser();
    let id = add_user(&app, "viewer@example.test", Role::Viewer).await;
    let copy = with_copied_cookie(&sign_in_and_copy(&viewer, "viewer@example.test").await);
    let path = format!("/admin/users/{id}");
    let response = app
        .post_form(&path, &[("role", "viewer"), ("disabled", "on")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(status_of(&app, &copy, "/account").await, 303);
    assert_eq!(viewer.get("/account").await.status().as_u16(), 303);
    // Enabling the account again does not bring the old sessions back.
    let response = app.post_form(&path, &[("role", "viewer")]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(status_of(&app, &copy, "/account").await, 303);
}

#[tokio::test]
async fn an_administrator_signs_a_user_out_everywhere() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Admin).await;
    let id = add_user(&app, "viewer@example.test", Role::Viewer).await;
    let laptop = app.another_browser();
    let phone = app.another_browser();
    let copy = with_copied_cookie(&sign_in_and_copy(&laptop, "viewer@example.test").await);
    sign_in_and_copy(&phone, "viewer@example.test").await;
    let (_, page) = app.get_html("/admin/users").await;
    assert!(
        page.contains(&format!("formaction=\"/admin/users/{id}/sign-out\"")),
        "the user list offers the button"
    );
    assert!(page.contains("在所有设备上退出") || page.contains("Sign out everywhere"));
    let response = app
        .post_form(&format!("/admin/users/{id}/sign-out"), &[])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    for (who, status) in [
        ("laptop", laptop.get("/account").await.status().as_u16()),
        ("phone", phone.get("/account").await.status().as_u16()),
        ("copy", status_of(&app, &copy, "/account").await),
    ] {
        assert_eq!(status, 303, "{who} is signed out");
    }
    assert_eq!(
        app.get("/admin/users").await.status().as_u16(),
        200,
        "the admin is not"
    );
    let audit = store::audit::recent(&app.db, 5).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "sign out everywhere"));
    // An unknown user is a 404 and changes nothing.
    let response = app.post_form("/admin/users/999999/sign-out", &[]).await;
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test]
async fn the_account_page_lists_sessions_and_signs_out_everywhere_else() {
    let app = spawn_app_with(&[("YARDSTICK_TRUSTED_PROXIES", "127.0.0.1")]).await;
    add_user(&app, "viewer@example.test", Role::Viewer).await;
    let other = app.another_browser();
    let csrf = other.csrf().await;
    let response = other
        .client
        .post(other.url("/login"))
        .header(
            "User-Agent",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0.47",
        )
        .header("X-Forwarded-For", "203.0.113.77")
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "viewer@example.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    sign_in_and_copy(&app, "viewer@example.test").await;
    let (status, page) = app.get_html("/account").await;
    assert_eq!(status, 200);
    assert!(page.contains("WeChat · iPhone"), "{page}");
    assert!(
        page.contains("203.0.113.77"),
        "the forwarded client address is shown"
    );
    assert!(page.contains("当前浏览器") || page.contains("this browser"));
    let response = app.post_form("/account/sessions/end-others", &[]).await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.unwrap();
    assert!(
        !page.contains("WeChat · iPhone"),
        "the other session is gone from the list"
    );
    assert_eq!(other.get("/account").await.status().as_u16(), 303);
    assert_eq!(app.get("/account").await.status().as_u16(), 200);
}

#[tokio::test]
async fn the_csrf_token_changes_at_sign_in() {
    let app = spawn_app().await;
    add_user(&app, "viewer@example.test", Role::Viewer).await;
    let before = app.csrf().await;
    sign_in_and_copy(&app, "viewer@example.test").await;
    let after = csrf_of(&app.get_html("/account").await.1);
    assert_ne!(
        before, after,
        "a token known before sign-in is worth nothing after"
    );
    let response = app
        .client
        .post(app.url("/account/tokens"))
        .form(&[("csrf", before.as_str()), ("name", "planted")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
}

#[tokio::test]
async fn unknown_wrong_and_locked_sign_ins_get_the_same_answer() {
    let app = spawn_app().await;
    add_user(&app, "admin@example.test", Role::Admin).await;
    let same = |page: &str, email: &str| page.replace(email, "EMAIL");
    let (wrong_status, wrong) = login_from(&app, None, "admin@example.test", "wrong").await;
    let (unknown_status, unknown) = login_from(&app, None, "nobody@example.test", "wrong").await;
    for _ in 2..=5 {
        login_from(&app, None, "admin@example.test", "wrong").await;
    }
    // Locked now: even the right password gets the same answer.
    let (locked_status, locked) = login_from(&app, None, "admin@example.test", PASSWORD).await;
    assert_eq!(
        (wrong_status, unknown_status, locked_status),
        (401, 401, 401)
    );
    assert_eq!(
        same(&wrong, "admin@example.test"),
        same(&unknown, "nobody@example.test")
    );
    assert_eq!(
        same(&locked, "admin@example.test"),
        same(&unknown, "nobody@example.test")
    );
    assert!(
        locked.contains("登录失败") || locked.contains("Sign-in failed"),
        "{locked}"
    );
    // Unknown emails are counted and locked just the same.
    for _ in 2..=5 {
        login_from(&app, None, "nobody@example.test", "wrong").await;
    }
    let pair = store::lockout::of(&app.db, "Nobody@Example.test", ip("127.0.0.1"))
        .await
        .unwrap()
        .expect("failures of an unknown email are recorded");
    assert_eq!(pair.failures, 5);
    assert!(pair.locked_until.is_some());
    let (status, page) = login_from(&app, None, "nobody@example.test", "wrong").await;
    assert_eq!(status, 401);
    assert_eq!(
        same(&page, "nobody@example.test"),
        same(&wrong, "admin@example.test")
    );
}

#[tokio::test]
async fn a_lockout_from_one_address_does_not_lock_the_admin_out_elsewhere() {
    let app = spawn_app_with(&[("YARDSTICK_TRUSTED_PROXIES", "127.0.0.1")]).await;
    add_user(&app, "admin@example.test", Role::Admin).await;
    for attempt in 1..=5 {
        let (status, _) =
            login_from(&app, Some("198.51.100.66"), "admin@example.test", "guess").await;
        assert_eq!(status, 401, "attempt {attempt}");
    }
    let (status, _) = login_from(&app, Some("198.51.100.66"), "admin@example.test", PASSWORD).await;
    assert_eq!(status, 401, "the attacker's address is locked");
    let admin = app.another_browser();
    let (status, _) =
        login_from(&admin, Some("203.0.113.10"), "admin@example.test", PASSWORD).await;
    assert_eq!(status, 303, "the admin signs in from another address");
    assert_eq!(admin.get("/admin/users").await.status().as_u16(), 200);
    assert!(
        store::lockout::of(&app.db, "admin@example.test", ip("198.51.100.66"))
            .await
            .unwrap()
            .is_some_and(|p| p.failures == 5),
        "the admin's success does not clear the attacker's lock"
    );
}

/// Failures and seconds left of the lock of viewer@example.test from `from`.
async fn lock_of(db: &sea_orm::DatabaseConnection, from: &str) -> (i32, i64) {
    let pair = store::lockout::of(db, "viewer@example.test", ip(from))
        .await
        .unwrap()
        .unwrap();
    let left = (pair.locked_until.unwrap() - store::now()).num_seconds();
    (pair.failures, left)
}

/// Lets the lock from `from` run out, as if its time had passed.
async fn expire_lock(db: &sea_orm::DatabaseConnection, from: &str) {
    login_failures::Entity::update_many()
        .col_expr(
            login_failures::Column::LockedUntil,
            Expr::value(Some(store::now() - chrono::Duration::seconds(1))),
        )
        .filter(login_failures::Column::Address.eq(from))
        .exec(db)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_lockout_backs_off_exponentially() {
    let app = spawn_app_with(&[("YARDSTICK_TRUSTED_PROXIES", "127.0.0.1")]).await;
    add_user(&app, "viewer@example.test", Role::Viewer).await;
    let from = "198.51.100.7";
    for _ in 1..=5 {
        login_from(&app, Some(from), "viewer@example.test", "guess").await;
    }
    let (failures, left) = lock_of(&app.db, from).await;
    assert_eq!(failures, 5);
    assert!((25..=30).contains(&left), "first lock {left} s");
    // Attempts while locked are refused unchecked and do not count.
    let (status, _) = login_from(&app, Some(from), "viewer@example.test", PASSWORD).await;
    assert_eq!(status, 401);
    assert_eq!(lock_of(&app.db, from).await.0, 5);
    let mut previous = left;
    for (failures, expected) in [(6, 60), (7, 120), (8, 240)] {
        expire_lock(&app.db, from).await;
        login_from(&app, Some(from), "viewer@example.test", "guess").await;
        let (counted, left) = lock_of(&app.db, from).await;
        assert_eq!(counted, failures);
        assert!(
            left > previous,
            "the lock grows: {left} s after {previous} s"
        );
        assert!(
            (expected - 5..=expected).contains(&left),
            "lock after {failures} failures: {left} s, expected about {expected}"
        );
        previous = left;
    }
    // Once the lock has run out, the right password works and clears the record.
    expire_lock(&app.db, from).await;
    let (status, _) = login_from(&app, Some(from), "viewer@example.test", PASSWORD).await;
    assert_eq!(status, 303);
    assert!(
        store::lockout::of(&app.db, "viewer@example.test", ip(from))
            .await
            .unwrap()
            .is_none()
    );
}

/// Posts an empty survey form until the submission limit answers 429; how many it took.
async fn submissions_until_limited(
    app: &TestApp,
    forwarded_for: impl Fn(usize) -> String,
) -> Option<usize> {
    for n in 1..=250 {
        let response = app
            .client
            .post(app.url("/s/nowhere"))
            .header("X-Forwarded-For", forwarded_for(n))
            .form(&[("csrf", "")])
            .send()
            .await
            .unwrap();
        match response.status().as_u16() {
            429 => return Some(n),
            403 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    None
}

#[tokio::test]
async fn a_forged_forwarded_for_changes_nothing_without_trusted_proxies() {
    let app = spawn_app_with(&[
        ("YARDSTICK_LOGIN_ATTEMPTS_PER_MINUTE", "3"),
        ("YARDSTICK_SUBMISSIONS_PER_SECOND", "1"),
    ])
    .await;
    add_user(&app, "viewer@example.test", Role::Viewer).await;
    for n in 1..=3 {
        let forged = format!("198.51.100.{n}");
        let (status, _) = login_from(&app, Some(&forged), "viewer@example.test", "guess").await;
        assert_eq!(status, 401);
    }
    let (status, _) = login_from(&app, Some("203.0.113.99"), "viewer@example.test", PASSWORD).await;
    assert_eq!(
        status, 429,
        "every attempt counted against the real peer address"
    );
    let failures = store::lockout::of(&app.db, "viewer@example.test", ip("127.0.0.1"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        failures.failures, 3,
        "the lockout keyed on the peer, not the header"
    );
    assert!(
        submissions_until_limited(&app, |n| format!("10.9.{}.{}", n / 250, n % 250))
            .await
            .is_some(),
        "a new forged address per submission does not escape the limit"
    );
    let audit = store::audit::recent(&app.db, 10).await.unwrap();
    assert!(
        audit
            .iter()
            .filter(|e| e.action == "login failed")
            .all(|e| e.detail.ends_with("from 127.0.0.1")),
        "audit records name the real address"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_both_limiters_use_the_forwarded_address() {
    let app = spawn_app_with(&[
        ("YARDSTICK_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"),
        ("YARDSTICK_LOGIN_ATTEMPTS_PER_MINUTE", "3"),
        ("YARDSTICK_SUBMISSIONS_PER_SECOND", "1"),
    ])
    .await;
    add_user(&app, "viewer@example.test", Role::Viewer).await;
    // The client forged the first entry; a trusted proxy at 10.1.1.1 appended the real client.
    let client_a = "6.6.6.6, 198.51.100.1, 10.1.1.1";
    for _ in 1..=3 {
        let (status, _) = login_from(&app, Some(client_a), "viewer@example.test", "guess").await;
        assert_eq!(status, 401);
    }
    let (status, _) = login_from(&app, Some(client_a), "viewer@example.test", PASSWORD).await;
    assert_eq!(status, 429, "client A is throttled");
    let (status, _) = login_from(
        &app,
        Some("7.7.7.7, 198.51.100.1"),
        "viewer@example.test",
        PASSWORD,
    )
    .await;
    assert_eq!(status, 429, "forging another first entry does not help A");
    let b = app.another_browser();
    let (status, _) = login_from(&b, Some("198.51.100.2"), "viewer@example.test", PASSWORD).await;
    assert_eq!(
        status, 303,
        "client B behind the same proxy is not throttled"
    );
    assert!(
        store::lockout::of(&app.db, "viewer@example.test", ip("198.51.100.1"))
            .await
            .unwrap()
            .is_some_and(|p| p.failures == 3),
        "the lockout counted client A's address"
    );
    let audit = store::audit::recent(&app.db, 20).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "login throttled" && e.subject == "198.51.100.1"),
        "the throttling is audited with the client address"
    );
    // The survey submission limit: A runs out, B does not.
    let taken = submissions_until_limited(&app, |_| "198.51.100.1".into())
        .await
        .expect("client A meets the submission limit");
    assert!(taken > 100, "after the burst: {taken}");
    let response = app
        .client
        .post(app.url("/s/nowhere"))
        .header("X-Forwarded-For", "198.51.100.2")
        .form(&[("csrf", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403, "client B may still submit");
}
