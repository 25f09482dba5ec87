//! The route table: every route of the app with the access it needs, the one place routes are declared and registered.
//!
//! A route is one line, `route!("GET", "/path/{id}", Access::…, module::handler)`; handlers
//! carry no `#[get]`/`#[post]` attribute and are `pub(crate)`, so a handler missing here is
//! dead code, which the build refuses. [`register`] wraps each route in
//! [`crate::web::access::gate`], which enforces the declared [`Access`] before the handler or
//! any of its extractors runs: handlers check no roles themselves. What the gate cannot know
//! from the path alone is checked by extractors the handler names in its signature: the CSRF
//! token of a form ([`crate::web::access::CsrfForm`] and its siblings) and whether the user may
//! open the questionnaire of the path ([`crate::web::access::InScope`]).
//! The route-access test in `tests/api/route_access.rs` walks this table and calls every
//! route as each role.

use crate::domain::Role;
use crate::web::{account, admin, api, design, outreach, reports, respond};
use actix_web::dev::HttpServiceFactory;
use actix_web::guard::{self, Guard};
use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::web::{self, ServiceConfig};
use actix_web::{FromRequest, Handler, Responder};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in browser session whose role includes this one.
    Session(Role),
    /// Like `Session`, or the PDF renderer with a print token (`?print=`) for the report and
    /// period of the path: a report page that headless Chromium opens without a session.
    SessionOrPrintToken(Role),
    /// An API call with a bearer token of a user whose role includes this one.
    Token(Role),
}

/// One route: method, actix path pattern, access, and how to register its handler.
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub register: fn(&mut ServiceConfig),
}

macro_rules! route {
    ($method:literal, $path:literal, $access:expr, $handler:path) => {
        Route {
            method: $method,
            path: $path,
            access: $access,
            register: |cfg| {
                cfg.service(resource($method, $path, $access, $handler));
            },
        }
    };
}

/// The resource of one route: its path, guarded by its method, behind the gate of its access.
fn resource<F, Args>(
    method: &str,
    path: &str,
    access: Access,
    handler: F,
) -> impl HttpServiceFactory
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::resource(path)
        .guard(method_guard(method))
        .wrap(from_fn(move |req, next| {
            crate::web::access::gate(access, req, next)
        }))
        .to(handler)
}

/// The guard of a route's method.
fn method_guard(name: &str) -> impl Guard + use<> {
    guard::Method(Method::from_bytes(name.as_bytes()).expect("a route's method is an HTTP method"))
}

use Access::{Public, Session, SessionOrPrintToken, Token};
use Role::{Admin, Designer, Viewer};

