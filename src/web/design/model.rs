//! Designer pages for the parts of a model: constructs with their dimensions, and indicators with their scales.

use crate::domain::model_edit::Edit;
use crate::domain::{Indicator, Lang, OuterMode};
use crate::web::access::CsrfForm;
use crate::web::context::{Ctx, see_other};
use crate::web::design::forms::{self as forms, FieldErrors, Fields, SCALE_CHOICES, scale_choice};
use crate::web::design::questionnaires::{Loaded, apply_edit, refusal_errors};
use crate::web::error::WebError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use std::collections::BTreeMap;

fn base(id: i32) -> String {
    format!("/design/questionnaires/{id}")
}

/// The construct form's values for an existing construct.
fn construct_echo(loaded: &Loaded, code: &str) -> Option<BTreeMap<String, String>> {
    let c = loaded.model.construct(code)?;
    let mut echo = BTreeMap::new();
    echo.insert("code".into(), c.code.clone());
    echo.insert("name_zh".into(), c.name.zh.clone().unwrap_or_default());
    echo.insert("name_en".into(), c.name.en.clone().unwrap_or_default());
    echo.insert(
        "mode".into(),
        if c.mode == OuterMode::Formative {
            "formative"
        } else {
            "reflective"
        }
        .into(),
    );
    echo.insert(
        "weight".into(),
        c.expert_weight.map(|w| w.to_string()).unwrap_or_default(),
    );
    Some(echo)
}

/// The construct page: `code` None is the "new construct" form.
#[allow(clippy::too_many_arguments)]
async fn construct_page(
    ctx: &Ctx,
    loaded: &Loaded,
    code: Option<&str>,
    status: StatusCode,
    form: BTreeMap<String, String>,
    errors: FieldErrors,
    dimension_errors: FieldErrors,
    dimension_form: BTreeMap<String, String>,
) -> Result<HttpResponse, WebError> {
    let construct = code.and_then(|c| loaded.model.construct(c));
    let lang = ctx.lang();
    let issues: Vec<String> = match construct {
        Some(c) => loaded
            .model
            .check()
            .iter()
            .filter(|i| {
                i.location == format!("constructs.{}", c.code)
                    || i.location.starts_with(&format!("constructs.{}.", c.code))
            })
            .map(|i| crate::i18n::format(lang, &i.problem.message()))
            .collect(),
        None => vec![],
    };
    ctx.render_status(
        status,
        "design_construct.html",
        serde_json::json!({
            "questionnaire": loaded.questionnaire,
            "opens_version": loaded.next_change_opens_version(),
            "next_number": loaded.newest().number + 1,
            "construct": construct,
            "issues": issues,
            "form": form,
            "errors": errors,
            "dimension_form": dimension_form,
            "dimension_errors": dimension_errors,
        }),
    )
}

pub(crate) async fn new_construct(ctx: Ctx, loaded: Loaded) -> Result<HttpResponse, WebError> {
    let mut form = BTreeMap::new();
    form.insert("mode".to_owned(), "reflective".to_owned());
    construct_page(
        &ctx,
        &loaded,
        None,
        StatusCode::OK,
        form,
        FieldErrors::new(),
        FieldErrors::new(),
        BTreeMap::new(),
    )
    .await
}

pub(crate) async fn add_construct(
    ctx: Ctx,
    loaded: Loaded,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let fields = Fields(form.into_inner());
    let refuse = |errors| {
        construct_page(
            &ctx,
            &loaded,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            fields.echo(),
            errors,
            FieldErrors::new(),
            BTreeMap::new(),
        )
    };
    let head = match forms::construct(&fields, ctx.lang()) {
        Ok(head) => head,
        Err(errors) => return refuse(errors).await,
    };
    let code = head.code.clone();
    match apply_edit(
        &ctx,
        &loaded,
        Edit::AddConstruct(head),
        &format!("add construct {code}"),
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!(
            "{}/constructs/{code}",
            base(loaded.questionnaire.id)
        ))),
        Err(refusal) => refuse(refusal_errors(&refusal, ctx.lang())).await,
    }
}

