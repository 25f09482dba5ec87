//! Pages for quality teams: questionnaires from a template, from scratch or from a file; the designer overview with its path diagram; versions and publishing.

use crate::catalog;
use crate::domain::attribute::RespondentAttribute;
use crate::domain::model_edit::{self, Edit, Refusal};
use crate::domain::{Lang, Model, ModelIssue, Role, Severity, Text, parse_model};
use crate::report::diagram::path_diagram;
use crate::store::questionnaire_access::{self, Scope};
use crate::store::questionnaires::{self, NewQuestionnaire, Questionnaire, Version};
use crate::store::{audit, brands, drafts, questionnaire_settings, responses};
use crate::web::access::CsrfForm;
use crate::web::access::{CsrfLargeForm, InScope};
use crate::web::context::{Ctx, see_other};
use crate::web::design::forms::{self as forms, FieldErrors, Fields};
use crate::web::error::WebError;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct QuestionnaireRow {
    id: i32,
    slug: String,
    title: Text,
    version: Option<i32>,
    draft: bool,
    responses: u64,
}

async fn questionnaire_rows(ctx: &Ctx) -> Result<Vec<QuestionnaireRow>, WebError> {
    let mut rows = Vec::new();
    let scope = ctx.questionnaire_scope().await?;
    for q in questionnaires::all_in(&ctx.state.db, &scope).await? {
        let versions = questionnaires::versions(&ctx.state.db, q.id).await?;
        rows.push(QuestionnaireRow {
            version: versions.iter().find(|v| v.published).map(|v| v.number),
            draft: versions.first().is_some_and(|v| !v.published),
            responses: responses::count_completed(&ctx.state.db, q.id).await?,
            id: q.id,
            slug: q.slug,
            title: q.title,
        });
    }
    Ok(rows)
}

#[derive(Serialize)]
struct TemplateChoice {
    file: &'static str,
    name: Text,
}

/// The "new questionnaire" form. `template` is a file of survey-templates/ or `blank`;
/// a pasted `model_file` takes precedence over both.
#[derive(Serialize, Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    template: String,
    #[serde(default)]
    model_file: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    title_zh: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    own_brand: String,
    #[serde(default)]
    competitors: String,
    #[serde(default)]
    screening: Option<String>,
}

