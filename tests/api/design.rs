//! The indicator-system designer: templates, edits, each validation rule, AHP, versions, diff, export/import, audit.

use crate::helpers::{TestApp, spawn_app};
use sea_orm::EntityTrait;
use yardstick::catalog;
use yardstick::domain::{Role, parse_model};
use yardstick::store::{audit, models, questionnaires, responses};

async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String, Option<String>) {
    let response = app.post_form(path, fields).await;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    (status, response.text().await.unwrap(), location)
}

/// Creates a draft questionnaire from a template file (or `blank`); returns its id.
async fn create(app: &TestApp, template: &str, slug: &str) -> i32 {
    let (status, body, location) = post(
        app,
        "/design/questionnaires",
        &[
            ("template", template),
            ("slug", slug),
            ("title_zh", "测试"),
            ("title_en", "Test"),
            ("own_brand", "Our Brand"),
            ("competitors", "Rival"),
        ],
    )
    .await;
    assert_eq!(status, 303, "created from {template}: {body}");
    location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn newest_model(app: &TestApp, id: i32) -> yardstick::domain::Model {
    let versions = questionnaires::versions(&app.db, id).await.unwrap();
    models::load(&app.db, versions[0].model_id).await.unwrap()
}

fn indicator_fields<'a>(
    construct: &'a str,
    code: &'a str,
    zh: &'a str,
    en: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("construct", construct),
        ("code", code),
        ("text_zh", zh),
        ("text_en", en),
        ("scale", "likert5"),
        ("low_zh", "很差"),
        ("low_en", "Very poor"),
        ("high_zh", "很好"),
        ("high_en", "Very good"),
    ]
}