pub(crate) async fn show_construct(
    ctx: Ctx,
    loaded: Loaded,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, WebError> {
    let (_, code) = path.into_inner();
    let form = construct_echo(&loaded, &code).ok_or_else(|| ctx.not_found())?;
    construct_page(
        &ctx,
        &loaded,
        Some(&code),
        StatusCode::OK,
        form,
        FieldErrors::new(),
        FieldErrors::new(),
        BTreeMap::new(),
    )
    .await
}

pub(crate) async fn update_construct(
    ctx: Ctx,
    loaded: Loaded,
    path: web::Path<(i32, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let (id, code) = path.into_inner();
    let fields = Fields(form.into_inner());
    loaded
        .model
        .construct(&code)
        .ok_or_else(|| ctx.not_found())?;
    let refuse = |errors| {
        construct_page(
            &ctx,
            &loaded,
            Some(&code),
            StatusCode::UNPROCESSABLE_ENTITY,
            fields.echo(),
            errors,
            FieldErrors::new(),
            BTreeMap::new(),
        )
    };
    let head = match forms::construct(&fields, ctx.lang()) {
        Ok(head) => head,
        Err(errors) => return refuse(errors).await,
    };
    let new_code = head.code.clone();
    let what = if new_code == code {
        format!("change construct {code}")
    } else {
        format!("change construct {code} (now {new_code})")
    };
    match apply_edit(
        &ctx,
        &loaded,
        Edit::UpdateConstruct {
            code: code.clone(),
            head,
        },
        &what,
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!("{}/constructs/{new_code}", base(id)))),
        Err(refusal) => refuse(refusal_errors(&refusal, ctx.lang())).await,
    }
}

pub(crate) async fn remove_construct(
    ctx: Ctx,
    loaded: Loaded,
    path: web::Path<(i32, String)>,
    _form: CsrfForm,
) -> Result<HttpResponse, WebError> {
    let (id, code) = path.into_inner();
    match apply_edit(
        &ctx,
        &loaded,
        Edit::RemoveConstruct { code: code.clone() },
        &format!("remove construct {code}"),
    )
    .await?
    {
        Ok(_) => Ok(see_other(&base(id))),
        Err(_) => Err(ctx.not_found()),
    }
}

pub(crate) async fn add_dimension(
    ctx: Ctx,
    loaded: Loaded,
    path: web::Path<(i32, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let (id, code) = path.into_inner();
    let fields = Fields(form.into_inner());
    let form = construct_echo(&loaded, &code).ok_or_else(|| ctx.not_found())?;
    let refuse = |errors| {
        construct_page(
            &ctx,
            &loaded,
            Some(&code),
            StatusCode::UNPROCESSABLE_ENTITY,
            form.clone(),
            FieldErrors::new(),
            errors,
            fields.echo(),
        )
    };
    let dimension = match forms::dimension(&fields, ctx.lang()) {
        Ok(d) => d,
        Err(errors) => return refuse(errors).await,
    };
    let what = format!("add dimension {}.{}", code, dimension.code);
    match apply_edit(
        &ctx,
        &loaded,
        Edit::AddDimension {
            construct: code.clone(),
            dimension,
        },
        &what,
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!("{}/constructs/{code}", base(id)))),
        Err(refusal) => refuse(refusal_errors(&refusal, ctx.lang())).await,
    }
}

pub(crate) async fn remove_dimension(
    ctx: Ctx,
    loaded: Loaded,
    path: web::Path<(i32, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let (id, code) = path.into_inner();
    let fields = Fields(form.into_inner());
    let dimension = fields.get("code").to_owned();
    let what = format!("remove dimension {code}.{dimension}");
    match apply_edit(
        &ctx,
        &loaded,
        Edit::RemoveDimension {
            construct: code.clone(),
            code: dimension,
        },
        &what,
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!("{}/constructs/{code}", base(id)))),
        Err(_) => Err(ctx.not_found()),
    }
}

