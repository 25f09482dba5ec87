//! `spawn_app()`: a Yardstick on a random port with its own fresh database, and request helpers.

use sea_orm::{ConnectionTrait, DatabaseConnection};
use yardstick::config::Settings;
use yardstick::domain::Role;
use yardstick::startup::Application;
use yardstick::store;

/// Which database the tests run on: `sqlite` (default) or `postgres`.
pub fn backend() -> String {
    std::env::var("YARDSTICK_TEST_DATABASE").unwrap_or_else(|_| "sqlite".into())
}

fn postgres_server() -> String {
    std::env::var("YARDSTICK_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A fresh, empty database URL: a new SQLite file, or a new PostgreSQL database.
pub async fn fresh_database_url() -> String {
    // The run id (set by tests/run.sh) lets the script drop this run's databases afterwards.
    let run = std::env::var("YARDSTICK_TEST_RUN").unwrap_or_else(|_| "local".into());
    let name = format!("ys_test_{run}_{}", uuid::Uuid::new_v4().simple());
    match backend().as_str() {
        "postgres" => {
            let admin = store::connect(&format!("{}/postgres", postgres_server()))
                .await
                .unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL is required at {} for YARDSTICK_TEST_DATABASE=postgres: {e}",
                        postgres_server()
                    )
                });
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create a test database");
            format!("{}/{name}", postgres_server())
        }
        "sqlite" => {
            let dir = std::env::temp_dir().join("yardstick-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{name}.db")).display()
            )
        }
        other => panic!("YARDSTICK_TEST_DATABASE must be sqlite or postgres, not {other}"),
    }
}

pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    /// The running app's state; a test that changes the database behind the app's back
    /// empties its survey cache through it.
    pub state: actix_web::web::Data<yardstick::web::AppState>,
    pub client: reqwest::Client,
}

/// Starts the app on a random port with a fresh, migrated database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Like [`spawn_app`], with extra settings, e.g. `("YARDSTICK_SESSION_MINUTES", "1")`.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let url = fresh_database_url().await;
    let mut environment = vec![
        ("YARDSTICK_DATABASE_URL".to_string(), url),
        ("YARDSTICK_PORT".to_string(), "0".to_string()),
        ("YARDSTICK_HOST".to_string(), "127.0.0.1".to_string()),
        // Every test signs in from 127.0.0.1; only the throttling test lowers this.
        (
            "YARDSTICK_LOGIN_ATTEMPTS_PER_MINUTE".to_string(),
            "10000".to_string(),
        ),
    ];
    environment.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let settings = Settings::load_from(None, environment).expect("test settings");
    TestApp::run(Application::build(settings).await.expect("the app starts"))
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The value of the hidden `csrf` field in a page.
pub fn csrf_of(html: &str) -> String {
    let start = html
        .find("name=\"csrf\" value=\"")
        .expect("page has a csrf field")
        + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().unwrap().to_owned()
}

impl TestApp {
    /// Runs a built app in the background and returns a browser for it.
    pub fn run(app: Application) -> TestApp {
        let address = format!("http://127.0.0.1:{}", app.port());
        let db = app.db.clone();
        let state = app.state.clone();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            address,
            db,
            state,
            client: client(),
        }
    }

    /// A second browser on the same app, with its own cookies.
    pub fn another_browser(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            db: self.db.clone(),
            state: self.state.clone(),
            client: client(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_html(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// The session's CSRF token (read from the login page).
    pub async fn csrf(&self) -> String {
        csrf_of(&self.get_html("/login").await.1)
    }

    /// Posts a form, adding this session's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut body: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        body.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&body)
            .send()
            .await
            .expect("POST")
    }

    /// Creates a user with `role` and signs this client in as them.
    pub async fn sign_in_as(&self, role: Role) -> String {
        let email = format!("{}@example.test", role.as_str());
        store::users::upsert(
            &self.db,
            &email,
            role.as_str(),
            "correct horse battery",
            role,
        )
        .await
        .expect("user");
        let response = self
            .post_form(
                "/login",
                &[
                    ("email", &email),
                    ("password", "correct horse battery"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "login as {role} works");
        email
    }

    /// Creates and publishes a questionnaire from a shipped template; returns its id.
    pub async fn publish_template(
        &self,
        template: &str,
        slug: &str,
        competitors: &str,
        screening: bool,
    ) -> i32 {
        let mut fields = vec![
            ("template", template),
            ("slug", slug),
            ("title_zh", "满意度调查"),
            ("title_en", "Satisfaction survey"),
            ("own_brand", "Our Brand"),
            ("competitors", competitors),
        ];
        if screening {
            fields.push(("screening", "on"));
        }
        let response = self.post_form("/design/questionnaires", &fields).await;
        assert_eq!(response.status().as_u16(), 303, "questionnaire created");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let id: i32 = location.rsplit('/').next().unwrap().parse().unwrap();
        let response = self
            .post_form(&format!("/design/questionnaires/{id}/publish"), &[])
            .await;
        assert_eq!(response.status().as_u16(), 303, "questionnaire published");
        id
    }

    /// Stores completed web responses to the questionnaire's current version, one per entry of
    /// `segments`, every item answered `value`; returns their ids.
    pub async fn store_responses(
        &self,
        questionnaire: i32,
        value: i32,
        segments: Vec<store::responses::Segments>,
    ) -> Vec<i32> {
        let version = store::questionnaires::current_version(&self.db, questionnaire)
            .await
            .unwrap()
            .expect("a version");
        let ids = store::models::indicator_ids(&self.db, version.model_id)
            .await
            .unwrap();
        let batch: Vec<_> = segments
            .into_iter()
            .map(|segments| store::responses::CompletedResponse {
                questionnaire_id: questionnaire,
                version_id: version.id,
                distribution_id: None,
                brand_id: None,
                language: "en".into(),
                source: store::responses::Source::Web,
                comment: String::new(),
                segments,
                completed_at: store::now(),
                answers: ids.values().map(|id| (*id, Some(value))).collect(),
            })
            .collect();
        store::responses::store_completed(&self.db, &batch)
            .await
            .unwrap()
    }
}