async fn list_page(
    ctx: &Ctx,
    form: &NewForm,
    errors: Vec<String>,
) -> Result<HttpResponse, WebError> {
    let templates: Vec<TemplateChoice> = catalog::all()
        .into_iter()
        .map(|(file, model)| TemplateChoice {
            file,
            name: model.name,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(
        status,
        "design_list.html",
        serde_json::json!({
            "questionnaires": questionnaire_rows(ctx).await?,
            "templates": templates,
            "can_design": ctx.common.user.as_ref().is_some_and(|u| u.role.allows(Role::Designer)),
            "form": form,
            "errors": errors,
        }),
    )
}

pub(crate) async fn home(ctx: Ctx) -> Result<HttpResponse, WebError> {
    if ctx.common.user.is_some() {
        return list_page(&ctx, &NewForm::default(), vec![]).await;
    }
    ctx.render("home.html", serde_json::json!({}))
}

pub(crate) async fn list(ctx: Ctx) -> Result<HttpResponse, WebError> {
    let form = NewForm {
        template: "acsi.toml".into(),
        ..NewForm::default()
    };
    list_page(&ctx, &form, vec![]).await
}

fn valid_slug(slug: &str) -> bool {
    (2..=48).contains(&slug.len())
        && slug.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The stable code of a brand, from its name.
pub(crate) fn brand_code(name: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(name.trim().as_bytes());
    format!("b-{}", &hex::encode(digest)[..12])
}

/// An empty model to build from scratch.
fn blank_model(title: &Text) -> Model {
    Model {
        code: "custom".into(),
        name: if title.get(Lang::ZhCn).is_some() || title.get(Lang::En).is_some() {
            title.clone()
        } else {
            Text::new("新指标体系", "New indicator system") // i18n-exempt: questionnaire content (the blank model's default name), not interface text
        },
        description: Text::default(),
        languages: vec![Lang::ZhCn, Lang::En],
        constructs: vec![],
        paths: vec![],
    }
}

/// Every problem of a model file, one line each, in the reader's language where the message is ours.
pub(crate) fn file_problems(errors: &crate::domain::FileErrors) -> Vec<String> {
    errors
        .0
        .iter()
        .map(|p| format!("{}: {}", p.entry, p.message))
        .collect()
}

pub(crate) async fn create(
    ctx: Ctx,
    CsrfLargeForm(form): CsrfLargeForm<NewForm>,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
    let mut errors = Vec::new();
    let mut title = Text::default();
    title.set(Lang::ZhCn, Some(form.title_zh.trim().to_owned()));
    title.set(Lang::En, Some(form.title_en.trim().to_owned()));
    let (model, origin): (Option<Model>, String) = if !form.model_file.trim().is_empty() {
        match parse_model("model.toml", &form.model_file) {
            Ok(model) => (Some(model), "from a pasted model file".into()),
            Err(problems) => {
                errors.push(crate::i18n::t(ctx.lang(), "design.form.model_file_problems").into());
                errors.extend(file_problems(&problems));
                (None, String::new())
            }
        }
    } else if form.template == "blank" {
        (Some(blank_model(&title)), "from scratch".into())
    } else {
        match catalog::load(&form.template) {
            Some(Ok(model)) => (Some(model), format!("from {}", form.template)),
            Some(Err(problems)) => {
                errors.extend(file_problems(&problems));
                (None, String::new())
            }
            None => {
                errors.push(crate::i18n::t(ctx.lang(), "design.form.choose_template").into());
                (None, String::new())
            }
        }
    };
    let slug = form.slug.trim().to_owned();
    if !valid_slug(&slug) {
        errors.push(crate::i18n::t(ctx.lang(), "design.form.bad_slug").into());
    } else if questionnaires::by_slug(&ctx.state.db, &slug)
        .await?
        .is_some()
    {
        errors.push(crate::i18n::t_with(
            ctx.lang(),
            "design.form.slug_taken",
            &[("slug", slug.clone())],
        ));
    }
    let own = form.own_brand.trim();
    if own.is_empty() || own.chars().count() > 100 {
        errors.push(crate::i18n::t(ctx.lang(), "design.form.own_brand").into());
    }
    let competitors: Vec<&str> = form
        .competitors
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if competitors.iter().any(|c| c.chars().count() > 100) || competitors.len() > 20 {
        errors.push(crate::i18n::t(ctx.lang(), "design.form.competitors").into());
    }
    let (Some(model), true) = (model, errors.is_empty()) else {
        return list_page(&ctx, &form, errors).await;
    };
    let mut brand_ids = vec![
        brands::ensure(&ctx.state.db, &brand_code(own), &Text::new(own, own), true)
            .await?
            .id,
    ];
    for name in &competitors {
        brand_ids.push(
            brands::ensure(
                &ctx.state.db,
                &brand_code(name),
                &Text::new(name, name),
                false,
            )
            .await?
            .id,
        );
    }
    if title.get(Lang::ZhCn).is_none() && title.get(Lang::En).is_none() {
        title = model.name.clone();
    }
    let created = questionnaires::create(
        &ctx.state.db,
        NewQuestionnaire {
            slug: &slug,
            title,
            model: &model,
            brand_ids: &brand_ids,
            brand_screening: form.screening.is_some(),
        },
    )
    .await?;
    questionnaire_settings::set_attributes(&ctx.state.db, created.id, &RespondentAttribute::ALL)
        .await?;
    // A designer limited to some questionnaires keeps what they create within reach.
    if let Scope::Only(mut ids) = ctx.questionnaire_scope().await? {
        ids.push(created.id);
        questionnaire_access::set(&ctx.state.db, user.id, &ids).await?;
    }
    audit::record(
        &ctx.state.db,
        &actor(&user),
        "create questionnaire",
        &format!("questionnaire {}", created.id),
        &format!("{origin}; link {slug}"),
    )
    .await?;
    Ok(see_other(&format!("/design/questionnaires/{}", created.id)))
}

pub(crate) fn actor(user: &crate::store::users::User) -> audit::Actor {
    audit::Actor {
        user_id: Some(user.id),
        name: user.email.clone(),
    }
}

/// A questionnaire with its versions, newest first, and the model of the newest.
pub(crate) struct Loaded {
    pub questionnaire: Questionnaire,
    pub versions: Vec<Version>,
    pub model: std::sync::Arc<Model>,
}

impl Loaded {
    pub fn newest(&self) -> &Version {
        &self.versions[0]
    }

    /// Whether the newest version is published, so the next change opens a new draft.
    pub fn next_change_opens_version(&self) -> bool {
        self.newest().published
    }
}

/// The designer pages' start: the questionnaire of the path's `{id}`, which the user may open
/// ([`InScope`]: 403 otherwise), loaded (404 when it does not exist).
impl actix_web::FromRequest for Loaded {
    type Error = WebError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Loaded, WebError>>>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let InScope(id) = InScope::extract(&req).await?;
            load(&Ctx::extract(&req).await?, id).await
        })
    }
}

