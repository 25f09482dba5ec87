//! Every route × anonymous / viewer / designer / admin gets the expected status.
//!
//! The routes come from the app's own table (`yardstick::web::routes::ROUTES`), the one place
//! routes are declared and registered, with the access the app enforces for each. A handler
//! that is not in the table cannot exist: handlers carry no `#[get]`/`#[post]` attribute and
//! are `pub(crate)`, so one that `ROUTES` does not name is dead code, which the build refuses.
//! No route may be registered outside the table either (checked below), so a new route
//! cannot be forgotten: add its line to `ROUTES` and to `EXPECT` below.

use crate::helpers::{TestApp, csrf_of, spawn_app};
use yardstick::domain::Role;
use yardstick::store;
use yardstick::web::routes::{Access, ROUTES};

#[rustfmt::skip]
/// (method, pattern as in ROUTES, concrete path, [anonymous, viewer, designer, admin]).
/// In the concrete path `{q}` is the fixture questionnaire (published, slug `walk`), `{c}` a
/// scheduled campaign of it, `{r}` a completed response to it and `{target}` a viewer account.
/// POSTs send an empty form (or `{}` for the API) with a valid CSRF token.
const EXPECT: &[(&str, &str, &str, [u16; 4])] = &[
    (
        "GET",
        "/static/app.css",
        "/static/app.css",
        [200, 200, 200, 200],
    ),
    (
        "GET",
        "/static/survey.css",
        "/static/survey.css",
        [200, 200, 200, 200],
    ),
    (
        "GET",
        "/static/survey.js",
        "/static/survey.js",
        [200, 200, 200, 200],
    ),
    ("GET", "/health", "/health", [200, 200, 200, 200]),
    ("GET", "/login", "/login", [200, 200, 200, 200]),
    ("POST", "/login", "/login", [400, 400, 400, 400]),
    ("POST", "/logout", "/logout", [303, 303, 303, 303]),
    ("GET", "/", "/", [200, 200, 200, 200]),
    ("GET", "/design", "/design", [303, 403, 200, 200]),
    (
        "POST",
        "/design/questionnaires",
        "/design/questionnaires",
        [303, 403, 422, 422],
    ),
    (
        "GET",
        "/design/questionnaires/{id}",
        "/design/questionnaires/{q}",
        [303, 403, 200, 200],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/publish",
        "/design/questionnaires/{q}/publish",
        [303, 403, 422, 422],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/versions",
        "/design/questionnaires/{q}/versions",
        [303, 403, 303, 303],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/paths",
        "/design/questionnaires/{q}/paths",
        [303, 403, 422, 422],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/paths/remove",
        "/design/questionnaires/{q}/paths/remove",
        [303, 403, 404, 404],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/constructs/new",
        "/design/questionnaires/{q}/constructs/new",
        [303, 403, 200, 200],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/constructs",
        "/design/questionnaires/{q}/constructs",
        [303, 403, 422, 422],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/constructs/{code}",
        "/design/questionnaires/{q}/constructs/SAT",
        [303, 403, 200, 200],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/constructs/{code}",
        "/design/questionnaires/{q}/constructs/SAT",
        [303, 403, 422, 422],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/constructs/{code}/remove",
        "/design/questionnaires/{q}/constructs/NOPE/remove",
        [303, 403, 404, 404],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/constructs/{code}/dimensions",
        "/design/questionnaires/{q}/constructs/SAT/dimensions",
        [303, 403, 422, 422],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/constructs/{code}/dimensions/remove",
        "/design/questionnaires/{q}/constructs/SAT/dimensions/remove",
        [303, 403, 404, 404],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/indicators/new",
        "/design/questionnaires/{q}/indicators/new",
        [303, 403, 200, 200],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/indicators",
        "/design/questionnaires/{q}/indicators",
        [303, 403, 422, 422],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/indicators/{code}",
        "/design/questionnaires/{q}/indicators/SAT1",
        [303, 403, 200, 200],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/indicators/{code}",
        "/design/questionnaires/{q}/indicators/SAT1",
        [303, 403, 422, 422],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/indicators/{code}/remove",
        "/design/questionnaires/{q}/indicators/NOPE/remove",
        [303, 403, 404, 404],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/indicators/{code}/move",
        "/design/questionnaires/{q}/indicators/NOPE/move",
        [303, 403, 404, 404],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/settings",
        "/design/questionnaires/{q}/settings",
        [303, 403, 200, 200],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/settings",
        "/design/questionnaires/{q}/settings",
        [303, 403, 422, 422],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/info",
        "/design/questionnaires/{q}/info",
        [303, 403, 422, 422],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/diff",
        "/design/questionnaires/{q}/diff",
        [303, 403, 200, 200],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/export",
        "/design/questionnaires/{q}/export",
        [303, 403, 200, 200],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/import",
        "/design/questionnaires/{q}/import",
        [303, 403, 200, 200],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/import",
        "/design/questionnaires/{q}/import",
        [303, 403, 422, 422],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/preview",
        "/design/questionnaires/{q}/preview",
        [303, 403, 200, 200],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/preview/phone",
        "/design/questionnaires/{q}/preview/phone",
        [303, 403, 200, 200],
    ),
    (
        "GET",
        "/design/questionnaires/{id}/weights",
        "/design/questionnaires/{q}/weights",
        [303, 403, 200, 200],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/weights",
        "/design/questionnaires/{q}/weights",
        [303, 403, 303, 303],
    ),
    (
        "POST",
        "/design/questionnaires/{id}/weights/ahp",
        "/design/questionnaires/{q}/weights/ahp",
        [303, 403, 400, 400],
    ),
    ("GET", "/s/{slug}", "/s/walk", [200, 200, 200, 200]),
    ("POST", "/s/{slug}", "/s/walk", [303, 303, 303, 303]),
    (
        "GET",
        "/s/{slug}/thanks",
        "/s/walk/thanks",
        [200, 200, 200, 200],
    ),
    (
        "GET",
        "/s/{slug}/r/{token}",
        "/s/walk/r/no-such-token",
        [404, 404, 404, 404],
    ),
    ("GET", "/s/{slug}/{page}", "/s/walk/1", [200, 200, 200, 200]),
    (
        "POST",
        "/s/{slug}/{page}",
        "/s/walk/1",
        [422, 422, 422, 422],
    ),
    (
        "GET",
        "/i/{token}",
        "/i/no-such-token",
        [404, 404, 404, 404],
    ),
    (
        "POST",
        "/i/{token}",
        "/i/no-such-token",
        [404, 404, 404, 404],
    ),
    (
        "GET",
        "/i/{token}/thanks",
        "/i/no-such-token/thanks",
        [404, 404, 404, 404],
    ),
    (
        "GET",
        "/i/{token}/{page}",
        "/i/no-such-token/1",
        [404, 404, 404, 404],
    ),
    (
        "POST",
        "/i/{token}/{page}",
        "/i/no-such-token/1",
        [404, 404, 404, 404],
    ),
    ("GET", "/reports/{id}", "/reports/{q}", [303, 200, 200, 200]),
    ("GET", "/static/report.css", "/static/report.css", [200, 200, 200, 200]),
    ("GET", "/reports/{id}/settings", "/reports/{q}/settings", [303, 403, 200, 200]),
    ("POST", "/reports/{id}/settings", "/reports/{q}/settings", [303, 403, 422, 422]),
    ("GET", "/reports/{id}/figures/{format}", "/reports/{q}/figures/json", [303, 200, 200, 200]),
    ("GET", "/reports/{id}/responses/{format}", "/reports/{q}/responses/csv", [303, 200, 200, 200]),
    ("GET", "/reports/{id}/{period}/report.pdf", "/reports/{q}/2020-Q1/report.pdf", [303, 404, 404, 404]),
    ("GET", "/reports/{id}/{period}", "/reports/{q}/2020-Q1", [303, 404, 404, 404]),
    ("GET", "/design/questionnaires/{id}/field-data", "/design/questionnaires/{q}/field-data", [303, 403, 200, 200]),
    ("POST", "/design/questionnaires/{id}/field-data", "/design/questionnaires/{q}/field-data", [303, 403, 422, 422]),
    ("GET", "/account", "/account", [303, 200, 200, 200]),
    (
        "POST",
        "/account/password",
        "/account/password",
        [303, 422, 422, 422],
    ),
    (
        "POST",
        "/account/tokens",
        "/account/tokens",
        [303, 422, 422, 422],
    ),
    (
        "POST",
        "/account/sessions/end-others",
        "/account/sessions/end-others",
        [303, 200, 200, 200],
    ),
    (
        "POST",
        "/account/tokens/{id}/revoke",
        "/account/tokens/999999/revoke",
        [303, 404, 404, 404],
    ),
    ("GET", "/admin/audit", "/admin/audit", [303, 403, 403, 200]),
    ("GET", "/admin/users", "/admin/users", [303, 403, 403, 200]),
    ("POST", "/admin/users", "/admin/users", [303, 403, 403, 422]),
    (
        "POST",
        "/admin/users/{id}",
        "/admin/users/{target}",
        [303, 403, 403, 422],
    ),
    (
        "POST",
        "/admin/users/{id}/sign-out",
        "/admin/users/{target}/sign-out",
        [303, 403, 403, 303],
    ),
    (
        "GET",
        "/admin/webhooks",
        "/admin/webhooks",
        [303, 403, 403, 200],
    ),
    (
        "POST",
        "/admin/webhooks",
        "/admin/webhooks",
        [303, 403, 403, 422],
    ),
    (
        "POST",
        "/admin/webhooks/{id}/delete",
        "/admin/webhooks/999999/delete",
        [303, 403, 403, 404],
    ),
    (
        "GET",
        "/admin/privacy",
        "/admin/privacy",
        [303, 403, 403, 200],
    ),
    (
        "POST",
        "/admin/privacy/contacts/{id}",
        "/admin/privacy/contacts/999999",
        [303, 403, 403, 400],
    ),
    (
        "POST",
        "/admin/privacy/purge",
        "/admin/privacy/purge",
        [303, 403, 403, 422],
    ),
    ("GET", "/contacts", "/contacts", [303, 403, 200, 200]),
    (
        "GET",
        "/contacts/import",
        "/contacts/import",
        [303, 403, 200, 200],
    ),
    // The role is checked before the multipart body is read (and this empty one refused).
    ("POST", "/contacts/import", "/contacts/import", [303, 403, 400, 400]),
    ("GET", "/campaigns", "/campaigns", [303, 403, 200, 200]),
    (
        "GET",
        "/campaigns/new",
        "/campaigns/new",
        [303, 403, 200, 200],
    ),
    ("POST", "/campaigns", "/campaigns", [303, 403, 422, 422]),
    (
        "GET",
        "/campaigns/{id}",
        "/campaigns/{c}",
        [303, 403, 200, 200],
    ),
    // The designer cancels the scheduled campaign; for the admin after them it is no longer cancellable.
    (
        "POST",
        "/campaigns/{id}/cancel",
        "/campaigns/{c}/cancel",
        [303, 403, 303, 400],
    ),
    (
        "GET",
        "/admin/outbox",
        "/admin/outbox",
        [303, 403, 403, 200],
    ),
    (
        "POST",
        "/admin/outbox/retry",
        "/admin/outbox/retry",
        [303, 403, 403, 303],
    ),
    (
        "POST",
        "/admin/outbox/{id}/retry",
        "/admin/outbox/999999/retry",
        [303, 403, 403, 303],
    ),
    (
        "GET",
        "/unsubscribe/{token}",
        "/unsubscribe/no-such-token",
        [404, 404, 404, 404],
    ),
    (
        "POST",
        "/unsubscribe/{token}",
        "/unsubscribe/no-such-token",
        [404, 404, 404, 404],
    ),
    (
        "GET",
        "/api/v1/openapi.json",
        "/api/v1/openapi.json",
        [200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/questionnaires",
        "/api/v1/questionnaires",
        [401, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/questionnaires/{id}",
        "/api/v1/questionnaires/{q}",
        [401, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/questionnaires/{id}/responses",
        "/api/v1/questionnaires/{q}/responses",
        [401, 200, 200, 200],
    ),
    (
        "POST",
        "/api/v1/questionnaires/{id}/responses",
        "/api/v1/questionnaires/{q}/responses",
        [401, 403, 422, 422],
    ),
    (
        "GET",
        "/api/v1/questionnaires/{id}/results",
        "/api/v1/questionnaires/{q}/results",
        [401, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/responses/{id}",
        "/api/v1/responses/{r}",
        [401, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/contacts",
        "/api/v1/contacts",
        [401, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/contacts",
        "/api/v1/contacts",
        [401, 403, 422, 422],
    ),
    (
        "GET",
        "/api/v1/campaigns",
        "/api/v1/campaigns",
        [401, 403, 200, 200],
    ),
];

/// Routes that take a file upload get a multipart body (with the CSRF field) instead of a plain form.
const MULTIPART: &[&str] = &["/contacts/import"];

fn multipart_body(boundary: &str, csrf: &str, more: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (name, value) in [("csrf", csrf)].iter().chain(more) {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body + &format!("--{boundary}--\r\n")
}

const ROLES: [Option<Role>; 4] = [
    None,
    Some(Role::Viewer),
    Some(Role::Designer),
    Some(Role::Admin),
];

/// Every `.rs` file below `src/web/`, with its source.
fn web_sources() -> Vec<(std::path::PathBuf, String)> {
    fn walk(dir: &std::path::Path, found: &mut Vec<(std::path::PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).expect("src/web is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("source");
                found.push((path, source));
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web"),
        &mut found,
    );
    found
}

/// Lines of `src/web/` outside the route table (`routes.rs`) that register a route or service:
/// a handler is registered by its line in `ROUTES` (`route!(…, module::handler)`), behind the
/// access that line declares, and nowhere else.
fn registrations_outside_the_table() -> Vec<String> {
    const REGISTERING: [&str; 7] = [
        ".service(",
        "web::resource(",
        "Resource::new(",
        ".route(",
        "web::scope(",
        "web::to(",
        ".default_service(",
    ];
    let mut found = Vec::new();
    for (path, source) in web_sources() {
        if path.ends_with("src/web/routes.rs") {
            continue;
        }
        for (number, line) in source.lines().enumerate() {
            if REGISTERING.iter().any(|r| line.contains(r)) {
                found.push(format!(
                    "{}:{}: {}",
                    path.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    found
}

#[test]
fn every_route_is_registered_by_the_table_and_has_expectations() {
    let elsewhere = registrations_outside_the_table();
    assert!(
        elsewhere.is_empty(),
        "routes registered outside web::routes::ROUTES (add a route! line instead): {elsewhere:#?}"
    );
    let mut seen = std::collections::HashSet::new();
    for route in ROUTES {
        assert!(
            seen.insert((route.method, route.path)),
            "{} {} is in ROUTES twice",
            route.method,
            route.path
        );
        assert!(
            EXPECT
                .iter()
                .any(|(m, p, _, _)| *m == route.method && *p == route.path),
            "{} {} has no expectation in tests/api/route_access.rs EXPECT",
            route.method,
            route.path
        );
    }
    for (method, path, _, _) in EXPECT {
        assert!(
            ROUTES
                .iter()
                .any(|r| r.method == *method && r.path == *path),
            "EXPECT lists {method} {path}, which is not a route"
        );
    }
}

/// What the declared access implies, whatever the handler does with a permitted caller.
fn implied(access: Access, role: Option<Role>, expected: u16) -> Option<u16> {
    match (access, role) {
        (Access::Session(_) | Access::SessionOrPrintToken(_), None) => Some(303),
        (Access::Token(_), None) => Some(401),
        (
            Access::Session(needed) | Access::SessionOrPrintToken(needed) | Access::Token(needed),
            Some(role),
        ) if !role.allows(needed) => Some(403),
        _ => (expected == 403 || expected == 401).then_some(0),
    }
}

/// What the walk's routes point at.
struct Fixture {
    questionnaire: i32,
    campaign: i32,
    response: i32,
    target: i32,
}

impl Fixture {
    /// The fixture questionnaire `walk` (brand screening off, competitor "Rival") with a
    /// campaign scheduled far ahead and one completed response, and a viewer account to administer.
    async fn build(app: &TestApp) -> Fixture {
        app.sign_in_as(Role::Admin).await;
        let questionnaire = app
            .publish_template("acsi.toml", "walk", "Rival", false)
            .await;
        let version = store::questionnaires::current_version(&app.db, questionnaire)
            .await
            .unwrap()
            .unwrap();
        let campaign = store::campaigns::create(
            &app.db,
            store::campaigns::NewCampaign {
                questionnaire_id: questionnaire,
                version_id: version.id,
                brand_id: None,
                name: "walk-campaign".into(),
                filter: Default::default(),
                schedule: yardstick::domain::campaign::parse_schedule(
                    "2099-01-01 09:00",
                    "14",
                    "3",
                    "1",
                    store::now(),
                )
                .unwrap(),
            },
        )
        .await
        .unwrap()
        .id;
        let response = app
            .store_responses(questionnaire, 8, vec![Default::default()])
            .await[0];
        let target = store::user_admin::add(
            &app.db,
            "target@example.test",
            "Target",
            "target password 1",
            Role::Viewer,
        )
        .await
        .unwrap()
        .id;
        Fixture {
            questionnaire,
            campaign,
            response,
            target,
        }
    }

    fn path(&self, concrete: &str) -> String {
        concrete
            .replace("{q}", &self.questionnaire.to_string())
            .replace("{c}", &self.campaign.to_string())
            .replace("{r}", &self.response.to_string())
            .replace("{target}", &self.target.to_string())
    }

    /// Text that only a page or answer about the fixture questionnaire contains.
    fn markers(&self) -> Vec<String> {
        let q = self.questionnaire;
        vec![
            format!("/questionnaires/{q}\""),
            format!("/questionnaires/{q}/"),
            format!("/reports/{q}\""),
            format!("/reports/{q}/"),
            "walk-campaign".into(),
            "Rival".into(),
            "\"slug\":\"walk\"".into(),
            ">walk<".into(),
        ]
    }
}

/// One caller of the walk: a browser signed in with `role` (none: anonymous), with an API token.
struct Caller {
    browser: TestApp,
    token: Option<String>,
    role: Option<Role>,
}

impl Caller {
    /// A new browser signed in as `role`; `limited_to` limits the user to those questionnaires.
    async fn new(app: &TestApp, role: Option<Role>, limited_to: &[i32]) -> Caller {
        let browser = app.another_browser();
        let mut token = None;
        if let Some(role) = role {
            let email = browser.sign_in_as(role).await;
            let user = store::users::all(&app.db)
                .await
                .unwrap()
                .into_iter()
                .find(|u| u.email == email)
                .unwrap();
            store::questionnaire_access::set(&app.db, user.id, limited_to)
                .await
                .unwrap();
            token = Some(
                store::api_tokens::create(&app.db, user.id, "token", &format!("walk{}", user.id))
                    .await
                    .unwrap()
                    .0,
            );
        }
        Caller {
            browser,
            token,
            role,
        }
    }

    fn name(&self) -> &'static str {
        self.role.map(|r| r.as_str()).unwrap_or("anonymous")
    }

    /// Calls one route as the walk does: GET, or POST of an empty form with this session's CSRF token.
    async fn call(&self, route: &yardstick::web::routes::Route, path: &str) -> reqwest::Response {
        let csrf = csrf_of(&self.browser.get_html("/login").await.1);
        let multipart = MULTIPART
            .contains(&route.path)
            .then(|| multipart_body("walk", &csrf, &[]));
        self.call_with_csrf(route, path, &csrf, multipart).await
    }

    /// Calls one route as the walk does, sending `csrf` as the form's token (or `multipart` as the body, if given).
    async fn call_with_csrf(
        &self,
        route: &yardstick::web::routes::Route,
        path: &str,
        csrf: &str,
        multipart: Option<String>,
    ) -> reqwest::Response {
        let browser = &self.browser;
        let mut request = match route.method {
            "GET" => browser.client.get(browser.url(path)),
            "POST" if path.starts_with("/api/") => browser
                .client
                .post(browser.url(path))
                .header("Content-Type", "application/json")
                .body("{}"),
            "POST" if multipart.is_some() => browser
                .client
                .post(browser.url(path))
                .header("Content-Type", "multipart/form-data; boundary=walk")
                .body(multipart.unwrap_or_default()),
            "POST" => browser
                .client
                .post(browser.url(path))
                .form(&[("csrf", csrf)]),
            other => panic!("no walk for method {other}"),
        };
        if let (Some(token), true) = (&self.token, path.starts_with("/api/")) {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    /// A route that ended the session (sign out) gets a fresh sign-in.
    async fn stay_signed_in(&self) {
        if let Some(role) = self.role
            && self.browser.get("/account").await.status().as_u16() == 303
        {
            self.browser.sign_in_as(role).await;
        }
    }
}

/// An error answer of the API must be a problem document.
fn check_problem_type(
    path: &str,
    response: &reqwest::Response,
    status: u16,
    who: &str,
    method: &str,
) -> Option<String> {
    if !path.starts_with("/api/") || status < 400 {
        return None;
    }
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    (kind != "application/problem+json")
        .then(|| format!("{method} {path} as {who}: error content type {kind}"))
}

#[tokio::test]
async fn every_route_answers_each_role_as_expected() {
    let app = spawn_app().await;
    let fixture = Fixture::build(&app).await;
    let mut callers = Vec::new();
    for role in ROLES {
        callers.push(Caller::new(&app, role, &[]).await);
    }
    let mut failures = Vec::new();
    for route in ROUTES {
        let Some((_, _, concrete, expected)) = EXPECT
            .iter()
            .find(|(m, p, _, _)| *m == route.method && *p == route.path)
        else {
            failures.push(format!(
                "{} {} has no expectation",
                route.method, route.path
            ));
            continue;
        };
        let path = fixture.path(concrete);
        for (i, caller) in callers.iter().enumerate() {
            let response = caller.call(route, &path).await;
            let status = response.status().as_u16();
            let who = caller.name();
            if status != expected[i] {
                failures.push(format!(
                    "{} {path} as {who}: {status}, expected {}",
                    route.method, expected[i]
                ));
            }
            match implied(route.access, caller.role, expected[i]) {
                Some(0) => failures.push(format!("{} {path} as {who}: expectation {} contradicts the declared access {:?}", route.method, expected[i], route.access)),
                Some(implied) if implied != expected[i] => {
                    failures.push(format!("{} {path} as {who}: expectation {} but the declared access {:?} means {implied}", route.method, expected[i], route.access))
                }
                _ => {}
            }
            failures.extend(check_problem_type(
                &path,
                &response,
                status,
                who,
                route.method,
            ));
            caller.stay_signed_in().await;
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What a user of `role` limited to another questionnaire gets where an unlimited user of the
/// same role gets `unlimited`: a route about the fixture questionnaire (its id, campaign or
/// response in the path) that the role may call is refused — 403, or 404 for a response, whose
/// existence stays hidden — and every other route answers as for the unlimited user.
fn limited_expectation(access: Access, role: Role, concrete: &str, unlimited: u16) -> u16 {
    let about_fixture = ["{q}", "{c}", "{r}"].iter().any(|p| concrete.contains(p));
    let role_refused = match access {
        Access::Public => true,
        Access::Session(needed) | Access::SessionOrPrintToken(needed) | Access::Token(needed) => {
            !role.allows(needed)
        }
    };
    if !about_fixture || role_refused {
        unlimited
    } else if concrete.contains("{r}") {
        404
    } else {
        403
    }
}

#[tokio::test]
async fn users_limited_to_another_questionnaire_never_reach_this_one() {
    let app = spawn_app().await;
    let fixture = Fixture::build(&app).await;
    let elsewhere = app
        .publish_template("acsi.toml", "elsewhere", "", false)
        .await;
    // (caller, index of the unlimited role in EXPECT's columns)
    let callers = [
        (Caller::new(&app, Some(Role::Viewer), &[elsewhere]).await, 1),
        (
            Caller::new(&app, Some(Role::Designer), &[elsewhere]).await,
            2,
        ),
    ];
    let markers = fixture.markers();
    let mut failures = Vec::new();
    for route in ROUTES {
        let (_, _, concrete, expected) = EXPECT
            .iter()
            .find(|(m, p, _, _)| *m == route.method && *p == route.path)
            .expect("every route has an expectation (checked by the test above)");
        let path = fixture.path(concrete);
        for (caller, column) in &callers {
            let who = format!("limited {}", caller.name());
            let role = caller.role.expect("limited callers are signed in");
            let want = limited_expectation(route.access, role, concrete, expected[*column]);
            let response = caller.call(route, &path).await;
            let status = response.status().as_u16();
            if status != want {
                failures.push(format!(
                    "{} {path} as {who}: {status}, expected {want}",
                    route.method
                ));
            }
            failures.extend(check_problem_type(
                &path,
                &response,
                status,
                &who,
                route.method,
            ));
            if route.access != Access::Public && status == 200 {
                let body = response.text().await.unwrap_or_default();
                for marker in markers.iter().filter(|m| body.contains(m.as_str())) {
                    failures.push(format!(
                        "{} {path} as {who} shows the other questionnaire ({marker})",
                        route.method
                    ));
                }
            }
            caller.stay_signed_in().await;
        }
    }
    // The campaign survived the limited designer's attempt to cancel it.
    let campaign = store::campaigns::by_id(&app.db, fixture.campaign)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(campaign.status, store::campaigns::status::SCHEDULED);
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every state-changing browser route refuses a form whose CSRF token is not the session's
/// (403), whoever may call it: the token is checked by the form's extractor, so a handler
/// cannot leave it out. The respondent and unsubscribe forms are public and checked by hand
/// (after the rate limit; the one-click unsubscribe carries no token).
#[tokio::test]
async fn every_signed_in_post_refuses_a_wrong_csrf_token() {
    let app = spawn_app().await;
    let fixture = Fixture::build(&app).await;
    let admin = Caller::new(&app, Some(Role::Admin), &[]).await;
    let mut failures = Vec::new();
    let posts = ROUTES
        .iter()
        .filter(|r| r.method == "POST" && matches!(r.access, Access::Session(_)));
    for route in posts {
        let (_, _, concrete, _) = EXPECT
            .iter()
            .find(|(m, p, _, _)| *m == route.method && *p == route.path)
            .expect("every route has an expectation");
        let path = fixture.path(concrete);
        // Uploads get a readable multipart body, so that it is the token (not the body) that is refused.
        let multipart = (MULTIPART.contains(&route.path) || route.path.ends_with("/field-data"))
            .then(|| multipart_body("walk", "not-the-token", &[("action", "check")]));
        let status = admin
            .call_with_csrf(route, &path, "not-the-token", multipart)
            .await
            .status()
            .as_u16();
        if status != 403 {
            failures.push(format!("POST {path} with a wrong CSRF token: {status}"));
        }
        admin.stay_signed_in().await;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