/// The indicator form's values for an existing indicator.
fn indicator_echo(construct: &str, i: &Indicator) -> BTreeMap<String, String> {
    let mut echo = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        echo.insert(k.to_owned(), v);
    };
    put("code", i.code.clone());
    put("construct", construct.to_owned());
    put("dimension", i.dimension.clone().unwrap_or_default());
    put("text_zh", i.text.zh.clone().unwrap_or_default());
    put("text_en", i.text.en.clone().unwrap_or_default());
    put("scale", scale_choice(&i.scale).to_owned());
    put("low_zh", i.scale.low().zh.clone().unwrap_or_default());
    put("low_en", i.scale.low().en.clone().unwrap_or_default());
    put("high_zh", i.scale.high().zh.clone().unwrap_or_default());
    put("high_en", i.scale.high().en.clone().unwrap_or_default());
    put(
        "labels_zh",
        i.scale
            .labels()
            .iter()
            .map(|l| l.zh.clone().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    put(
        "labels_en",
        i.scale
            .labels()
            .iter()
            .map(|l| l.en.clone().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    if i.dont_know {
        put("dont_know", "on".into());
    }
    if i.reverse {
        put("reverse", "on".into());
    }
    put(
        "weight",
        i.expert_weight.map(|w| w.to_string()).unwrap_or_default(),
    );
    echo
}

async fn indicator_page(
    ctx: &Ctx,
    loaded: &Loaded,
    code: Option<&str>,
    status: StatusCode,
    form: BTreeMap<String, String>,
    errors: FieldErrors,
) -> Result<HttpResponse, WebError> {
    let lang = ctx.lang();
    let scales: Vec<serde_json::Value> = SCALE_CHOICES
        .iter()
        .map(|s| serde_json::json!({ "value": s, "label": crate::i18n::t(lang, &format!("design.scale.{s}")) }))
        .collect();
    let constructs: Vec<serde_json::Value> = loaded
        .model
        .constructs
        .iter()
        .map(|c| serde_json::json!({ "code": c.code, "name": c.name, "dimensions": c.dimensions }))
        .collect();
    ctx.render_status(
        status,
        "design_indicator.html",
        serde_json::json!({
            "questionnaire": loaded.questionnaire,
            "opens_version": loaded.next_change_opens_version(),
            "next_number": loaded.newest().number + 1,
            "code": code,
            "constructs": constructs,
            "scales": scales,
            "form": form,
            "errors": errors,
        }),
    )
}

#[derive(serde::Deserialize)]
pub struct NewIndicatorQuery {
    #[serde(default)]
    construct: String,
}

pub(crate) async fn new_indicator(
    ctx: Ctx,
    loaded: Loaded,
    query: web::Query<NewIndicatorQuery>,
) -> Result<HttpResponse, WebError> {
    let mut form = BTreeMap::new();
    form.insert("construct".to_owned(), query.construct.clone());
    form.insert("scale".to_owned(), "likert10".to_owned());
    let (low, high) = (
        Lang::ALL.map(|l| crate::i18n::t(l, "design.default_low")),
        Lang::ALL.map(|l| crate::i18n::t(l, "design.default_high")),
    );
    form.insert("low_zh".to_owned(), low[0].to_owned());
    form.insert("low_en".to_owned(), low[1].to_owned());
    form.insert("high_zh".to_owned(), high[0].to_owned());
    form.insert("high_en".to_owned(), high[1].to_owned());
    indicator_page(
        &ctx,
        &loaded,
        None,
        StatusCode::OK,
        form,
        FieldErrors::new(),
    )
    .await
}

pub(crate) async fn add_indicator(
    ctx: Ctx,
    loaded: Loaded,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let fields = Fields(form.into_inner());
    let refuse = |errors| {
        indicator_page(
            &ctx,
            &loaded,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            fields.echo(),
            errors,
        )
    };
    let (construct, indicator) = match forms::indicator(&fields, ctx.lang()) {
        Ok(parsed) => parsed,
        Err(errors) => return refuse(errors).await,
    };
    let what = format!("add indicator {} to {construct}", indicator.code);
    match apply_edit(
        &ctx,
        &loaded,
        Edit::AddIndicator {
            construct: construct.clone(),
            indicator,
        },
        &what,
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!(
            "{}/constructs/{construct}",
            base(loaded.questionnaire.id)
        ))),
        Err(refusal) => refuse(refusal_errors(&refusal, ctx.lang())).await,
    }
}

pub(crate) async fn show_indicator(
    ctx: Ctx,
    loaded: Loaded,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, WebError> {
    let (_, code) = path.into_inner();
    let (construct, indicator) = loaded
        .model
        .indicators()
        .find(|(_, i)| i.code == code)
        .ok_or_else(|| ctx.not_found())?;
    let form = indicator_echo(&construct.code, indicator);
    indicator_page(
        &ctx,
        &loaded,
        Some(&code),
        StatusCode::OK,
        form,
        FieldErrors::new(),
    )
    .await
}

pub(crate) async fn update_indicator(
    ctx: Ctx,
    loaded: Loaded,
    path: web::Path<(i32, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let (id, code) = path.into_inner();
    let fields = Fields(form.into_inner());
    loaded
        .model
        .indicator(&code)
        .ok_or_else(|| ctx.not_found())?;
    let refuse = |errors| {
        indicator_page(
            &ctx,
            &loaded,
            Some(&code),
            StatusCode::UNPROCESSABLE_ENTITY,
            fields.echo(),
            errors,
        )
    };
    let (construct, indicator) = match forms::indicator(&fields, ctx.lang()) {
        Ok(parsed) => parsed,
        Err(errors) => return refuse(errors).await,
    };
    let what = if indicator.code == code {
        format!("change indicator {code}")
    } else {
        format!("change indicator {code} (now {})", indicator.code)
    };
    match apply_edit(
        &ctx,
        &loaded,
        Edit::UpdateIndicator {
            code: code.clone(),
            construct: construct.clone(),
            indicator,
        },
        &what,
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!("{}/constructs/{construct}", base(id)))),
        Err(refusal) => refuse(refusal_errors(&refusal, ctx.lang())).await,
    }
}

pub(crate) async fn remove_indicator(
    ctx: Ctx,
    loaded: Loaded,
    path: web::Path<(i32, String)>,
    _form: CsrfForm,
) -> Result<HttpResponse, WebError> {
    let (id, code) = path.into_inner();
    let construct = loaded
        .model
        .indicators()
        .find(|(_, i)| i.code == code)
        .map(|(c, _)| c.code.clone())
        .ok_or_else(|| ctx.not_found())?;
    match apply_edit(
        &ctx,
        &loaded,
        Edit::RemoveIndicator { code: code.clone() },
        &format!("remove indicator {code}"),
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!("{}/constructs/{construct}", base(id)))),
        Err(_) => Err(ctx.not_found()),
    }
}

pub(crate) async fn move_indicator(
    ctx: Ctx,
    loaded: Loaded,
    path: web::Path<(i32, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let (id, code) = path.into_inner();
    let fields = Fields(form.into_inner());
    let construct = loaded
        .model
        .indicators()
        .find(|(_, i)| i.code == code)
        .map(|(c, _)| c.code.clone())
        .ok_or_else(|| ctx.not_found())?;
    let by = if fields.get("by") == "up" { -1 } else { 1 };
    let what = format!(
        "move indicator {code} {}",
        if by < 0 { "up" } else { "down" }
    );
    match apply_edit(&ctx, &loaded, Edit::MoveIndicator { code, by }, &what).await? {
        Ok(_) => Ok(see_other(&format!("{}/constructs/{construct}", base(id)))),
        Err(_) => Err(ctx.not_found()),
    }
}
