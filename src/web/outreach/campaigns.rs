//! Email campaign pages: create with a preview in each language, schedule, cancel, and the response-rate dashboard.

use crate::domain::campaign::{self, CampaignIssue, ContactFilter};
use crate::domain::contact_import::{CUSTOMER_CLASSES, LIFECYCLE_STAGES};
use crate::domain::{Lang, Text};
use crate::mail::templates::{self, EmailContext, EmailKind};
use crate::store::campaigns::{self, NewCampaign};
use crate::store::{audit, brands, contacts, models, questionnaires};
use crate::web::access::CsrfForm;
use crate::web::context::{Ctx, see_other};
use crate::web::error::WebError;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

/// One choice of the form: a published questionnaire version and the brand its answers evaluate.
#[derive(Serialize, Clone)]
struct Target {
    value: String,
    questionnaire_id: i32,
    version_id: i32,
    brand_id: i32,
    label: String,
    title: Text,
    brand: Text,
    items: usize,
}

async fn targets(ctx: &Ctx) -> Result<Vec<Target>, WebError> {
    let db = &ctx.state.db;
    let lang = ctx.lang();
    let mut out = Vec::new();
    let scope = ctx.questionnaire_scope().await?;
    for q in questionnaires::all_in(db, &scope).await? {
        let Some(version) = questionnaires::versions(db, q.id)
            .await?
            .into_iter()
            .find(|v| v.published)
        else {
            continue;
        };
        let items = models::load(db, version.model_id)
            .await?
            .indicators()
            .count();
        for b in brands::of_questionnaire(db, q.id).await? {
            out.push(Target {
                value: format!("{}-{}-{}", q.id, version.id, b.id),
                questionnaire_id: q.id,
                version_id: version.id,
                brand_id: b.id,
                label: format!(
                    "{} (v{}) — {}",
                    q.title.best(lang),
                    version.number,
                    b.name.best(lang)
                ),
                title: q.title.clone(),
                brand: b.name.clone(),
                items,
            });
        }
    }
    Ok(out)
}

#[derive(Serialize, Deserialize, Default, Clone)]
pub struct CampaignForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    customer_class: String,
    #[serde(default)]
    lifecycle_stage: String,
    /// `key=value` of a custom attribute.
    #[serde(default)]
    attribute: String,
    #[serde(default)]
    send_at: String,
    #[serde(default)]
    expiry_days: String,
    #[serde(default)]
    reminder_days: String,
    #[serde(default)]
    max_reminders: String,
    /// `preview` or `schedule`.
    #[serde(default)]
    action: String,
}

fn filter_of(form: &CampaignForm) -> ContactFilter {
    let some = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    ContactFilter {
        language: Lang::parse(&form.language),
        brand_id: None,
        region: some(&form.region),
        customer_class: some(&form.customer_class),
        lifecycle_stage: some(&form.lifecycle_stage),
        attribute: form
            .attribute
            .split_once('=')
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .filter(|(k, v)| !k.is_empty() && !v.is_empty()),
    }
}

#[derive(Serialize)]
struct Preview {
    lang: &'static str,
    language: &'static str,
    subject: String,
    text: String,
    html: String,
}

async fn form_page(
    ctx: &Ctx,
    form: &CampaignForm,
    errors: Vec<String>,
    previews: Vec<Preview>,
    audience: Option<usize>,
) -> Result<HttpResponse, WebError> {
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(
        status,
        "campaign_new.html",
        serde_json::json!({
            "form": form,
            "targets": targets(ctx).await?,
            "errors": errors,
            "previews": previews,
            "audience": audience,
            "classes": CUSTOMER_CLASSES,
            "stages": LIFECYCLE_STAGES,
            "regions": contacts::regions(&ctx.state.db).await?,
            "has_contacts": campaigns::any_contacts(&ctx.state.db).await?,
        }),
    )
}

#[derive(Serialize)]
struct Row {
    campaign: campaigns::Campaign,
    send_at: String,
    filter: String,
    invited: u64,
    completed: u64,
    rate: f64,
}

pub(crate) async fn list(ctx: Ctx) -> Result<HttpResponse, WebError> {
    let scope = ctx.questionnaire_scope().await?;
    let mut rows = Vec::new();
    for campaign in campaigns::all(&ctx.state.db)
        .await?
        .into_iter()
        .filter(|c| scope.allows(c.questionnaire_id))
    {
        let dashboard = campaigns::dashboard(&ctx.state.db, campaign.id).await?;
        rows.push(Row {
            send_at: campaign.send_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            filter: campaign.filter.describe(ctx.lang()),
            invited: dashboard.total.invited,
            completed: dashboard.total.completed,
            rate: dashboard.rate,
            campaign,
        });
    }
    ctx.render("campaigns.html", serde_json::json!({ "campaigns": rows }))
}

pub(crate) async fn new(ctx: Ctx) -> Result<HttpResponse, WebError> {
    let form = CampaignForm {
        expiry_days: "14".into(),
        reminder_days: "3, 7".into(),
        max_reminders: "2".into(),
        ..Default::default()
    };
    form_page(&ctx, &form, vec![], vec![], None).await
}

