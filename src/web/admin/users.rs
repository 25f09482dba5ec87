//! Administrators manage accounts: add users, change roles, disable, and limit them to questionnaires.

use crate::domain::{Lang, Role};
use crate::i18n;
use crate::store::{audit, questionnaire_access, questionnaires, sessions, user_admin};
use crate::web::access::CsrfForm;
use crate::web::context::{Ctx, random_token, see_other};
use crate::web::design::questionnaires::actor;
use crate::web::error::WebError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use validator::ValidateEmail;

async fn users_page(
    ctx: &Ctx,
    status: StatusCode,
    errors: Vec<String>,
    created: Option<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let db = &ctx.state.db;
    let all_questionnaires = questionnaires::all(db).await?;
    let mut rows = Vec::new();
    for account in user_admin::all(db).await? {
        let limits = questionnaire_access::limited_to(db, account.id).await?;
        let choices: Vec<serde_json::Value> = all_questionnaires
            .iter()
            .map(|q| serde_json::json!({ "id": q.id, "title": q.title.best(ctx.lang()), "slug": q.slug, "checked": limits.contains(&q.id) }))
            .collect();
        rows.push(serde_json::json!({ "account": account, "questionnaires": choices, "limited": !limits.is_empty() }));
    }
    ctx.render_status(
        status,
        "users.html",
        serde_json::json!({
            "users": rows,
            "roles": ["viewer", "designer", "admin"],
            "errors": errors,
            "created": created.map(|(email, password)| serde_json::json!({ "email": email, "password": password })),
        }),
    )
}

pub(crate) async fn list(ctx: Ctx) -> Result<HttpResponse, WebError> {
    users_page(&ctx, StatusCode::OK, vec![], None).await
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

fn text(lang: Lang, key: &str) -> String {
    i18n::t(lang, key).to_owned()
}

pub(crate) async fn add(ctx: Ctx, form: CsrfForm<AddForm>) -> Result<HttpResponse, WebError> {
    let admin = ctx.user()?.clone();
    let lang = ctx.lang();
    let email = form.email.trim().to_lowercase();
    let mut errors = Vec::new();
    if !email.validate_email() || email.len() > 254 {
        errors.push(text(lang, "users.email_bad"));
    } else if user_admin::email_taken(&ctx.state.db, &email).await? {
        errors.push(text(lang, "users.email_taken"));
    }
    let role: Option<Role> = form.role.parse().ok();
    if role.is_none() {
        errors.push(text(lang, "users.role_bad"));
    }
    if form.name.trim().chars().count() > 100 {
        errors.push(text(lang, "users.name_bad"));
    }
    let generated = form.password.is_empty();
    let password = if generated {
        random_token()[..16].to_owned()
    } else {
        form.password.clone()
    };
    if let Some(problem) = crate::web::account::settings::password_message(lang, &password) {
        errors.push(problem);
    }
    let (Some(role), true) = (role, errors.is_empty()) else {
        return users_page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, errors, None).await;
    };
    let user = user_admin::add(&ctx.state.db, &email, form.name.trim(), &password, role).await?;
    audit::record(
        &ctx.state.db,
        &actor(&admin),
        "add user",
        &format!("user {} {}", user.id, user.email),
        role.as_str(),
    )
    .await?;
    let shown = generated.then(|| (user.email.clone(), password));
    users_page(&ctx, StatusCode::OK, vec![], shown).await
}

/// The update form sends `q` once per questionnaire the user is limited to; `Vec` needs the pairs form.
pub(crate) async fn update(
    ctx: Ctx,
    path: web::Path<i32>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let admin = ctx.user()?.clone();
    let fields = form.into_inner();
    let first = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let lang = ctx.lang();
    let id = path.into_inner();
    let db = &ctx.state.db;
    let Some(target) = user_admin::find(db, id).await? else {
        return Err(ctx.not_found());
    };
    let Some(role) = first("role").and_then(|r| r.parse::<Role>().ok()) else {
        return users_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![text(lang, "users.role_bad")],
            None,
        )
        .await;
    };
    let disabled = first("disabled").is_some();
    let was_admin = target.role == Role::Admin.as_str() && !target.disabled;
    if was_admin && (role != Role::Admin || disabled) && user_admin::active_admins(db).await? <= 1 {
        return users_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![text(lang, "users.last_admin")],
            None,
        )
        .await;
    }
    let known: Vec<i32> = questionnaires::all(db)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect();
    let mut limits = Vec::new();
    for (_, value) in fields.iter().filter(|(k, _)| k == "q") {
        match value.parse::<i32>() {
            Ok(q) if known.contains(&q) => limits.push(q),
            _ => {
                return users_page(
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    vec![text(lang, "users.questionnaire_bad")],
                    None,
                )
                .await;
            }
        }
    }
    // Disabling also ends every session of the user (in the store).
    user_admin::update(db, id, role, disabled).await?;
    questionnaire_access::set(db, id, &limits).await?;
    let limits_text = if limits.is_empty() {
        "all questionnaires".to_owned()
    } else {
        format!("questionnaires {limits:?}")
    };
    audit::record(
        db,
        &actor(&admin),
        "change user",
        &format!("user {id} {}", target.email),
        &format!(
            "role {role}; {}; {limits_text}",
            if disabled { "disabled" } else { "enabled" }
        ),
    )
    .await?;
    Ok(see_other("/admin/users"))
}

/// "Sign out everywhere": ends every session of a user (a lost laptop, a shared password).
pub(crate) async fn sign_out_everywhere(
    ctx: Ctx,
    path: web::Path<i32>,
    _form: CsrfForm,
) -> Result<HttpResponse, WebError> {
    let admin = ctx.user()?.clone();
    let id = path.into_inner();
    let db = &ctx.state.db;
    let Some(target) = user_admin::find(db, id).await? else {
        return Err(ctx.not_found());
    };
    let ended = sessions::end_all(db, id).await?;
    audit::record(
        db,
        &actor(&admin),
        "sign out everywhere",
        &format!("user {id} {}", target.email),
        &format!("{ended} sessions ended"),
    )
    .await?;
    Ok(see_other("/admin/users"))
}
