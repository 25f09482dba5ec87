//! The OpenAPI document: it validates, and every documented operation is called and answers as documented.

use crate::helpers::spawn_app;
use yardstick::domain::Role;
use yardstick::store;

/// Runs `openapi-spec-validator` (tests/run.sh installs it in a venv and names it in
/// `YARDSTICK_OPENAPI_VALIDATOR`; otherwise one on the PATH is used).
fn validate(document: &str) {
    let validator = std::env::var("YARDSTICK_OPENAPI_VALIDATOR")
        .unwrap_or_else(|_| "openapi-spec-validator".into());
    let file = std::env::temp_dir().join(format!(
        "yardstick-openapi-{}.json",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&file, document).unwrap();
    let output = std::process::Command::new(&validator).arg(&file).output();
    let _ = std::fs::remove_file(&file);
    match output {
        Ok(output) => assert!(
            output.status.success(),
            "openapi-spec-validator refused the document:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(e)
            if std::env::var("CI").is_ok()
                || std::env::var("YARDSTICK_OPENAPI_VALIDATOR").is_ok() =>
        {
            panic!("cannot run {validator}: {e}")
        }
        Err(e) => eprintln!(
            "note: {validator} not found ({e}); run tests/run.sh to validate the OpenAPI document"
        ),
    }
}

#[tokio::test]
async fn the_openapi_document_validates_and_every_operation_answers_as_documented() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Admin).await;
    let questionnaire = app
        .publish_template("acsi.toml", "api", "Rival", false)
        .await;
    let admin = store::users::all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == Role::Admin)
        .unwrap();
    let (token, _) = store::api_tokens::create(&app.db, admin.id, "t", "openapitest")
        .await
        .unwrap();
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.unwrap();
    validate(&text);
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    // A complete response for the submit operation, built from the questionnaire's own model.
    let detail: serde_json::Value = app
        .client
        .get(app.url(&format!("/api/v1/questionnaires/{questionnaire}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut answers = serde_json::Map::new();
    for construct in detail["model"]["constructs"].as_array().unwrap() {
        for indicator in construct["indicators"].as_array().unwrap() {
            answers.insert(
                indicator["code"].as_str().unwrap().to_owned(),
                indicator["scale_min"].clone(),
            );
        }
    }
    // Submitting first gives the read operations a response to read.
    let bodies = [
        (
            "post /api/v1/questionnaires/{id}/responses",
            serde_json::json!({ "answers": answers, "language": "en", "comment": "good" }),
        ),
        (
            "post /api/v1/contacts",
            serde_json::json!({ "email": "li.lei@example.test", "name": "李雷", "customer_class": "A" }),
        ),
    ];
    let mut operations: Vec<(String, String)> = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push((method.clone(), path.clone()));
        }
    }
    operations.sort_by_key(|(method, _)| if method == "post" { 0 } else { 1 });
    assert_eq!(
        operations.len(),
        9,
        "every operation of the API is documented: {operations:?}"
    );
    let first_response = |app: &crate::helpers::TestApp| {
        let db = app.db.clone();
        async move {
            use sea_orm::EntityTrait;
            store::entities::responses::Entity::find()
                .all(&db)
                .await
                .unwrap()
                .first()
                .map(|r| r.id)
                .unwrap_or(0)
        }
    };
    for (method, path) in &operations {
        let id = if path.starts_with("/api/v1/responses/") {
            first_response(&app).await
        } else {
            questionnaire
        };
        let concrete = path.replace("{id}", &id.to_string());
        let request = match method.as_str() {
            "get" => app.client.get(app.url(&concrete)),
            "post" => {
                let body = bodies
                    .iter()
                    .find(|(key, _)| *key == format!("{method} {path}"))
                    .unwrap_or_else(|| panic!("no body for {method} {path}"))
                    .1
                    .clone();
                app.client.post(app.url(&concrete)).json(&body)
            }
            other => panic!("no call for {other}"),
        };
        let response = request.bearer_auth(&token).send().await.unwrap();
        let status = response.status().as_u16();
        let documented = &document["paths"][path][method]["responses"];
        assert!(
            documented.get(status.to_string()).is_some(),
            "{method} {path} answered {status}, which is not documented"
        );
        assert!(
            (200..300).contains(&status),
            "{method} {path} answered {status}: {}",
            response.text().await.unwrap()
        );
        let body: serde_json::Value = response.json().await.unwrap();
        if concrete.ends_with("/responses") && method == "get" {
            assert_eq!(body["responses"][0]["comment"], "good");
            assert_eq!(
                body["responses"][0]["answers"].as_object().unwrap().len(),
                answers.len()
            );
        }
        if concrete.ends_with("/results") {
            assert_eq!(body["rows"][0]["n"], 1);
        }
    }
}