/// Every route of the app. Order matters where patterns overlap (first match wins).
pub static ROUTES: &[Route] = &[
    // Shared assets and health.
    route!("GET", "/static/app.css", Public, crate::web::stylesheet),
    route!("GET", "/static/survey.css", Public, respond::stylesheet),
    route!("GET", "/static/survey.js", Public, respond::script),
    route!("GET", "/health", Public, crate::web::health),
    // Respondents (issue 6) first: most requests are theirs, and actix tries routes in order.
    // Fixed segments before `{page}`.
    route!("GET", "/s/{slug}", Public, respond::welcome),
    route!("POST", "/s/{slug}", Public, respond::start),
    route!("GET", "/s/{slug}/thanks", Public, respond::thanks),
    route!("GET", "/s/{slug}/r/{token}", Public, respond::public_resume),
    route!("GET", "/s/{slug}/{page}", Public, respond::page),
    route!("POST", "/s/{slug}/{page}", Public, respond::submit),
    route!("GET", "/i/{token}", Public, respond::welcome),
    route!("POST", "/i/{token}", Public, respond::start),
    route!("GET", "/i/{token}/thanks", Public, respond::thanks),
    route!("GET", "/i/{token}/{page}", Public, respond::page),
    route!("POST", "/i/{token}/{page}", Public, respond::submit),
    // Signing in and out.
    route!("GET", "/login", Public, account::sign_in::login_page),
    route!("POST", "/login", Public, account::sign_in::login),
    route!("POST", "/logout", Public, account::sign_in::logout),
    // Design (issue 5).
    route!("GET", "/", Public, design::questionnaires::home),
    route!(
        "GET",
        "/design",
        Session(Designer),
        design::questionnaires::list
    ),
    route!(
        "POST",
        "/design/questionnaires",
        Session(Designer),
        design::questionnaires::create
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}",
        Session(Designer),
        design::questionnaires::show
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/publish",
        Session(Designer),
        design::versions::publish
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/versions",
        Session(Designer),
        design::versions::new_version
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/paths",
        Session(Designer),
        design::questionnaires::add_path
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/paths/remove",
        Session(Designer),
        design::questionnaires::remove_path
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/constructs/new",
        Session(Designer),
        design::model::new_construct
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/constructs",
        Session(Designer),
        design::model::add_construct
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/constructs/{code}",
        Session(Designer),
        design::model::show_construct
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/constructs/{code}",
        Session(Designer),
        design::model::update_construct
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/constructs/{code}/remove",
        Session(Designer),
        design::model::remove_construct
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/constructs/{code}/dimensions",
        Session(Designer),
        design::model::add_dimension
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/constructs/{code}/dimensions/remove",
        Session(Designer),
        design::model::remove_dimension
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/indicators/new",
        Session(Designer),
        design::model::new_indicator
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/indicators",
        Session(Designer),
        design::model::add_indicator
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/indicators/{code}",
        Session(Designer),
        design::model::show_indicator
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/indicators/{code}",
        Session(Designer),
        design::model::update_indicator
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/indicators/{code}/remove",
        Session(Designer),
        design::model::remove_indicator
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/indicators/{code}/move",
        Session(Designer),
        design::model::move_indicator
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/settings",
        Session(Designer),
        design::settings::show
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/settings",
        Session(Designer),
        design::settings::save
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/info",
        Session(Designer),
        design::settings::save_info
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/diff",
        Session(Designer),
        design::versions::show_diff
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/export",
        Session(Designer),
        design::versions::export
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/import",
        Session(Designer),
        design::versions::import_form
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/import",
        Session(Designer),
        design::versions::import
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/preview",
        Session(Designer),
        design::versions::preview
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/preview/phone",
        Session(Designer),
        design::versions::preview_phone
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/weights",
        Session(Designer),
        design::weights::show
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/weights",
        Session(Designer),
        design::weights::save_direct
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/weights/ahp",
        Session(Designer),
        design::weights::ahp_grid
    ),
    // Reports.
    route!("GET", "/static/report.css", Public, reports::stylesheet),
    route!("GET", "/reports/{id}", Session(Viewer), reports::show),
    route!(
        "GET",
        "/reports/{id}/settings",
        Session(Designer),
        reports::settings_page
    ),
    route!(
        "POST",
        "/reports/{id}/settings",
        Session(Designer),
        reports::save_settings
    ),
    route!(
        "GET",
        "/reports/{id}/figures/{format}",
        Session(Viewer),
        reports::figures_export
    ),
    route!(
        "GET",
        "/reports/{id}/responses/{format}",
        Session(Viewer),
        reports::responses_export
    ),
    route!(
        "GET",
        "/reports/{id}/{period}/report.pdf",
        Session(Viewer),
        reports::pdf
    ),
    route!(
        "GET",
        "/reports/{id}/{period}",
        SessionOrPrintToken(Viewer),
        reports::show_period
    ),
    route!(
        "GET",
        "/design/questionnaires/{id}/field-data",
        Session(Designer),
        design::field_import::form
    ),
    route!(
        "POST",
        "/design/questionnaires/{id}/field-data",
        Session(Designer),
        design::field_import::upload
    ),
    // The signed-in user's account.
    route!("GET", "/account", Session(Viewer), account::settings::page),
    route!(
        "POST",
        "/account/password",
        Session(Viewer),
        account::settings::change_password
    ),
    route!(
        "POST",
        "/account/tokens",
        Session(Viewer),
        account::settings::create_token
    ),
    route!(
        "POST",
        "/account/sessions/end-others",
        Session(Viewer),
        account::settings::end_other_sessions
    ),
    route!(
        "POST",
        "/account/tokens/{id}/revoke",
        Session(Viewer),
        account::settings::revoke_token
    ),
    // Administration.
    route!(
        "GET",
        "/admin/audit",
        Session(Admin),
        admin::audit::audit_log
    ),
    route!("GET", "/admin/users", Session(Admin), admin::users::list),
    route!("POST", "/admin/users", Session(Admin), admin::users::add),
    route!(
        "POST",
        "/admin/users/{id}",
        Session(Admin),
        admin::users::update
    ),
    route!(
        "POST",
        "/admin/users/{id}/sign-out",
        Session(Admin),
        admin::users::sign_out_everywhere
    ),
    route!(
        "GET",
        "/admin/webhooks",
        Session(Admin),
        admin::webhooks::list
    ),
    route!(
        "POST",
        "/admin/webhooks",
        Session(Admin),
        admin::webhooks::add
    ),
    route!(
        "POST",
        "/admin/webhooks/{id}/delete",
        Session(Admin),
        admin::webhooks::delete
    ),
    route!(
        "GET",
        "/admin/privacy",
        Session(Admin),
        admin::privacy::page
    ),
    route!(
        "POST",
        "/admin/privacy/contacts/{id}",
        Session(Admin),
        admin::privacy::erase_contact
    ),
    route!(
        "POST",
        "/admin/privacy/purge",
        Session(Admin),
        admin::privacy::purge
    ),
    // The JSON API.
    route!("GET", "/api/v1/openapi.json", Public, api::openapi_json),
    route!(
        "GET",
        "/api/v1/questionnaires",
        Token(Viewer),
        api::questionnaires::list
    ),
    route!(
        "GET",
        "/api/v1/questionnaires/{id}",
        Token(Viewer),
        api::questionnaires::get
    ),
    route!(
        "GET",
        "/api/v1/questionnaires/{id}/responses",
        Token(Viewer),
        api::responses::list
    ),
    route!(
        "POST",
        "/api/v1/questionnaires/{id}/responses",
        Token(Designer),
        api::responses::submit
    ),
    route!(
        "GET",
        "/api/v1/questionnaires/{id}/results",
        Token(Viewer),
        api::results::get
    ),
    route!(
        "GET",
        "/api/v1/responses/{id}",
        Token(Viewer),
        api::responses::get
    ),
    route!(
        "GET",
        "/api/v1/contacts",
        Token(Designer),
        api::contacts::list
    ),
    route!(
        "POST",
        "/api/v1/contacts",
        Token(Designer),
        api::contacts::create
    ),
    route!(
        "GET",
        "/api/v1/campaigns",
        Token(Designer),
        api::campaigns::list
    ), // Contacts, campaigns, outbox and unsubscribe (issue 7).
    route!(
        "GET",
        "/contacts",
        Session(Designer),
        outreach::contacts::list
    ),
    route!(
        "GET",
        "/contacts/import",
        Session(Designer),
        outreach::contacts::import_page
    ),
    route!(
        "POST",
        "/contacts/import",
        Session(Designer),
        outreach::contacts::import
    ),
    route!(
        "GET",
        "/campaigns",
        Session(Designer),
        outreach::campaigns::list
    ),
    route!(
        "GET",
        "/campaigns/new",
        Session(Designer),
        outreach::campaigns::new
    ),
    route!(
        "POST",
        "/campaigns",
        Session(Designer),
        outreach::campaigns::create
    ),
    route!(
        "GET",
        "/campaigns/{id}",
        Session(Designer),
        outreach::campaigns::show
    ),
    route!(
        "POST",
        "/campaigns/{id}/cancel",
        Session(Designer),
        outreach::campaigns::cancel
    ),
    route!("GET", "/admin/outbox", Session(Admin), admin::outbox::page),
    route!(
        "POST",
        "/admin/outbox/retry",
        Session(Admin),
        admin::outbox::retry_all
    ),
    route!(
        "POST",
        "/admin/outbox/{id}/retry",
        Session(Admin),
        admin::outbox::retry_one
    ),
    route!(
        "GET",
        "/unsubscribe/{token}",
        Public,
        outreach::unsubscribe::show
    ),
    route!(
        "POST",
        "/unsubscribe/{token}",
        Public,
        outreach::unsubscribe::confirm
    ),
];

/// Registers every route of [`ROUTES`].
pub fn register(cfg: &mut ServiceConfig) {
    for route in ROUTES {
        (route.register)(cfg);
    }
}
