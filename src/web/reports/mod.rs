//! Report pages for executives (viewer and up): the quarterly report per period, its PDF, exports and report settings.

use crate::domain::Role;
use crate::domain::report_period::parse_waves;
use crate::i18n::t;
use crate::jobs::report_runs::{ReportContext, RunState};
use crate::report::figures::ReportFigures;
use crate::report::{export, page};
use crate::store::audit::{self, Actor};
use crate::store::report_runs::{self, ReportSettings};
use crate::web::access::CsrfForm;
use crate::web::access::InScope;
use crate::web::context::{Ctx, see_other};
use crate::web::error::WebError;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

const STYLESHEET: &str = include_str!("../static/report.css");

pub(crate) async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(STYLESHEET)
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    quick: Option<String>,
    /// A short-lived token that lets the PDF renderer open the page without a session.
    #[serde(default)]
    print: Option<String>,
}

impl ReportQuery {
    fn quick(&self) -> bool {
        self.quick.as_deref().is_some_and(|q| q == "1")
    }
}

async fn report_context(ctx: &Ctx, id: i32, quick: bool) -> Result<ReportContext, WebError> {
    crate::store::questionnaires::by_id(&ctx.state.db, id)
        .await?
        .ok_or_else(|| ctx.not_found())?;
    ctx.state
        .reports
        .context(id, quick)
        .await
        .map_err(WebError::Internal)?
        .ok_or_else(|| ctx.not_found())
}

