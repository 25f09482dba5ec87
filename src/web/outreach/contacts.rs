//! Contact pages: the searchable list, and import from CSV/XLSX with a dry run that names every bad row.

use crate::domain::contact_import::{self, CUSTOMER_CLASSES, Format, LIFECYCLE_STAGES};
use crate::store::audit;
use crate::store::contacts::{self, ContactQuery};
use crate::web::access::{CsrfUpload, HasCsrf};
use crate::web::context::Ctx;
use crate::web::error::WebError;
use actix_multipart::form::{MultipartForm, bytes::Bytes, text::Text};
use actix_web::{HttpResponse, web};
use serde::Serialize;

const PER_PAGE: u64 = 50;
/// Highest page number a link may ask for (far beyond any real list; keeps the offset arithmetic sound).
const MAX_PAGE: u64 = 1_000_000;

#[derive(Serialize)]
struct Choices {
    classes: &'static [&'static str],
    stages: &'static [&'static str],
    regions: Vec<String>,
}

pub(crate) async fn list(
    ctx: Ctx,
    query: web::Query<ContactQuery>,
) -> Result<HttpResponse, WebError> {
    let query = query.into_inner();
    if query.page > MAX_PAGE {
        return Err(ctx.bad_request(
            crate::i18n::t(ctx.lang(), "contacts.bad_page").into(),
            vec![],
        ));
    }
    let (rows, total) = contacts::search(&ctx.state.db, &query, PER_PAGE).await?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let link = |page: u64| {
        let mut q = query.clone();
        q.page = page;
        format!("/contacts?{}", serde_urlencoded_query(&q))
    };
    ctx.render(
        "contacts.html",
        serde_json::json!({
            "contacts": rows,
            "total": total,
            "query": query,
            "page": query.page + 1,
            "pages": pages,
            "prev": (query.page > 0).then(|| link(query.page - 1)),
            "next": (query.page + 1 < pages).then(|| link(query.page + 1)),
            "choices": Choices { classes: &CUSTOMER_CLASSES, stages: &LIFECYCLE_STAGES, regions: contacts::regions(&ctx.state.db).await? },
        }),
    )
}

/// The query string of a contact search (only the fields that are set).
fn serde_urlencoded_query(q: &ContactQuery) -> String {
    let page = q.page.to_string();
    [
        ("q", q.q.as_str()),
        ("region", &q.region),
        ("customer_class", &q.customer_class),
        ("lifecycle_stage", &q.lifecycle_stage),
        ("language", &q.language),
        ("unsubscribed", &q.unsubscribed),
        ("page", &page),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", crate::web::error::urlencode(v)))
    .collect::<Vec<_>>()
    .join("&")
}

pub(crate) async fn import_page(ctx: Ctx) -> Result<HttpResponse, WebError> {
    ctx.render(
        "contacts_import.html",
        serde_json::json!({ "result": null }),
    )
}

/// The upload: a file, or (second step) the checked content sent back by the dry-run page.
#[derive(MultipartForm)]
pub struct ImportUpload {
    csrf: Text<String>,
    #[multipart(limit = "2MB")]
    file: Option<Bytes>,
    content: Option<Text<String>>,
    file_name: Option<Text<String>>,
    /// `check` (dry run) or `import`.
    action: Text<String>,
    skip_bad: Option<Text<String>>,
}

impl HasCsrf for ImportUpload {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

#[derive(Serialize)]
struct DryRun {
    file_name: String,
    content: String,
    good: usize,
    new: usize,
    updates: usize,
    problems: Vec<String>,
    imported: Option<contacts::ImportSummary>,
}

pub(crate) async fn import(
    ctx: Ctx,
    CsrfUpload(upload): CsrfUpload<ImportUpload>,
) -> Result<HttpResponse, WebError> {
    use base64::Engine;
    let user = ctx.user()?.clone();
    let lang = ctx.lang();
    let engine = base64::engine::general_purpose::STANDARD;
    let (bytes, file_name) = match (&upload.file, &upload.content) {
        (Some(file), _) if !file.data.is_empty() => (
            file.data.to_vec(),
            file.file_name.clone().unwrap_or_default(),
        ),
        (_, Some(content)) if !content.0.is_empty() => (
            engine.decode(content.0.as_bytes()).map_err(|_| {
                ctx.bad_request(crate::i18n::t(lang, "contacts.no_file").into(), vec![])
            })?,
            upload
                .file_name
                .as_ref()
                .map(|f| f.0.clone())
                .unwrap_or_default(),
        ),
        _ => {
            return Err(ctx.bad_request(crate::i18n::t(lang, "contacts.no_file").into(), vec![]));
        }
    };
    let brands = contacts::brand_lookup(&ctx.state.db).await?;
    let plan = match contact_import::parse(&bytes, Format::from_file_name(&file_name), &brands) {
        Ok(plan) => plan,
        Err(issue) => {
            return ctx.render_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                "contacts_import.html",
                serde_json::json!({ "result": null, "file_error": crate::i18n::format(lang, &issue.message()) }),
            );
        }
    };
    let emails: Vec<String> = plan.contacts.iter().map(|c| c.email.clone()).collect();
    let existing = contacts::existing_emails(&ctx.state.db, &emails).await?;
    let mut result = DryRun {
        file_name: file_name.clone(),
        content: engine.encode(&bytes),
        good: plan.contacts.len(),
        new: plan.contacts.len() - existing,
        updates: existing,
        problems: plan
            .problems
            .iter()
            .map(|p| crate::i18n::format(lang, &p.message()))
            .collect(),
        imported: None,
    };
    let wants_import = upload.action.0 == "import";
    let may_import = plan.problems.is_empty() || upload.skip_bad.is_some();
    if wants_import && may_import && !plan.contacts.is_empty() {
        let summary = contacts::import(&ctx.state.db, &plan.contacts).await?;
        audit::record(
            &ctx.state.db,
            &audit::Actor {
                user_id: Some(user.id),
                name: user.email.clone(),
            },
            "contacts.import",
            &format!("file {file_name}"),
            &format!(
                "{} created, {} updated, {} bad rows skipped",
                summary.created,
                summary.updated,
                plan.problems.len()
            ),
        )
        .await?;
        result.imported = Some(summary);
        result.content.clear();
    }
    let status = if wants_import && !may_import {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    ctx.render_status(
        status,
        "contacts_import.html",
        serde_json::json!({ "result": result, "refused": wants_import && !may_import }),
    )
}
