//! Questionnaire settings: title, our brand and competitors, brand screening, respondent attributes, and the model's own name and languages.

use crate::domain::attribute::RespondentAttribute;
use crate::domain::model_edit::Edit;
use crate::domain::{Lang, Text};
use crate::store::{audit, brands, questionnaire_settings};
use crate::web::access::CsrfForm;
use crate::web::context::{Ctx, see_other};
use crate::web::design::forms::{self as forms, FieldErrors, Fields};
use crate::web::design::questionnaires::{Loaded, actor, apply_edit, brand_code, refusal_errors};
use crate::web::error::WebError;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use std::collections::BTreeMap;

async fn settings_echo(ctx: &Ctx, loaded: &Loaded) -> Result<BTreeMap<String, String>, WebError> {
    let db = &ctx.state.db;
    let q = &loaded.questionnaire;
    let list = brands::of_questionnaire(db, q.id).await?;
    let mut echo = BTreeMap::new();
    echo.insert(
        "title_zh".to_owned(),
        q.title.zh.clone().unwrap_or_default(),
    );
    echo.insert(
        "title_en".to_owned(),
        q.title.en.clone().unwrap_or_default(),
    );
    echo.insert(
        "own_brand".to_owned(),
        list.iter()
            .find(|b| b.is_own)
            .map(|b| b.name.best(ctx.lang()).to_owned())
            .unwrap_or_default(),
    );
    echo.insert(
        "competitors".to_owned(),
        list.iter()
            .filter(|b| !b.is_own)
            .map(|b| b.name.best(ctx.lang()).to_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    if q.brand_screening {
        echo.insert("screening".to_owned(), "on".to_owned());
    }
    Ok(echo)
}

fn info_echo(loaded: &Loaded) -> BTreeMap<String, String> {
    let m = &loaded.model;
    let mut echo = BTreeMap::new();
    echo.insert("code".to_owned(), m.code.clone());
    echo.insert("name_zh".to_owned(), m.name.zh.clone().unwrap_or_default());
    echo.insert("name_en".to_owned(), m.name.en.clone().unwrap_or_default());
    echo.insert(
        "description_zh".to_owned(),
        m.description.zh.clone().unwrap_or_default(),
    );
    echo.insert(
        "description_en".to_owned(),
        m.description.en.clone().unwrap_or_default(),
    );
    echo
}

#[allow(clippy::too_many_arguments)]
async fn settings_page(
    ctx: &Ctx,
    loaded: &Loaded,
    status: StatusCode,
    form: BTreeMap<String, String>,
    attributes: Vec<RespondentAttribute>,
    errors: FieldErrors,
    info: BTreeMap<String, String>,
    languages: Vec<Lang>,
    info_errors: FieldErrors,
) -> Result<HttpResponse, WebError> {
    let lang = ctx.lang();
    ctx.render_status(
        status,
        "design_settings.html",
        serde_json::json!({
            "questionnaire": loaded.questionnaire,
            "opens_version": loaded.next_change_opens_version(),
            "next_number": loaded.newest().number + 1,
            "form": form,
            "errors": errors,
            "attributes": RespondentAttribute::ALL.iter().map(|a| serde_json::json!({ "key": a.key(), "label": crate::i18n::format(lang, &a.label()), "checked": attributes.contains(a) })).collect::<Vec<_>>(),
            "info": info,
            "languages": Lang::ALL.iter().map(|l| serde_json::json!({ "key": l.key(), "name": l.native_name(), "checked": languages.contains(l) })).collect::<Vec<_>>(),
            "info_errors": info_errors,
        }),
    )
}

pub(crate) async fn show(ctx: Ctx, loaded: Loaded) -> Result<HttpResponse, WebError> {
    let form = settings_echo(&ctx, &loaded).await?;
    let attributes =
        questionnaire_settings::attributes(&ctx.state.db, loaded.questionnaire.id).await?;
    let languages = loaded.model.languages.clone();
    settings_page(
        &ctx,
        &loaded,
        StatusCode::OK,
        form,
        attributes,
        FieldErrors::new(),
        info_echo(&loaded),
        languages,
        FieldErrors::new(),
    )
    .await
}

pub(crate) async fn save(
    ctx: Ctx,
    loaded: Loaded,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let id = loaded.questionnaire.id;
    let user = ctx.user()?.clone();
    let fields = Fields(form.into_inner());
    let mut errors = FieldErrors::new();
    let own = fields.get("own_brand");
    if own.is_empty() || own.chars().count() > 100 {
        errors.insert(
            "own_brand".into(),
            vec![crate::i18n::t(ctx.lang(), "design.form.own_brand").into()],
        );
    }
    let competitors: Vec<&str> = fields
        .get("competitors")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if competitors.iter().any(|c| c.chars().count() > 100) || competitors.len() > 20 {
        errors.insert(
            "competitors".into(),
            vec![crate::i18n::t(ctx.lang(), "design.form.competitors").into()],
        );
    } else if competitors.contains(&own)
        || (1..competitors.len()).any(|i| competitors[..i].contains(&competitors[i]))
    {
        errors.insert(
            "competitors".into(),
            vec![crate::i18n::t(ctx.lang(), "design.form.brand_twice").into()],
        );
    }
    let attributes: Vec<RespondentAttribute> = fields
        .all("attributes")
        .into_iter()
        .filter_map(RespondentAttribute::parse)
        .collect();
    let mut title = Text::default();
    title.set(Lang::ZhCn, Some(fields.get("title_zh").to_owned()));
    title.set(Lang::En, Some(fields.get("title_en").to_owned()));
    if title.get(Lang::ZhCn).is_none() && title.get(Lang::En).is_none() {
        errors.insert(
            "title_zh".into(),
            vec![crate::i18n::t(ctx.lang(), "design.form.title_required").into()],
        );
    }
    if !errors.is_empty() {
        let languages = loaded.model.languages.clone();
        return settings_page(
            &ctx,
            &loaded,
            StatusCode::UNPROCESSABLE_ENTITY,
            fields.echo(),
            attributes,
            errors,
            info_echo(&loaded),
            languages,
            FieldErrors::new(),
        )
        .await;
    }
    let mut brand_list = vec![(brand_code(own), Text::new(own, own), true)];
    brand_list.extend(
        competitors
            .iter()
            .map(|c| (brand_code(c), Text::new(c, c), false)),
    );
    let settings = questionnaire_settings::Settings {
        title,
        brands: brand_list,
        brand_screening: fields.has("screening"),
        attributes: attributes.clone(),
    };
    questionnaire_settings::save(&ctx.state.db, id, &settings).await?;
    let detail = format!(
        "own brand {own}; competitors: {}; screening: {}; attributes: {}",
        competitors.join(", "),
        if settings.brand_screening {
            "yes"
        } else {
            "no"
        },
        attributes
            .iter()
            .map(|a| a.key())
            .collect::<Vec<_>>()
            .join(", ")
    );
    audit::record(
        &ctx.state.db,
        &actor(&user),
        "change questionnaire settings",
        &format!("questionnaire {id}"),
        &detail,
    )
    .await?;
    Ok(see_other(&format!("/design/questionnaires/{id}")))
}

pub(crate) async fn save_info(
    ctx: Ctx,
    loaded: Loaded,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let id = loaded.questionnaire.id;
    let fields = Fields(form.into_inner());
    let languages: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| fields.all("languages").contains(&l.key()))
        .collect();
    let refuse = |errors: FieldErrors| async {
        let form = settings_echo(&ctx, &loaded).await?;
        let attributes = questionnaire_settings::attributes(&ctx.state.db, id).await?;
        settings_page(
            &ctx,
            &loaded,
            StatusCode::UNPROCESSABLE_ENTITY,
            form,
            attributes,
            FieldErrors::new(),
            fields.echo(),
            languages.clone(),
            errors,
        )
        .await
    };
    let (code, name, description, langs) = match forms::info(&fields, ctx.lang()) {
        Ok(info) => info,
        Err(errors) => return refuse(errors).await,
    };
    let what = format!(
        "change model information (code {code}; languages {})",
        langs.iter().map(|l| l.key()).collect::<Vec<_>>().join(", ")
    );
    match apply_edit(
        &ctx,
        &loaded,
        Edit::Info {
            code,
            name,
            description,
            languages: langs,
        },
        &what,
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!("/design/questionnaires/{id}/settings"))),
        Err(refusal) => refuse(refusal_errors(&refusal, ctx.lang())).await,
    }
}