pub(crate) async fn load(ctx: &Ctx, id: i32) -> Result<Loaded, WebError> {
    let db = &ctx.state.db;
    let questionnaire = questionnaires::by_id(db, id)
        .await?
        .ok_or_else(|| ctx.not_found())?;
    let versions = questionnaires::versions(db, id).await?;
    let newest = versions.first().ok_or_else(|| ctx.not_found())?;
    let model = ctx.state.model(newest.model_id).await?;
    Ok(Loaded {
        questionnaire,
        versions,
        model,
    })
}

/// Applies a designer's edit to the newest model. A refused edit changes nothing; an accepted
/// edit of a published questionnaire first opens the next version as a draft. Audited.
/// Returns the number of the draft version that now holds the edit.
pub(crate) async fn apply_edit(
    ctx: &Ctx,
    loaded: &Loaded,
    edit: Edit,
    what: &str,
) -> Result<Result<i32, Refusal>, WebError> {
    let user = ctx.user()?;
    let next = match model_edit::apply(&loaded.model, edit) {
        Ok(next) => next,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let db = &ctx.state.db;
    let draft = drafts::ensure(db, loaded.questionnaire.id).await?;
    drafts::replace_model(db, draft.version.model_id, &next).await?;
    let subject = format!(
        "questionnaire {} version {}",
        loaded.questionnaire.id, draft.version.number
    );
    if draft.created {
        audit::record(
            db,
            &actor(user),
            "open draft version",
            &subject,
            &format!("copy of version {}", draft.version.number - 1),
        )
        .await?;
    }
    audit::record(db, &actor(user), "edit model", &subject, what).await?;
    Ok(Ok(draft.version.number))
}

/// Field messages for a refused edit.
pub(crate) fn refusal_errors(refusal: &Refusal, lang: Lang) -> FieldErrors {
    match refusal {
        Refusal::Breaks(issues) => forms::issue_errors(issues, lang),
        Refusal::Missing { .. } => {
            let mut errors = FieldErrors::new();
            errors.insert(
                "form".into(),
                refusal
                    .messages()
                    .iter()
                    .map(|m| crate::i18n::format(lang, m))
                    .collect::<Vec<_>>(),
            );
            errors
        }
    }
}

#[derive(Serialize)]
struct IssueView {
    location: String,
    message: String,
    anchor: String,
}

fn issue_view(issue: &ModelIssue, lang: Lang) -> IssueView {
    let anchor = match issue.location.split('.').collect::<Vec<_>>().as_slice() {
        ["constructs", code, ..] => format!("construct-{code}"),
        ["paths", ..] => "paths".into(),
        _ => "model".into(),
    };
    IssueView {
        location: issue.location.clone(),
        message: crate::i18n::format(lang, &issue.problem.message()),
        anchor,
    }
}

fn scale_label(scale: &crate::domain::Scale) -> String {
    format!("{} ({}–{})", scale.describe(), scale.min(), scale.max())
}

/// What the overview page shows of one construct, with the problems that belong next to it.
fn construct_views(model: &Model, issues: &[ModelIssue], lang: Lang) -> Vec<serde_json::Value> {
    model
        .constructs
        .iter()
        .map(|c| {
            let here = format!("constructs.{}", c.code);
            let mine: Vec<&ModelIssue> = issues.iter().filter(|i| i.location == here || i.location.starts_with(&format!("{here}."))).collect();
            serde_json::json!({
                "code": c.code,
                "name": c.name,
                "mode": c.mode,
                "mode_label": crate::i18n::t(lang, if c.mode == crate::domain::OuterMode::Formative { "design.mode_formative" } else { "design.mode_reflective" }),
                "weight": c.expert_weight,
                "dimensions": c.dimensions,
                "errors": mine.iter().filter(|i| i.severity == Severity::Error).map(|i| crate::i18n::format(lang, &i.problem.message())).collect::<Vec<_>>(),
                "warnings": mine.iter().filter(|i| i.severity == Severity::Warning).map(|i| crate::i18n::format(lang, &i.problem.message())).collect::<Vec<_>>(),
                "indicators": c.indicators.iter().map(|i| serde_json::json!({
                    "code": i.code,
                    "text": i.text,
                    "dont_know": i.dont_know,
                    "reverse": i.reverse,
                    "weight": i.expert_weight,
                    "dimension": i.dimension,
                    "scale_label": scale_label(&i.scale),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// The overview (designer home of one questionnaire), with refused-form messages if any.
pub(crate) async fn show_page(
    ctx: &Ctx,
    id: i32,
    status: StatusCode,
    path_errors: FieldErrors,
    path_form: serde_json::Value,
    notice: Vec<String>,
) -> Result<HttpResponse, WebError> {
    let db = &ctx.state.db;
    let loaded = load(ctx, id).await?;
    let lang = ctx.lang();
    let model = &loaded.model;
    let issues = model.check();
    let errors: Vec<IssueView> = issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| issue_view(i, lang))
        .collect();
    let warnings: Vec<IssueView> = issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .map(|i| issue_view(i, lang))
        .collect();
    let path_issues: Vec<String> = issues
        .iter()
        .filter(|i| i.location.starts_with("paths"))
        .map(|i| crate::i18n::format(lang, &i.problem.message()))
        .collect();
    let mut versions = Vec::new();
    for (index, v) in loaded.versions.iter().enumerate() {
        versions.push(serde_json::json!({
            "number": v.number,
            "published": v.published,
            "published_at": v.published_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            "responses": drafts::completed_responses(db, v.id).await?,
            "previous": loaded.versions.get(index + 1).map(|p| p.number),
        }));
    }
    let has_link = loaded.versions.iter().any(|v| v.published);
    let newest = loaded.newest();
    ctx.render_status(
        status,
        "design_questionnaire.html",
        serde_json::json!({
            "questionnaire": loaded.questionnaire,
            "versions": versions,
            "newest": { "number": newest.number, "published": newest.published },
            "next_number": newest.number + 1,
            "model": { "code": model.code, "name": model.name, "languages": model.languages, "constructs": construct_views(model, &issues, lang), "paths": model.paths },
            "diagram": path_diagram(model, lang),
            "errors": errors,
            "warnings": warnings,
            "path_issues": path_issues,
            "path_errors": path_errors,
            "path_form": path_form,
            "notice": notice,
            "can_publish": !newest.published && errors.is_empty(),
            "public_url": has_link.then(|| format!("{}/s/{}", ctx.state.public_url, loaded.questionnaire.slug)),
            "brands": brands::of_questionnaire(db, id).await?,
            "attributes": questionnaire_settings::attributes(db, id).await?.into_iter().map(|a| crate::i18n::format(lang, &a.label())).collect::<Vec<_>>(),
            "responses": responses::count_completed(db, id).await?,
        }),
    )
}

pub(crate) async fn show(ctx: Ctx, InScope(id): InScope) -> Result<HttpResponse, WebError> {
    show_page(
        &ctx,
        id,
        StatusCode::OK,
        FieldErrors::new(),
        serde_json::json!({}),
        vec![],
    )
    .await
}

pub(crate) async fn add_path(
    ctx: Ctx,
    InScope(id): InScope,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let fields = Fields(form.into_inner());
    let loaded = load(&ctx, id).await?;
    let refused = |errors: FieldErrors| {
        show_page(
            &ctx,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            serde_json::json!(fields.echo()),
            vec![],
        )
    };
    let new_path = match forms::path(&fields, ctx.lang()) {
        Ok(p) => p,
        Err(errors) => return refused(errors).await,
    };
    let what = format!("add path {new_path}");
    match apply_edit(&ctx, &loaded, Edit::AddPath(new_path), &what).await? {
        Ok(_) => Ok(see_other(&format!("/design/questionnaires/{id}#paths"))),
        Err(refusal) => refused(refusal_errors(&refusal, ctx.lang())).await,
    }
}

pub(crate) async fn remove_path(
    ctx: Ctx,
    InScope(id): InScope,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let fields = Fields(form.into_inner());
    let loaded = load(&ctx, id).await?;
    let gone = forms::path(&fields, ctx.lang()).map_err(|_| ctx.not_found())?;
    let what = format!("remove path {gone}");
    match apply_edit(&ctx, &loaded, Edit::RemovePath(gone), &what).await? {
        Ok(_) => Ok(see_other(&format!("/design/questionnaires/{id}#paths"))),
        Err(refusal) => {
            show_page(
                &ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                refusal_errors(&refusal, ctx.lang()),
                serde_json::json!({}),
                vec![],
            )
            .await
        }
    }
}
