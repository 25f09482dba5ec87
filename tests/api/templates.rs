//! Survey templates: each shipped file loads and publishes; each kind of bad file is refused by name.

use crate::helpers::spawn_app;
use yardstick::catalog;
use yardstick::domain::{Role, parse_model, to_model_file};

const ACSI: &str = include_str!("../../survey-templates/acsi.toml");

fn problems_of(file: &str, source: &str) -> Vec<String> {
    parse_model(file, source)
        .expect_err("the file must be refused")
        .0
        .iter()
        .map(|p| p.to_string())
        .collect()
}

fn assert_problem(problems: &[String], expected: &str) {
    assert!(
        problems.iter().any(|p| p.contains(expected)),
        "expected “{expected}” among {problems:#?}"
    );
}

#[test]
fn every_shipped_template_loads_and_round_trips() {
    assert_eq!(
        catalog::all().len(),
        catalog::TEMPLATES.len(),
        "every template loads"
    );
    for (file, source) in catalog::TEMPLATES {
        let model = parse_model(file, source).unwrap_or_else(|e| panic!("{e}"));
        assert!(model.errors().is_empty(), "{file}");
        let again = parse_model(file, &to_model_file(&model)).unwrap();
        assert_eq!(model, again, "{file} survives export and import");
    }
}

#[test]
fn unknown_construct_in_a_path_is_named() {
    let source = ACSI.replace("\"COM -> LOY\",", "\"COM -> LOY\",\n  \"EXP -> XYZ\",");
    assert_problem(
        &problems_of("broken.toml", &source),
        "broken.toml: paths.EXP -> XYZ: the path refers to an unknown construct XYZ",
    );
}

#[test]
fn a_cycle_is_named() {
    let source = ACSI.replace("\"COM -> LOY\",", "\"COM -> LOY\",\n  \"LOY -> EXP\",");
    let problems = problems_of("cycle.toml", &source);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("cycle.toml: paths."),
        "{problems:#?}"
    );
    assert!(
        problems[0].contains("the paths form a cycle: ") && problems[0].contains("LOY → EXP"),
        "{problems:#?}"
    );
}

#[test]
fn a_construct_without_indicators_is_named() {
    let source = format!(
        "{ACSI}\n[[constructs]]\ncode = \"IMG\"\nname = {{ zh = \"形象\", en = \"Image\" }}\n"
    );
    let source = source.replace("\"COM -> LOY\",", "\"COM -> LOY\",\n  \"IMG -> SAT\",");
    assert_problem(
        &problems_of("empty.toml", &source),
        "empty.toml: constructs.IMG: construct IMG has no indicators",
    );
}

#[test]
fn a_duplicate_code_is_named() {
    let source = ACSI.replacen("code = \"QUA2\"", "code = \"QUA1\"", 1);
    assert_problem(
        &problems_of("dup.toml", &source),
        "dup.toml: constructs.QUA.indicators.QUA1: code “QUA1” is used more than once",
    );
}

#[test]
fn a_missing_translation_unknown_key_and_bad_scale_are_named() {
    let source = ACSI.replacen(
        "text = { zh = \"总的来说，您对它有多满意？\", en = \"Overall, how satisfied are you with it?\" }",
        "text = { zh = \"总的来说，您对它有多满意？\" }",
        1,
    );
    assert_problem(
        &problems_of("lang.toml", &source),
        "lang.toml: constructs.SAT.indicators.SAT1.text: the English text is missing",
    );
    let source = ACSI.replacen("points = 10", "points = 6", 1);
    let problems = problems_of("scale.toml", &source);
    assert_problem(
        &problems,
        "scale.toml: scales.quality10: a Likert scale has 5, 7 or 10 points, not 6",
    );
    assert!(
        !problems.iter().any(|p| p.contains("no indicators")),
        "a broken scale is reported once: {problems:#?}"
    );
    let source = ACSI.replacen(
        "mode = \"reflective\"",
        "mode = \"reflective\"\ncolour = \"red\"",
        1,
    );
    let problems = problems_of("typo.toml", &source);
    assert_problem(&problems, "typo.toml: line 52: unknown field `colour`");
}

#[tokio::test]
async fn every_shipped_template_publishes_and_can_be_answered() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    for (index, (file, _)) in catalog::TEMPLATES.iter().enumerate() {
        let slug = format!("tpl-{index}");
        let id = app.publish_template(file, &slug, "Rival", true).await;
        let model = catalog::load(file).unwrap().unwrap();
        // The lowest point of every scale is a valid answer; the respondent picks the competitor.
        let rival = yardstick::store::brands::of_questionnaire(&app.db, id)
            .await
            .unwrap()
            .into_iter()
            .find(|b| !b.is_own)
            .unwrap();
        let mut answers: Vec<(String, String)> = model
            .indicators()
            .map(|(_, indicator)| {
                (
                    format!("q_{}", indicator.code),
                    indicator.scale.min().to_string(),
                )
            })
            .collect();
        answers.push(("brand".into(), rival.code.clone()));
        let walk = crate::survey::answer_survey(
            &app,
            &crate::helpers::client(),
            &format!("/s/{slug}?lang=en"),
            &answers,
        )
        .await;
        assert_eq!(
            walk.status, 303,
            "{file} can be answered to the end: {}",
            walk.body
        );
        let asked = walk.pages.concat();
        for (_, indicator) in model.indicators() {
            assert!(
                asked.contains(&format!("name=\"q_{}\"", indicator.code)),
                "{file} asks {}",
                indicator.code
            );
        }
        let records = yardstick::store::responses::completed_with_answers(&app.db, id)
            .await
            .unwrap();
        assert_eq!(records.len(), 1, "{file}: the response is stored");
        assert_eq!(records[0].brand_id, Some(rival.id));
    }
}