pub(crate) async fn create(
    ctx: Ctx,
    form: CsrfForm<CampaignForm>,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
    let lang = ctx.lang();
    let form = form.into_inner();
    let mut issues = Vec::new();
    let name = form.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        issues.push(CampaignIssue::Name);
    }
    let target = targets(&ctx)
        .await?
        .into_iter()
        .find(|t| t.value == form.target);
    if target.is_none() {
        issues.push(CampaignIssue::Questionnaire);
    }
    let schedule = campaign::parse_schedule(
        &form.send_at,
        &form.expiry_days,
        &form.reminder_days,
        &form.max_reminders,
        crate::store::now(),
    )
    .map_err(|mut more| issues.append(&mut more))
    .ok();
    let filter = filter_of(&form);
    let audience = campaigns::audience_size(&ctx.state.db, &filter).await?;
    if audience == 0 {
        issues.push(CampaignIssue::NoContacts);
    }
    let errors: Vec<String> = issues
        .iter()
        .map(|i| crate::i18n::format(lang, &i.message()))
        .collect();
    let (Some(target), Some(schedule), true) = (target, schedule, errors.is_empty()) else {
        return form_page(&ctx, &form, errors, vec![], Some(audience)).await;
    };
    if form.action != "schedule" {
        let previews = Lang::ALL
            .iter()
            .map(|&l| -> Result<Preview, WebError> {
                let context = EmailContext {
                    name: crate::i18n::t(l, "campaign.preview_name").into(),
                    brand: target.brand.best(l).to_owned(),
                    survey: target.title.best(l).to_owned(),
                    minutes: templates::minutes_for(target.items),
                    deadline: templates::format_deadline(schedule.expires_at, l),
                    link: format!("{}/i/…", ctx.state.public_url),
                    unsubscribe: format!("{}/unsubscribe/…", ctx.state.public_url),
                };
                let email = templates::render(EmailKind::Invitation, l, &context)?;
                Ok(Preview {
                    lang: l.tag(),
                    language: l.native_name(),
                    subject: email.subject,
                    text: email.text,
                    html: email.html,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        return form_page(&ctx, &form, vec![], previews, Some(audience)).await;
    }
    let created = campaigns::create(
        &ctx.state.db,
        NewCampaign {
            questionnaire_id: target.questionnaire_id,
            version_id: target.version_id,
            brand_id: Some(target.brand_id),
            name,
            filter,
            schedule,
        },
    )
    .await?;
    audit::record(
        &ctx.state.db,
        &audit::Actor {
            user_id: Some(user.id),
            name: user.email.clone(),
        },
        "campaign.schedule",
        &format!("campaign {}", created.id),
        &format!(
            "“{}” at {} to {} contacts ({}), reminders {:?}",
            created.name,
            created.send_at.format("%Y-%m-%d %H:%M UTC"),
            audience,
            created.filter.describe(Lang::En),
            created.reminder_days
        ),
    )
    .await?;
    Ok(see_other(&format!("/campaigns/{}", created.id)))
}

pub(crate) async fn show(ctx: Ctx, path: web::Path<i32>) -> Result<HttpResponse, WebError> {
    let Some(campaign) = campaigns::by_id(&ctx.state.db, path.into_inner()).await? else {
        return Err(ctx.not_found());
    };
    ctx.check_questionnaire(campaign.questionnaire_id).await?;
    let dashboard = campaigns::dashboard(&ctx.state.db, campaign.id).await?;
    let questionnaire = questionnaires::by_id(&ctx.state.db, campaign.questionnaire_id).await?;
    let live = campaign.status != campaigns::status::CANCELLED
        && (campaign.status != campaigns::status::RUNNING
            || dashboard.queued > 0
            || campaign.expires_at.is_none_or(|e| e > chrono::Utc::now()));
    ctx.render(
        "campaign.html",
        serde_json::json!({
            "campaign": campaign,
            "questionnaire": questionnaire,
            "send_at": campaign.send_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            "expires_at": campaign.expires_at.map(|e| e.format("%Y-%m-%d %H:%M UTC").to_string()),
            "filter": campaign.filter.describe(ctx.lang()),
            "dashboard": dashboard,
            "live": live,
            "cancellable": campaign.status == campaigns::status::SCHEDULED,
        }),
    )
}

pub(crate) async fn cancel(
    ctx: Ctx,
    path: web::Path<i32>,
    _form: CsrfForm,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
    let id = path.into_inner();
    let Some(campaign) = campaigns::by_id(&ctx.state.db, id).await? else {
        return Err(ctx.not_found());
    };
    ctx.check_questionnaire(campaign.questionnaire_id).await?;
    if !campaigns::cancel(&ctx.state.db, id).await? {
        return Err(ctx.bad_request(
            crate::i18n::t(ctx.lang(), "campaign.not_cancellable").into(),
            vec![],
        ));
    }
    audit::record(
        &ctx.state.db,
        &audit::Actor {
            user_id: Some(user.id),
            name: user.email,
        },
        "campaign.cancel",
        &format!("campaign {id}"),
        "",
    )
    .await?;
    Ok(see_other(&format!("/campaigns/{id}")))
}