async fn add_construct(app: &TestApp, id: i32, code: &str) {
    let (status, body, _) = post(
        app,
        &format!("/design/questionnaires/{id}/constructs"),
        &[
            ("code", code),
            ("name_zh", "名称"),
            ("name_en", "Name"),
            ("mode", "reflective"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
}

async fn add_indicator(app: &TestApp, id: i32, construct: &str, code: &str) {
    let fields = indicator_fields(construct, code, "题目", "Question");
    let (status, body, _) = post(
        app,
        &format!("/design/questionnaires/{id}/indicators"),
        &fields,
    )
    .await;
    assert_eq!(status, 303, "{body}");
}

#[tokio::test]
async fn every_template_and_a_blank_model_start_a_questionnaire() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    for (index, (file, _)) in catalog::TEMPLATES.iter().enumerate() {
        let id = create(&app, file, &format!("t{index}")).await;
        let expected = catalog::load(file).unwrap().unwrap();
        assert_eq!(
            newest_model(&app, id).await,
            expected,
            "{file} is copied whole"
        );
        let (status, page) = app
            .get_html(&format!("/design/questionnaires/{id}?lang=en"))
            .await;
        assert_eq!(status, 200);
        assert!(
            page.contains("<svg")
                && page.matches("class=\"construct\"").count() == expected.constructs.len(),
            "{file}: diagram"
        );
        assert!(page.contains("id=\"publish\""), "{file} can be published");
    }
    let blank = create(&app, "blank", "blank").await;
    assert!(newest_model(&app, blank).await.constructs.is_empty());
    let (status, page, _) = post(
        &app,
        &format!("/design/questionnaires/{blank}/publish?lang=en"),
        &[],
    )
    .await;
    assert_eq!(status, 422, "an empty model is not published");
    assert!(
        page.contains("the model needs at least one construct"),
        "{page}"
    );
}

#[tokio::test]
async fn a_model_built_from_scratch_validates_each_rule_next_to_its_field() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let id = create(&app, "blank", "scratch").await;
    let base = format!("/design/questionnaires/{id}");
    add_construct(&app, id, "QUA").await;
    add_construct(&app, id, "SAT").await;

    // Every construct has indicators: shown next to the construct, and publishing is refused.
    let (_, page) = app.get_html(&format!("{base}?lang=en")).await;
    assert!(page.contains("construct QUA has no indicators"), "{page}");
    let (status, _, _) = post(&app, &format!("{base}/publish"), &[]).await;
    assert_eq!(status, 422);

    for code in ["QUA1", "QUA2", "QUA3"] {
        add_indicator(&app, id, "QUA", code).await;
    }
    add_indicator(&app, id, "SAT", "SAT1").await;

    // Every construct connected.
    let (_, page) = app.get_html(&format!("{base}?lang=en")).await;
    assert!(
        page.contains("construct SAT is not connected to the model by any path"),
        "{page}"
    );
    // A reflective construct with fewer than 3 indicators is a warning only.
    assert!(
        page.contains(
            "reflective construct SAT has only 1 indicator(s); at least 3 are recommended"
        ),
        "{page}"
    );

    // Duplicate codes refused next to the code field; nothing stored.
    let fields = indicator_fields("SAT", "QUA1", "重复", "Duplicate");
    let (status, page, _) = post(
        &app,
        &format!("/design/questionnaires/{id}/indicators?lang=en"),
        &fields,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("id=\"err-code\"><li class=\"error\">code “QUA1” is used more than once"),
        "{page}"
    );
    assert_eq!(
        newest_model(&app, id).await.indicators().count(),
        4,
        "nothing half-added"
    );

    // Every text present in each language.
    let fields = indicator_fields("SAT", "SAT2", "只有中文", "");
    let (status, page, _) = post(
        &app,
        &format!("/design/questionnaires/{id}/indicators?lang=en"),
        &fields,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("id=\"err-text_en\"><li class=\"error\">the English text is missing"),
        "{page}"
    );
    let (status, page, _) = post(
        &app,
        &format!("{base}/constructs?lang=zh-CN"),
        &[("code", "VAL"), ("name_zh", ""), ("name_en", "Value")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("id=\"err-name_zh\"><li class=\"error\">缺少中文文本"),
        "{page}"
    );

    // Paths form no cycle.
    let (status, _, _) = post(
        &app,
        &format!("{base}/paths"),
        &[("from", "QUA"), ("to", "SAT")],
    )
    .await;
    assert_eq!(status, 303);
    let (status, page, _) = post(
        &app,
        &format!("{base}/paths?lang=en"),
        &[("from", "SAT"), ("to", "QUA")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("id=\"err-path\"><li class=\"error\">the paths form a cycle: "),
        "{page}"
    );
    assert_eq!(newest_model(&app, id).await.paths.len(), 1);

    // Bad weight and partial point labels are refused next to their fields.
    let mut fields = indicator_fields("SAT", "SAT2", "推荐", "Recommend");
    fields.push(("weight", "-1"));
    fields.push(("labels_zh", "一\n二"));
    let (status, page, _) = post(
        &app,
        &format!("/design/questionnaires/{id}/indicators?lang=en"),
        &fields,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("id=\"err-weight\"")
            && page.contains("id=\"err-labels_zh\"")
            && page.contains("id=\"err-labels_en\""),
        "{page}"
    );

    // Editing an indicator: NPS scale with don't-know, reverse-coded, every point labelled.
    let mut fields = indicator_fields(
        "SAT",
        "SAT1",
        "您向朋友推荐的可能性有多大？",
        "How likely are you to recommend us?",
    );
    fields.retain(|(k, _)| *k != "scale");
    let zh_labels = (0..=10)
        .map(|n| format!("{n}分"))
        .collect::<Vec<_>>()
        .join("\n");
    let en_labels = (0..=10)
        .map(|n| format!("{n} points"))
        .collect::<Vec<_>>()
        .join("\n");
    fields.extend([
        ("scale", "nps"),
        ("dont_know", "on"),
        ("reverse", "on"),
        ("weight", "0.5"),
        ("labels_zh", zh_labels.as_str()),
        ("labels_en", en_labels.as_str()),
    ]);
    let (status, body, _) = post(
        &app,
        &format!("/design/questionnaires/{id}/indicators/SAT1"),
        &fields,
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let model = newest_model(&app, id).await;
    let sat1 = model.indicator("SAT1").unwrap();
    assert_eq!(
        (
            sat1.scale.describe().as_str(),
            sat1.dont_know,
            sat1.reverse,
            sat1.expert_weight
        ),
        ("nps-0-10", true, true, Some(0.5))
    );
    assert_eq!(sat1.scale.labels()[10].en.as_deref(), Some("10 points"));

    // A dimension under a construct, and the diagram draws the path.
    let (status, _, _) = post(
        &app,
        &format!("{base}/constructs/QUA/dimensions"),
        &[
            ("code", "product"),
            ("name_zh", "产品"),
            ("name_en", "Product"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, page) = app.get_html(&format!("{base}?lang=en")).await;
    assert_eq!(page.matches("<line class=\"path\"").count(), 1);
    assert!(!page.contains("is not connected"));

    // Publishable with only the warning left.
    let (status, _, _) = post(&app, &format!("{base}/publish"), &[]).await;
    assert_eq!(status, 303);
    let entries = audit::recent(&app.db, 100).await.unwrap();
    for action in ["create questionnaire", "edit model", "publish"] {
        assert!(
            entries
                .iter()
                .any(|e| e.action == action && e.actor == "designer@example.test"),
            "audit has {action}"
        );
    }
    assert!(entries.iter().any(|e| e.detail == "add path QUA -> SAT"));
}

#[tokio::test]
async fn ahp_weights_show_cr_and_an_inconsistent_grid_is_flagged_and_not_saved() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let id = create(&app, "acsi.toml", "ahp").await;
    let url = format!("/design/questionnaires/{id}/weights/ahp?lang=en");
    // Saaty's textbook 3 × 3 example: weights 0.637, 0.258, 0.105; CR 0.033.
    let saaty = [
        ("level", "EXP"),
        ("p_0_1", "3"),
        ("p_0_2", "5"),
        ("p_1_2", "3"),
    ];
    let mut fields = saaty.to_vec();
    fields.push(("action", "compute"));
    let (status, page, _) = post(&app, &url, &fields).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<td class=\"num\">0.6370</td>")
            && page.contains("<td class=\"num\">0.2583</td>")
            && page.contains("<td class=\"num\">0.1047</td>"),
        "{page}"
    );
    assert!(page.contains("CR = 0.0332"), "{page}");
    assert!(!page.contains("id=\"cr-flag\""));

    let inconsistent = [
        ("level", "EXP"),
        ("p_0_1", "9"),
        ("p_0_2", "1/9"),
        ("p_1_2", "9"),
        ("action", "apply"),
    ];
    let (status, page, _) = post(&app, &url, &inconsistent).await;
    assert_eq!(status, 422, "inconsistent weights are not applied");
    assert!(
        page.contains("id=\"cr-flag\"") && page.contains("CR ≥ 0.1"),
        "{page}"
    );
    assert!(
        newest_model(&app, id)
            .await
            .indicator("EXP1")
            .unwrap()
            .expert_weight
            .is_none(),
        "nothing saved"
    );

    let mut fields = saaty.to_vec();
    fields.push(("action", "apply"));
    let (status, _, _) = post(&app, &url, &fields).await;
    assert_eq!(status, 303);
    let model = newest_model(&app, id).await;
    let weight = model.indicator("EXP1").unwrap().expert_weight.unwrap();
    assert!((weight - 0.6370).abs() < 1e-3, "{weight}");

    // Direct entry, with a bad value refused next to its field.
    let (status, page, _) = post(
        &app,
        &format!("/design/questionnaires/{id}/weights?lang=en"),
        &[("w_SAT", "abc")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("id=\"err-w_SAT\""), "{page}");
    let (status, _, _) = post(
        &app,
        &format!("/design/questionnaires/{id}/weights"),
        &[("w_SAT", "0.4"), ("w_LOY", "0.6")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        newest_model(&app, id)
            .await
            .construct("LOY")
            .unwrap()
            .expert_weight,
        Some(0.6)
    );
}

#[tokio::test]
async fn editing_a_published_questionnaire_makes_version_2_and_old_responses_stay_on_version_1() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let id = app
        .publish_template("acsi.toml", "versions", "", false)
        .await;
    let v1 = questionnaires::current_version(&app.db, id)
        .await
        .unwrap()
        .unwrap();
    let ids = models::indicator_ids(&app.db, v1.model_id).await.unwrap();
    let answers: Vec<(i32, Option<i32>)> = ids.values().map(|id| (*id, Some(1))).collect();
    let stored = responses::store_completed(
        &app.db,
        &[responses::CompletedResponse {
            questionnaire_id: id,
            version_id: v1.id,
            distribution_id: None,
            brand_id: None,
            language: "en".into(),
            source: responses::Source::Import,
            comment: String::new(),
            segments: Default::default(),
            completed_at: yardstick::store::now(),
            answers,
        }],
    )
    .await
    .unwrap();
    let v1_model = models::load(&app.db, v1.model_id).await.unwrap();

    // Change SAT1's English text and QUA1's scale, add an indicator, remove a path.
    let base = format!("/design/questionnaires/{id}");
    let mut fields = indicator_fields(
        "SAT",
        "SAT1",
        "总的来说，您对它有多满意？",
        "All in all, how satisfied are you?",
    );
    fields.retain(|(k, _)| *k != "scale");
    fields.push(("scale", "likert10"));
    let (status, body, _) = post(&app, &format!("{base}/indicators/SAT1"), &fields).await;
    assert_eq!(status, 303, "{body}");
    let versions = questionnaires::versions(&app.db, id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        (versions[0].number, versions[0].published),
        (2, false),
        "the edit opened draft version 2"
    );
    let model = newest_model(&app, id).await;
    let qua1 = model.indicator("QUA1").unwrap().clone();
    let mut fields = indicator_fields(
        "QUA",
        "QUA1",
        qua1.text.zh.as_deref().unwrap(),
        qua1.text.en.as_deref().unwrap(),
    );
    fields.retain(|(k, _)| *k != "scale");
    fields.push(("scale", "likert7"));
    assert_eq!(
        post(&app, &format!("{base}/indicators/QUA1"), &fields)
            .await
            .0,
        303
    );
    add_indicator(&app, id, "LOY", "LOY4").await;
    assert_eq!(
        post(
            &app,
            &format!("{base}/paths/remove"),
            &[("from", "COM"), ("to", "LOY")]
        )
        .await
        .0,
        303
    );
    assert_eq!(
        questionnaires::versions(&app.db, id).await.unwrap().len(),
        2,
        "further edits stay in the same draft"
    );

    // Version 1 and its response are untouched.
    assert_eq!(models::load(&app.db, v1.model_id).await.unwrap(), v1_model);
    let records = responses::completed_with_answers(&app.db, id)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    let row = yardstick::store::entities::responses::Entity::find_by_id(stored[0])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.version_id, v1.id,
        "the old response still points at version 1"
    );
    assert_eq!(
        questionnaires::current_version(&app.db, id)
            .await
            .unwrap()
            .unwrap()
            .number,
        1,
        "version 1 answers new responses until version 2 is published"
    );

    // The diff lists each change and flags the breaking ones.
    let (status, diff) = app
        .get_html(&format!("{base}/diff?from=1&to=2&lang=en"))
        .await;
    assert_eq!(status, 200);
    assert!(
        diff.contains("<code>SAT1</code>") && diff.contains("English question text changed"),
        "{diff}"
    );
    assert!(
        diff.contains("scale changed: likert-10 → likert-7"),
        "{diff}"
    );
    assert!(
        diff.contains("<code>LOY4</code>") && diff.contains("added"),
        "{diff}"
    );
    assert!(
        diff.contains("<code>COM -&gt; LOY</code>") && diff.contains("removed"),
        "{diff}"
    );
    assert_eq!(
        diff.matches("<tr class=\"changed breaking\">").count(),
        2,
        "{diff}"
    );

    assert_eq!(post(&app, &format!("{base}/publish"), &[]).await.0, 303);
    let current = questionnaires::current_version(&app.db, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(current.number, 2);
    assert_ne!(current.model_id, v1.model_id);
    let (status, _) = app.get_html(&format!("{base}/export?version=1")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn export_then_import_round_trips_and_a_bad_file_changes_nothing() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let source = create(&app, "service-servqual.toml", "servqual").await;
    let response = app
        .get(&format!("/design/questionnaires/{source}/export"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("servqual-v1.toml")
    );
    let exported = response.text().await.unwrap();
    assert_eq!(
        parse_model("export.toml", &exported).unwrap(),
        catalog::load("service-servqual.toml").unwrap().unwrap()
    );

    let target = create(&app, "blank", "imported").await;
    let (status, body, _) = post(
        &app,
        &format!("/design/questionnaires/{target}/import"),
        &[("model_file", exported.as_str())],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        newest_model(&app, target).await,
        newest_model(&app, source).await,
        "import equals the export's source"
    );
    let again = app
        .get(&format!("/design/questionnaires/{target}/export"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(again, exported, "export → import → export is lossless");

    let broken = exported
        .replacen("points = 7", "points = 6", 1)
        .replace("\"EXP -> QUA\"", "\"EXP -> XYZ\"");
    let (status, page, _) = post(
        &app,
        &format!("/design/questionnaires/{target}/import?lang=en"),
        &[("model_file", broken.as_str())],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("a Likert scale has 5, 7 or 10 points, not 6"),
        "{page}"
    );
    assert!(
        page.contains("the path refers to an unknown construct XYZ"),
        "every problem is listed: {page}"
    );
    assert_eq!(
        app.get(&format!("/design/questionnaires/{target}/export"))
            .await
            .text()
            .await
            .unwrap(),
        exported,
        "nothing half-imported"
    );
}

#[tokio::test]
async fn settings_preview_and_roles() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let id = create(&app, "retail-dairy.toml", "dairy").await;
    let base = format!("/design/questionnaires/{id}");
    let (status, body, _) = post(
        &app,
        &format!("{base}/settings"),
        &[
            ("title_zh", "乳品调查"),
            ("title_en", "Dairy survey"),
            ("own_brand", "Milky"),
            ("competitors", "Cowco\nDairyland"),
            ("screening", "on"),
            ("attributes", "region"),
            ("attributes", "customer_class"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let brands = yardstick::store::brands::of_questionnaire(&app.db, id)
        .await
        .unwrap();
    assert_eq!(
        brands
            .iter()
            .map(|b| (b.name.en.clone().unwrap(), b.is_own))
            .collect::<Vec<_>>(),
        vec![
            ("Milky".into(), true),
            ("Cowco".into(), false),
            ("Dairyland".into(), false)
        ]
    );
    use yardstick::domain::attribute::RespondentAttribute::{CustomerClass, Region};
    assert_eq!(
        yardstick::store::questionnaire_settings::attributes(&app.db, id)
            .await
            .unwrap(),
        vec![Region, CustomerClass]
    );

    let (status, page) = app.get_html(&format!("{base}/preview?lang=en")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<iframe class=\"phone-screen\""));
    let phone = app.get(&format!("{base}/preview/phone?lang=en")).await;
    assert_eq!(phone.headers()["x-frame-options"], "SAMEORIGIN");
    let phone = phone.text().await.unwrap();
    let model = catalog::load("retail-dairy.toml").unwrap().unwrap();
    for (_, indicator) in model.indicators() {
        assert!(
            phone.contains(&format!("name=\"q_{}\"", indicator.code)),
            "{}",
            indicator.code
        );
    }
    assert!(
        phone.contains("Cowco") && phone.contains("Region") && !phone.contains("Purchase channel"),
        "{phone}"
    );

    let viewer = app.another_browser();
    viewer.sign_in_as(Role::Viewer).await;
    assert_eq!(
        viewer
            .get(&format!("{base}/weights"))
            .await
            .status()
            .as_u16(),
        403
    );
    let (status, _, _) = post(&viewer, &format!("{base}/constructs"), &[("code", "X")]).await;
    assert_eq!(status, 403);
}
