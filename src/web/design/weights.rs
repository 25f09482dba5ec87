//! Expert weights: typed in directly, or derived by AHP from a pairwise grid per level with its consistency ratio.

use crate::csi::ahp;
use crate::domain::model_edit::Edit;
use crate::domain::pairwise::{Judgment, PairwiseGrid};
use crate::domain::{Lang, Model, Text};
use crate::web::access::CsrfForm;
use crate::web::context::{Ctx, see_other};
use crate::web::design::forms::{self as forms, FieldErrors, Fields};
use crate::web::design::questionnaires::{Loaded, apply_edit, refusal_errors};
use crate::web::error::WebError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;

/// The level an AHP grid compares: the constructs, or the indicators of one construct.
#[derive(Debug, Clone, PartialEq)]
enum Level {
    Constructs,
    Indicators(String),
}

impl Level {
    fn parse(model: &Model, key: &str) -> Option<Level> {
        match key {
            "" | "constructs" => Some(Level::Constructs),
            code => model
                .construct(code)
                .map(|c| Level::Indicators(c.code.clone())),
        }
    }

    fn key(&self) -> &str {
        match self {
            Level::Constructs => "constructs",
            Level::Indicators(code) => code,
        }
    }

    /// (code, name, current weight) of the items compared at this level.
    fn items(&self, model: &Model) -> Vec<(String, Text, Option<f64>)> {
        match self {
            Level::Constructs => model
                .constructs
                .iter()
                .map(|c| (c.code.clone(), c.name.clone(), c.expert_weight))
                .collect(),
            Level::Indicators(code) => model
                .construct(code)
                .map(|c| {
                    c.indicators
                        .iter()
                        .map(|i| (i.code.clone(), i.text.clone(), i.expert_weight))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

#[derive(Serialize)]
struct PairView {
    field: String,
    row: String,
    column: String,
    options: Vec<OptionView>,
}

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct AhpView {
    weights: Vec<(String, String)>,
    lambda_max: String,
    ci: String,
    cr: String,
    consistent: bool,
    #[serde(skip)]
    raw: Vec<f64>,
}

/// What an AHP grid shows after its judgments were computed.
struct Computed {
    grid: PairwiseGrid,
    result: Option<AhpView>,
    message: Option<String>,
}

fn compute(grid: PairwiseGrid, codes: &[String]) -> Computed {
    if grid.size < 2 {
        return Computed {
            grid,
            result: None,
            message: None,
        };
    }
    match ahp(&grid.matrix()) {
        Ok(r) => Computed {
            result: Some(AhpView {
                weights: codes
                    .iter()
                    .cloned()
                    .zip(r.weights.iter().map(|w| format!("{w:.4}")))
                    .collect(),
                lambda_max: format!("{:.4}", r.lambda_max),
                ci: format!("{:.4}", r.ci),
                cr: format!("{:.4}", r.cr),
                consistent: r.consistent,
                raw: r.weights.clone(),
            }),
            grid,
            message: None,
        },
        Err(e) => Computed {
            grid,
            result: None,
            message: Some(e.to_string()),
        },
    }
}

fn pair_views(grid: &PairwiseGrid, codes: &[String], lang: Lang) -> Vec<PairView> {
    PairwiseGrid::pairs(grid.size)
        .zip(&grid.judgments)
        .map(|((i, j), chosen)| PairView {
            field: format!("p_{i}_{j}"),
            row: codes[i].clone(),
            column: codes[j].clone(),
            options: Judgment::all()
                .rev()
                .map(|judgment| OptionView {
                    value: judgment.key(),
                    label: crate::i18n::format(lang, &judgment.describe(&codes[i], &codes[j])),
                    selected: judgment == *chosen,
                })
                .collect(),
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn weights_page(
    ctx: &Ctx,
    loaded: &Loaded,
    level: &Level,
    computed: Computed,
    status: StatusCode,
    direct_form: Option<std::collections::BTreeMap<String, String>>,
    direct_errors: FieldErrors,
    notice: Option<String>,
) -> Result<HttpResponse, WebError> {
    let model = &loaded.model;
    let lang = ctx.lang();
    let items = level.items(model);
    let codes: Vec<String> = items.iter().map(|(c, _, _)| c.clone()).collect();
    let value = |key: String, current: Option<f64>| {
        direct_form
            .as_ref()
            .and_then(|f| f.get(&key).cloned())
            .unwrap_or_else(|| current.map(|w| w.to_string()).unwrap_or_default())
    };
    let direct: Vec<serde_json::Value> = model
        .constructs
        .iter()
        .map(|c| {
            let field = format!("w_{}", c.code);
            serde_json::json!({
                "code": c.code,
                "name": c.name,
                "value": value(field.clone(), c.expert_weight),
                "errors": direct_errors.get(&field),
                "field": field,
                "indicators": c.indicators.iter().map(|i| {
                    let field = format!("w_{}", i.code);
                    serde_json::json!({ "code": i.code, "text": i.text, "value": value(field.clone(), i.expert_weight), "errors": direct_errors.get(&field), "field": field })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut levels = vec![
        serde_json::json!({ "key": "constructs", "label": crate::i18n::t(lang, "weights.level_constructs") }),
    ];
    levels.extend(model.constructs.iter().map(|c| serde_json::json!({ "key": c.code, "label": format!("{} {}", c.code, c.name.best(lang)) })));
    ctx.render_status(
        status,
        "design_weights.html",
        serde_json::json!({
            "questionnaire": loaded.questionnaire,
            "opens_version": loaded.next_change_opens_version(),
            "next_number": loaded.newest().number + 1,
            "levels": levels,
            "level": level.key(),
            "items": items.iter().map(|(code, name, _)| serde_json::json!({ "code": code, "name": name })).collect::<Vec<_>>(),
            "pairs": pair_views(&computed.grid, &codes, lang),
            "result": computed.result,
            "ahp_message": computed.message,
            "direct": direct,
            "direct_errors": direct_errors.get("form"),
            "notice": notice,
        }),
    )
}

#[derive(serde::Deserialize)]
pub struct LevelQuery {
    #[serde(default)]
    level: String,
}

pub(crate) async fn show(
    ctx: Ctx,
    loaded: Loaded,
    query: web::Query<LevelQuery>,
) -> Result<HttpResponse, WebError> {
    let level = Level::parse(&loaded.model, &query.level).ok_or_else(|| ctx.not_found())?;
    let items = level.items(&loaded.model);
    let codes: Vec<String> = items.iter().map(|(c, _, _)| c.clone()).collect();
    let grid = PairwiseGrid::from_weights(&items.iter().map(|(_, _, w)| *w).collect::<Vec<_>>());
    weights_page(
        &ctx,
        &loaded,
        &level,
        compute(grid, &codes),
        StatusCode::OK,
        None,
        FieldErrors::new(),
        None,
    )
    .await
}

pub(crate) async fn save_direct(
    ctx: Ctx,
    loaded: Loaded,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let id = loaded.questionnaire.id;
    let fields = Fields(form.into_inner());
    let lang = ctx.lang();
    let mut errors = FieldErrors::new();
    let mut weight_of = |code: &str| {
        let field = format!("w_{code}");
        forms::weight(fields.get(&field), &field, lang, &mut errors)
    };
    let constructs: Vec<(String, Option<f64>)> = loaded
        .model
        .constructs
        .iter()
        .map(|c| (c.code.clone(), weight_of(&c.code)))
        .collect();
    let indicators: Vec<(String, Option<f64>)> = loaded
        .model
        .indicators()
        .map(|(_, i)| (i.code.clone(), weight_of(&i.code)))
        .collect();
    let level = Level::Constructs;
    let refuse = |errors: FieldErrors| {
        let items = level.items(&loaded.model);
        let codes: Vec<String> = items.iter().map(|(c, _, _)| c.clone()).collect();
        let grid =
            PairwiseGrid::from_weights(&items.iter().map(|(_, _, w)| *w).collect::<Vec<_>>());
        weights_page(
            &ctx,
            &loaded,
            &level,
            compute(grid, &codes),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(fields.echo()),
            errors,
            None,
        )
    };
    if !errors.is_empty() {
        return refuse(errors).await;
    }
    match apply_edit(
        &ctx,
        &loaded,
        Edit::SetWeights {
            constructs,
            indicators,
        },
        "set expert weights (direct entry)",
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!("/design/questionnaires/{id}/weights"))),
        Err(refusal) => refuse(refusal_errors(&refusal, lang)).await,
    }
}

pub(crate) async fn ahp_grid(
    ctx: Ctx,
    loaded: Loaded,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let id = loaded.questionnaire.id;
    let fields = Fields(form.into_inner());
    let lang = ctx.lang();
    let level = Level::parse(&loaded.model, fields.get("level")).ok_or_else(|| ctx.not_found())?;
    let items = level.items(&loaded.model);
    let codes: Vec<String> = items.iter().map(|(c, _, _)| c.clone()).collect();
    let mut judgments = Vec::new();
    for (i, j) in PairwiseGrid::pairs(codes.len()) {
        let given = fields.get(&format!("p_{i}_{j}"));
        let judgment = Judgment::parse(given).ok_or_else(|| {
            ctx.bad_request(
                crate::i18n::t(lang, "weights.bad_judgment").into(),
                vec![format!("{} / {}: “{given}”", codes[i], codes[j])],
            )
        })?;
        judgments.push(judgment);
    }
    let computed = compute(
        PairwiseGrid {
            size: codes.len(),
            judgments,
        },
        &codes,
    );
    let apply = fields.get("action") == "apply";
    let result = match (&computed.result, apply) {
        (Some(result), true) if result.consistent => result,
        (Some(_), true) => {
            let notice = Some(crate::i18n::t(lang, "weights.not_applied").to_owned());
            return weights_page(
                &ctx,
                &loaded,
                &level,
                computed,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                FieldErrors::new(),
                notice,
            )
            .await;
        }
        _ => {
            return weights_page(
                &ctx,
                &loaded,
                &level,
                computed,
                StatusCode::OK,
                None,
                FieldErrors::new(),
                None,
            )
            .await;
        }
    };
    let weights: Vec<(String, Option<f64>)> = codes
        .iter()
        .cloned()
        .zip(result.raw.iter().map(|w| Some(*w)))
        .collect();
    let (constructs, indicators) = match &level {
        Level::Constructs => (weights, vec![]),
        Level::Indicators(_) => (vec![], weights),
    };
    let what = format!(
        "set expert weights of {} by AHP (CR {})",
        level.key(),
        result.cr
    );
    match apply_edit(
        &ctx,
        &loaded,
        Edit::SetWeights {
            constructs,
            indicators,
        },
        &what,
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!(
            "/design/questionnaires/{id}/weights?level={}",
            level.key()
        ))),
        Err(refusal) => {
            let notice = refusal_errors(&refusal, lang)
                .into_values()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ");
            weights_page(
                &ctx,
                &loaded,
                &level,
                computed,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                FieldErrors::new(),
                Some(notice),
            )
            .await
        }
    }
}
