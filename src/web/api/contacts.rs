//! `GET /api/v1/contacts` and `POST /api/v1/contacts`.

use crate::domain::Lang;
use crate::domain::contact_import::{CUSTOMER_CLASSES, LIFECYCLE_STAGES};
use crate::store::{audit, directory};
use crate::web::api::auth::ApiUser;
use crate::web::api::problem::{FieldError, Problem};
use crate::web::api::schema::{ContactPage, ContactView, Created, NewContact, Paging};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use validator::ValidateEmail;

/// Contacts in id order, a page at a time.
#[utoipa::path(
    operation_id = "listContacts",
    get, path = "/api/v1/contacts", tag = "contacts",
    params(Paging),
    responses(
        (status = 200, description = "A page of contacts", body = ContactPage),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs the designer role", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list(
    api: ApiUser,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, Problem> {
    let rows = directory::contacts_page(&api.state.db, paging.after(), paging.limit()).await?;
    let next_after = (rows.len() as u64 == paging.limit())
        .then(|| rows.last().map(|c| c.id))
        .flatten();
    Ok(HttpResponse::Ok().json(ContactPage {
        contacts: rows.into_iter().map(ContactView::from).collect(),
        next_after,
    }))
}

fn field(field: &str, code: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// Checks a new contact; every problem is named.
fn check(new: &NewContact) -> Result<directory::NewContact, Vec<FieldError>> {
    let mut errors = Vec::new();
    let email = new.email.trim().to_lowercase();
    if !email.validate_email() || email.len() > 254 {
        errors.push(field("email", "invalid", "Give a valid email address."));
    }
    if new.name.chars().count() > 100 {
        errors.push(field(
            "name",
            "too_long",
            "A name has at most 100 characters.",
        ));
    }
    let language = match new.language.as_deref().map(Lang::parse) {
        None => Some(Lang::ZhCn),
        Some(parsed) => parsed,
    };
    if language.is_none() {
        errors.push(field("language", "invalid", "The language is zh-CN or en."));
    }
    let class = new
        .customer_class
        .as_deref()
        .map(|c| c.trim().to_ascii_uppercase());
    if class
        .as_deref()
        .is_some_and(|c| !CUSTOMER_CLASSES.contains(&c))
    {
        errors.push(field(
            "customer_class",
            "invalid",
            "The customer class is A, B or C.",
        ));
    }
    let stage = new
        .lifecycle_stage
        .as_deref()
        .map(|s| s.trim().to_ascii_lowercase());
    if stage
        .as_deref()
        .is_some_and(|s| !LIFECYCLE_STAGES.contains(&s))
    {
        errors.push(field(
            "lifecycle_stage",
            "invalid",
            "The lifecycle stage is potential, new, existing or lost.",
        ));
    }
    if new
        .region
        .as_deref()
        .is_some_and(|r| r.chars().count() > 100)
    {
        errors.push(field(
            "region",
            "too_long",
            "A region has at most 100 characters.",
        ));
    }
    if new.attributes.len() > 50
        || new
            .attributes
            .iter()
            .any(|(k, v)| k.chars().count() > 64 || v.chars().count() > 500)
    {
        errors.push(field(
            "attributes",
            "too_large",
            "At most 50 attributes, keys of at most 64 and values of at most 500 characters.",
        ));
    }
    match (language, errors.is_empty()) {
        (Some(language), true) => Ok(directory::NewContact {
            email,
            name: new.name.trim().to_owned(),
            language: language.tag().to_owned(),
            region: new
                .region
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned),
            customer_class: class,
            lifecycle_stage: stage,
            attributes: new.attributes.clone(),
        }),
        _ => Err(errors),
    }
}

/// Creates a contact.
#[utoipa::path(
    operation_id = "createContact",
    post, path = "/api/v1/contacts", tag = "contacts",
    request_body = NewContact,
    responses(
        (status = 201, description = "Created", body = Created),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs the designer role", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A contact with this email exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn create(
    api: ApiUser,
    body: Result<web::Json<NewContact>, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    // The role is checked before the body is looked at.
    Ok(create_checked(api, body?.into_inner()).await?)
}

async fn create_checked(api: ApiUser, body: NewContact) -> Result<HttpResponse, Problem> {
    let new =
        check(&body).map_err(|errors| Problem::invalid("The contact is not valid.", errors))?;
    let db = &api.state.db;
    if directory::contact_by_email(db, &new.email).await?.is_some() {
        return Err(Problem::typed(
            StatusCode::CONFLICT,
            "conflict",
            "Already exists",
            format!("A contact with the email {} exists.", new.email),
        ));
    }
    let contact = directory::create_contact(db, new).await?;
    let actor = audit::Actor {
        user_id: Some(api.user.id),
        name: api.user.email.clone(),
    };
    audit::record(
        db,
        &actor,
        "create contact (API)",
        &format!("contact {}", contact.id),
        "",
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/contacts?after={}&limit=1", contact.id - 1),
        ))
        .json(Created { id: contact.id }))
}