/// The report of the newest period.
pub(crate) async fn show(
    ctx: Ctx,
    InScope(id): InScope,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, WebError> {
    render_report(&ctx, id, None, query.quick()).await
}

/// The report of one period (quarter, fiscal quarter or wave).
pub(crate) async fn show_period(
    ctx: Ctx,
    path: web::Path<(i32, String)>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, WebError> {
    let (id, period) = path.into_inner();
    let printing = query
        .print
        .as_deref()
        .is_some_and(|token| print_token::verify(token, id, &period));
    if !printing {
        ctx.check_questionnaire(id).await?;
    }
    render_report(&ctx, id, Some(period), query.quick()).await
}

async fn render_report(
    ctx: &Ctx,
    id: i32,
    period: Option<String>,
    quick: bool,
) -> Result<HttpResponse, WebError> {
    let lang = ctx.lang();
    let questionnaire = crate::store::questionnaires::by_id(&ctx.state.db, id)
        .await?
        .ok_or_else(|| ctx.not_found())?;
    let report = report_context(ctx, id, quick).await?;
    let mut state = ctx
        .state
        .reports
        .ensure(&report)
        .await
        .map_err(WebError::Internal)?;
    // While the first full report is computed, show the quick look as soon as it is ready.
    let mut provisional = false;
    if let RunState::Running { done, total } = state
        && !quick
    {
        let quick_report = report_context(ctx, id, true).await?;
        if let RunState::Ready {
            figures,
            updating: None,
        } = ctx
            .state
            .reports
            .ensure(&quick_report)
            .await
            .map_err(WebError::Internal)?
        {
            provisional = true;
            state = RunState::Ready {
                figures,
                updating: Some((done, total)),
            };
        }
    }
    let may_design = ctx
        .common
        .user
        .as_ref()
        .is_some_and(|u| u.role.allows(Role::Designer));
    let base = serde_json::json!({
        "id": id,
        "title": questionnaire.title.best(lang),
        "quick": quick,
        "provisional": provisional,
        "quick_suffix": if quick { "?quick=1" } else { "" },
        "may_design": may_design,
    });
    let (figures, updating) = match state {
        RunState::Ready { figures, updating } => (figures, updating),
        RunState::Running { done, total } => {
            let percent = if total > 0 {
                (100 * done / total).clamp(0, 100)
            } else {
                0
            };
            return ctx.render("report.html", merge(base, serde_json::json!({ "computing": true, "done": done, "total": total, "percent": percent })));
        }
        RunState::Failed(error) => {
            return ctx.render(
                "report.html",
                merge(base, serde_json::json!({ "error": error })),
            );
        }
    };
    let index = match &period {
        Some(key) => figures
            .period(key)
            .map(|(i, _)| i)
            .ok_or_else(|| ctx.not_found())?,
        None if figures.periods.is_empty() => {
            return ctx.render(
                "report.html",
                merge(base, serde_json::json!({ "empty": true })),
            );
        }
        None => figures.periods.len() - 1,
    };
    let view = page::build(&figures, index, &report.versions, lang);
    let updating = updating.map(|(done, total)| {
        if total > 0 {
            (100 * done / total).clamp(0, 100)
        } else {
            0
        }
    });
    ctx.render(
        "report.html",
        merge(
            base,
            serde_json::json!({ "report": view, "updating": updating }),
        ),
    )
}

fn merge(mut a: serde_json::Value, b: serde_json::Value) -> serde_json::Value {
    if let (Some(a), serde_json::Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// How long a download waits for a report that is still computing.
const DOWNLOAD_WAIT: Duration = Duration::from_secs(120);

fn download(content_type: &str, file_name: &str, body: impl Into<Vec<u8>>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{file_name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body.into())
}

fn not_ready(ctx: &Ctx) -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Retry-After", "10"))
        .body(t(ctx.lang(), "rep.not_ready").to_owned())
}

/// The PDF of one period's report, rendered by headless Chromium from the page itself.
pub(crate) async fn pdf(
    ctx: Ctx,
    _: InScope,
    req: HttpRequest,
    path: web::Path<(i32, String)>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, WebError> {
    let (id, period) = path.into_inner();
    let lang = ctx.lang();
    let figures = match figures_for_download(&ctx, id, query.quick()).await? {
        Ok(figures) => figures,
        Err(not_ready) => return Ok(not_ready),
    };
    if figures.period(&period).is_none() {
        return Err(ctx.not_found());
    }
    let Some(chromium) = crate::report::pdf::chromium() else {
        return Ok(HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body(t(lang, "rep.no_pdf").to_owned()));
    };
    // Chromium opens the page on this server's own address (a wildcard bind means loopback).
    let mut local = req.app_config().local_addr();
    if local.ip().is_unspecified() {
        local.set_ip(if local.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    let url = format!(
        "http://{local}/reports/{id}/{period}?print={}&lang={}{}",
        print_token::issue(id, &period),
        lang.tag(),
        if query.quick() { "&quick=1" } else { "" }
    );
    match crate::report::pdf::render(chromium, url).await {
        Ok(bytes) => Ok(download(
            "application/pdf",
            &format!("report-{id}-{period}.pdf"),
            bytes,
        )),
        Err(e) => {
            tracing::error!(error = %e, "PDF rendering failed");
            Ok(HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body(t(lang, "rep.pdf_failed").to_owned()))
        }
    }
}

/// The figures a download is made from, waiting up to [`DOWNLOAD_WAIT`] for a run in
/// progress; otherwise the "not ready yet" answer to send instead.
async fn figures_for_download(
    ctx: &Ctx,
    id: i32,
    quick: bool,
) -> Result<Result<Arc<ReportFigures>, HttpResponse>, WebError> {
    let report = report_context(ctx, id, quick).await?;
    let ready = ctx
        .state
        .reports
        .wait_ready(&report, DOWNLOAD_WAIT)
        .await
        .map_err(WebError::Internal)?;
    Ok(ready.ok_or_else(|| not_ready(ctx)))
}

/// The report's numbers as CSV, XLSX or JSON.
pub(crate) async fn figures_export(
    ctx: Ctx,
    _: InScope,
    path: web::Path<(i32, String)>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, WebError> {
    let (id, format) = path.into_inner();
    let lang = ctx.lang();
    if !matches!(format.as_str(), "csv" | "xlsx" | "json") {
        return Err(ctx.bad_request(t(lang, "rep.bad_format").to_owned(), vec![]));
    }
    let figures = match figures_for_download(&ctx, id, query.quick()).await? {
        Ok(figures) => figures,
        Err(not_ready) => return Ok(not_ready),
    };
    let name = format!("report-{id}-figures");
    Ok(match format.as_str() {
        "csv" => download(
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
            export::figures_csv(&figures, lang).map_err(|e| WebError::Internal(e.into()))?,
        ),
        "xlsx" => download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{name}.xlsx"),
            export::figures_xlsx(&figures, lang).map_err(|e| WebError::Internal(e.into()))?,
        ),
        _ => HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(&*figures),
    })
}

/// Raw responses with codes and labels as CSV, XLSX or JSON.
pub(crate) async fn responses_export(
    ctx: Ctx,
    _: InScope,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, WebError> {
    let (id, format) = path.into_inner();
    let lang = ctx.lang();
    if !matches!(format.as_str(), "csv" | "xlsx" | "json") {
        return Err(ctx.bad_request(t(lang, "rep.bad_format").to_owned(), vec![]));
    }
    let report = report_context(&ctx, id, false).await?;
    let records = report_runs::survey_records(&ctx.state.db, id).await?;
    let (header, rows) = export::responses_table(
        &report.model,
        &report.brands,
        &report.versions,
        &records,
        lang,
    );
    let name = format!("responses-{id}");
    Ok(match format.as_str() {
        "csv" => download(
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
            export::responses_csv(&header, &rows).map_err(|e| WebError::Internal(e.into()))?,
        ),
        "xlsx" => download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{name}.xlsx"),
            export::responses_xlsx(&report.model, &header, &rows, lang)
                .map_err(|e| WebError::Internal(e.into()))?,
        ),
        _ => {
            let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|row| {
                    header
                        .iter()
                        .cloned()
                        .zip(row.iter().map(|v| serde_json::Value::String(v.clone())))
                        .collect()
                })
                .collect();
            HttpResponse::Ok()
                .insert_header(("Cache-Control", "no-store"))
                .json(objects)
        }
    })
}

fn settings_view(
    id: i32,
    title: &str,
    settings: &ReportSettings,
    waves_text: &str,
    problems: Vec<String>,
    saved: bool,
) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "title": title,
        "fiscal_start_month": settings.fiscal_start_month,
        "pooled": settings.pooled,
        "resamples": settings.resamples,
        "waves": waves_text,
        "problems": problems,
        "saved": saved,
    })
}

#[derive(Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// The report settings: fiscal-year start, pooled model, resamples, survey waves.
pub(crate) async fn settings_page(
    ctx: Ctx,
    InScope(id): InScope,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, WebError> {
    let questionnaire = crate::store::questionnaires::by_id(&ctx.state.db, id)
        .await?
        .ok_or_else(|| ctx.not_found())?;
    let settings = report_runs::settings(&ctx.state.db, id).await?;
    ctx.render(
        "report_settings.html",
        settings_view(
            id,
            questionnaire.title.best(ctx.lang()),
            &settings,
            &settings.waves_text(),
            vec![],
            query.saved.is_some(),
        ),
    )
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    fiscal_start_month: String,
    #[serde(default)]
    pooled: Option<String>,
    #[serde(default)]
    resamples: String,
    #[serde(default)]
    waves: String,
}

pub(crate) async fn save_settings(
    ctx: Ctx,
    InScope(id): InScope,
    form: CsrfForm<SettingsForm>,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
    let lang = ctx.lang();
    let questionnaire = crate::store::questionnaires::by_id(&ctx.state.db, id)
        .await?
        .ok_or_else(|| ctx.not_found())?;
    let mut problems = Vec::new();
    let month = form
        .fiscal_start_month
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|m| (1..=12).contains(m));
    if month.is_none() {
        problems.push(t(lang, "rep.bad_month").to_owned());
    }
    let resamples = form
        .resamples
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|r| (100..=20_000).contains(r));
    if resamples.is_none() {
        problems.push(t(lang, "rep.bad_resamples").to_owned());
    }
    let waves = match parse_waves(&form.waves) {
        Ok(waves) => waves,
        Err(found) => {
            problems.extend(
                found
                    .iter()
                    .map(|p| crate::i18n::format(lang, &p.message())),
            );
            Vec::new()
        }
    };
    let (Some(month), Some(resamples), true) = (month, resamples, problems.is_empty()) else {
        let current = report_runs::settings(&ctx.state.db, id).await?;
        let view = settings_view(
            id,
            questionnaire.title.best(lang),
            &current,
            &form.waves,
            problems,
            false,
        );
        return ctx.render_status(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "report_settings.html",
            view,
        );
    };
    let settings = ReportSettings {
        fiscal_start_month: month,
        pooled: form.pooled.is_some(),
        resamples,
        waves,
    };
    report_runs::save_settings(&ctx.state.db, id, &settings).await?;
    let detail = format!(
        "fiscal start {month}, pooled {}, {resamples} resamples, {} waves",
        settings.pooled,
        settings.waves.len()
    );
    audit::record(
        &ctx.state.db,
        &Actor {
            user_id: Some(user.id),
            name: user.email.clone(),
        },
        "report.settings",
        &format!("questionnaire {id}"),
        &detail,
    )
    .await?;
    Ok(see_other(&format!("/reports/{id}/settings?saved=1")))
}

/// Short-lived signed tokens that let the PDF renderer open a report page without a session.
pub(crate) mod print_token {
    use hmac::{Hmac, Mac};
    use rand::RngExt;
    use sha2::Sha256;
    use std::sync::LazyLock;

    /// A key per process: only this process renders and verifies its own tokens.
    static KEY: LazyLock<[u8; 32]> = LazyLock::new(|| rand::rng().random());
    const LIFETIME_SECONDS: i64 = 180;

    fn mac(message: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(KEY.as_slice()).expect("HMAC takes a key of any length");
        mac.update(message.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn issue(questionnaire_id: i32, period: &str) -> String {
        let expires = chrono::Utc::now().timestamp() + LIFETIME_SECONDS;
        format!(
            "{expires}.{}",
            mac(&format!("{questionnaire_id}|{period}|{expires}"))
        )
    }

    pub fn verify(token: &str, questionnaire_id: i32, period: &str) -> bool {
        let Some((expires, signature)) = token.split_once('.') else {
            return false;
        };
        let Ok(expires) = expires.parse::<i64>() else {
            return false;
        };
        if expires < chrono::Utc::now().timestamp() {
            return false;
        }
        let expected = mac(&format!("{questionnaire_id}|{period}|{expires}"));
        expected.len() == signature.len()
            && expected
                .bytes()
                .zip(signature.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}
