//! Email collection end to end against a real SMTP server on 127.0.0.1 (mailin-embedded, in-process):
//! contact import with a dry run, a campaign in each contact's language, reminders, unsubscribe,
//! an SMTP outage, and a SIGKILLed app restarted mid-send.

use crate::helpers::{TestApp, client, csrf_of, fresh_database_url};
use sea_orm::{ConnectionTrait, EntityTrait};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use yardstick::config::Settings;
use yardstick::domain::Role;
use yardstick::domain::token::token_hash;
use yardstick::startup::Application;
use yardstick::store::entities::{invitations, outbox};

/// A received email, decoded.
#[derive(Debug, Clone)]
struct Received {
    to: String,
    message_id: String,
    subject: String,
    text: String,
    list_unsubscribe: String,
}

#[derive(Clone)]
struct Collector {
    inbox: Arc<Mutex<Vec<Vec<u8>>>>,
    current: Vec<u8>,
}

impl mailin_embedded::Handler for Collector {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> mailin_embedded::Response {
        self.current.clear();
        mailin_embedded::response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> mailin_embedded::Response {
        self.inbox
            .lock()
            .unwrap()
            .push(std::mem::take(&mut self.current));
        mailin_embedded::response::OK
    }
}

/// A real SMTP server on 127.0.0.1 that keeps what it receives.
struct SmtpServer {
    inbox: Arc<Mutex<Vec<Vec<u8>>>>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpServer {
    fn start(port: u16) -> SmtpServer {
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("SMTP port free");
        let mut server = mailin_embedded::Server::new(Collector {
            inbox: inbox.clone(),
            current: Vec::new(),
        });
        server
            .with_name("test-smtp")
            .with_num_threads(8)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpServer { inbox }
    }

    fn received(&self) -> Vec<Received> {
        self.inbox
            .lock()
            .unwrap()
            .iter()
            .map(|raw| parse(raw))
            .collect()
    }

    fn count(&self) -> usize {
        self.inbox.lock().unwrap().len()
    }

    async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let start = Instant::now();
        while self.count() < n && start.elapsed() < within {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.received()
    }
}

fn parse(raw: &[u8]) -> Received {
    let message = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a parsable email");
    Received {
        to: message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned(),
        message_id: message.message_id().unwrap_or_default().to_owned(),
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        list_unsubscribe: message
            .header_raw("List-Unsubscribe")
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// The personal token in a received email's survey link.
fn token_in(text: &str) -> String {
    let start = text.find("/i/").expect("the email has a survey link") + 3;
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

fn mail_env(database_url: &str, smtp_port: u16, lease_ms: u64) -> Vec<(String, String)> {
    [
        ("YARDSTICK_DATABASE_URL", database_url.to_owned()),
        ("YARDSTICK_PORT", "0".into()),
        ("YARDSTICK_HOST", "127.0.0.1".into()),
        ("YARDSTICK_SMTP_HOST", "127.0.0.1".into()),
        ("YARDSTICK_SMTP_PORT", smtp_port.to_string()),
        (
            "YARDSTICK_MAIL_FROM",
            "Survey <survey@yardstick.test>".into(),
        ),
        ("YARDSTICK_MAIL_POLL_MS", "50".into()),
        ("YARDSTICK_MAIL_RETRY_BASE_MS", "100".into()),
        ("YARDSTICK_MAIL_RETRY_CAP_MS", "400".into()),
        ("YARDSTICK_MAIL_MAX_ATTEMPTS", "1000".into()),
        ("YARDSTICK_MAIL_LEASE_MS", lease_ms.to_string()),
        ("YARDSTICK_MAIL_BATCH", "8".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

async fn spawn_mail_app(database_url: &str, smtp_port: u16) -> TestApp {
    spawn_mail_app_with(database_url, smtp_port, true).await
}

/// The app on a random port; without `worker` its mail worker is stopped (another process sends).
async fn spawn_mail_app_with(database_url: &str, smtp_port: u16, worker: bool) -> TestApp {
    let settings =
        Settings::load_from(None, mail_env(database_url, smtp_port, 5_000)).expect("settings");
    let app = Application::build(settings).await.expect("the app starts");
    if !worker {
        app.mail_worker.abort();
    }
    TestApp::run(app)
}

/// A contact list of `n` good rows (every third in English, classes A/B/C) plus three planted bad rows.
fn contact_csv(n: usize, planted: bool) -> String {
    let mut csv =
        String::from("email,name,language,customer_class,region,lifecycle_stage,attr:segment\n");
    for i in 0..n {
        let lang = if i % 3 == 0 { "en" } else { "zh-CN" };
        let class = ["A", "B", "C"][i % 3];
        csv.push_str(&format!(
            "c{i}@example.com,Person {i},{lang},{class},R{},existing,s{}\n",
            i % 4,
            i % 2
        ));
        if planted && i == 10 {
            csv.push_str("not-an-email,Bad One,en,A,R1,new,s0\n");
        }
        if planted && i == 50 {
            csv.push_str("bad-class@example.com,Bad Two,en,Z,R1,new,s0\n");
        }
        if planted && i == 90 {
            csv.push_str("C5@example.com,Duplicate,en,A,R1,new,s0\n");
        }
    }
    csv
}

async fn upload(app: &TestApp, csv: &str, action: &str) -> (u16, String) {
    let token = app.csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", token)
        .text("action", action.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
                .file_name("contacts.csv")
                .mime_str("text/csv")
                .unwrap(),
        );
    let response = app
        .client
        .post(app.url("/contacts/import?lang=en"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Schedules a campaign to every subscribed contact now; returns its id.
async fn schedule_campaign(app: &TestApp, reminders: &str) -> i32 {
    let (_, page) = app.get_html("/campaigns/new?lang=en").await;
    let target = page
        .split("name=\"target\"")
        .nth(1)
        .and_then(|s| s.split("<option value=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .filter(|v| v.contains('-'))
        .unwrap_or_else(|| panic!("a published questionnaire to choose: {page}"))
        .to_owned();
    let fields = [
        ("name", "Q4 panel"),
        ("target", target.as_str()),
        ("expiry_days", "14"),
        ("reminder_days", reminders),
        ("max_reminders", "2"),
    ];
    let mut preview = fields.to_vec();
    preview.push(("action", "preview"));
    let response = app.post_form("/campaigns?lang=en", &preview).await;
    assert_eq!(response.status().as_u16(), 200);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("Email preview")
            && body.contains("would like your opinion")
            && body.contains("邀请您参加满意度调查"),
        "preview in both languages"
    );
    let mut schedule = fields.to_vec();
    schedule.push(("action", "schedule"));
    let response = app.post_form("/campaigns?lang=en", &schedule).await;
    assert_eq!(response.status().as_u16(), 303, "campaign scheduled");
    response.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn by_recipient(mails: &[Received]) -> HashMap<String, Vec<Received>> {
    let mut map: HashMap<String, Vec<Received>> = HashMap::new();
    for m in mails {
        map.entry(m.to.clone()).or_default().push(m.clone());
    }
    map
}

async fn release_reminders_now(app: &TestApp) {
    app.db
        .execute_unprepared("UPDATE outbox SET next_attempt_at = created_at WHERE kind = 'reminder' AND status = 'held'")
        .await
        .unwrap();
}

#[tokio::test]
async fn import_campaign_reminders_and_unsubscribe() {
    let smtp_port = free_port();
    let smtp = SmtpServer::start(smtp_port);
    let app = spawn_mail_app(&fresh_database_url().await, smtp_port).await;
    app.sign_in_as(Role::Designer).await;
    app.publish_template("acsi.toml", "panel", "", false).await;

    // Dry run: exactly the three planted rows are reported, nothing is stored.
    let csv = contact_csv(200, true);
    let (status, page) = upload(&app, &csv, "check").await;
    assert_eq!(status, 200);
    let bad: Vec<&str> = page
        .split("<ul class=\"problems\" id=\"bad-rows\">")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap()
        .split("<li>")
        .skip(1)
        .collect();
    assert_eq!(bad.len(), 3, "{bad:?}");
    assert!(
        bad[0].contains("Line 13") && bad[0].contains("not-an-email"),
        "{}",
        bad[0]
    );
    assert!(
        bad[1].contains("customer_class") && bad[1].contains("Z"),
        "{}",
        bad[1]
    );
    assert!(
        bad[2].contains("c5@example.com") && bad[2].contains("line 7"),
        "{}",
        bad[2]
    );
    assert_eq!(
        yardstick::store::contacts::count(&app.db).await.unwrap(),
        0,
        "a dry run stores nothing"
    );
    // Importing a file with bad rows is refused unless they are skipped.
    let (status, _) = upload(&app, &csv, "import").await;
    assert_eq!(status, 422);
    assert_eq!(yardstick::store::contacts::count(&app.db).await.unwrap(), 0);
    let content = page
        .split("name=\"content\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let response = app
        .client
        .post(app.url("/contacts/import?lang=en"))
        .multipart(
            reqwest::multipart::Form::new()
                .text("csrf", csrf_of(&page))
                .text("action", "import")
                .text("file_name", "contacts.csv")
                .text("content", content)
                .text("skip_bad", "on"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.text().await.unwrap().contains("200 new"));
    assert_eq!(
        yardstick::store::contacts::count(&app.db).await.unwrap(),
        200
    );

    // One contact unsubscribed before the campaign gets nothing at all.
    let opted_out = yardstick::store::contacts::by_email(&app.db, "c7@example.com")
        .await
        .unwrap()
        .unwrap();
    yardstick::store::contacts::unsubscribe(&app.db, opted_out.id)
        .await
        .unwrap();

    let campaign = schedule_campaign(&app, "3").await;
    let mails = smtp.wait_for(199, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails = if mails.len() < smtp.count() {
        smtp.received()
    } else {
        mails
    };
    assert_eq!(
        mails.len(),
        199,
        "every subscribed contact gets exactly one invitation"
    );
    let per = by_recipient(&mails);
    assert_eq!(per.len(), 199);
    assert!(
        !per.contains_key("c7@example.com"),
        "the unsubscribed contact gets nothing"
    );
    for i in 0..200 {
        if i == 7 {
            continue;
        }
        let mail = &per[&format!("c{i}@example.com")][0];
        if i % 3 == 0 {
            assert!(
                mail.subject.contains("would like your opinion"),
                "English for c{i}: {}",
                mail.subject
            );
        } else {
            assert!(
                mail.subject.contains("邀请您参加"),
                "Chinese for c{i}: {}",
                mail.subject
            );
        }
        assert!(
            mail.list_unsubscribe.contains("/unsubscribe/"),
            "List-Unsubscribe header: {}",
            mail.list_unsubscribe
        );
        assert!(!mail.message_id.is_empty());
    }

    // The link's token is stored only as its hash, and the link opens the survey.
    let first = &per["c0@example.com"][0];
    let token = token_in(&first.text);
    assert!(token.len() >= 22, "at least 128 bits");
    let stored = invitations::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 199);
    assert!(stored.iter().any(|i| i.token_hash == token_hash(&token)));
    assert!(
        stored
            .iter()
            .all(|i| i.token_hash != token && i.sent_at.is_some())
    );
    let respondent = client();
    let opened = respondent
        .get(app.url(&format!("/i/{token}")))
        .send()
        .await
        .unwrap();
    assert!(
        opened.status().is_success() || opened.status().is_redirection(),
        "the personal link opens: {}",
        opened.status()
    );

    // Contact 0 follows the link in the email and answers the survey page by page.
    let walk = crate::survey::answer_survey(
        &app,
        &respondent,
        &format!("/i/{token}"),
        &crate::survey::valid_answers(),
    )
    .await;
    assert_eq!(
        walk.status, 303,
        "the invited contact completes the survey: {}",
        walk.body
    );
    let answered = yardstick::store::entities::responses::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(answered.len(), 1);
    let invitation_of_c0 = stored
        .iter()
        .find(|i| i.token_hash == token_hash(&token))
        .unwrap();
    assert_eq!(
        answered[0].invitation_id,
        Some(invitation_of_c0.id),
        "the response belongs to the invitation"
    );
    assert_eq!(answered[0].status, "complete");
    let again = crate::survey::answer_survey(
        &app,
        &client(),
        &format!("/i/{token}"),
        &crate::survey::valid_answers(),
    )
    .await;
    assert_ne!(again.status, 303, "one response per invitation");

    // Contacts 1..10 but 7 (never invited) answer too (recorded directly as completed responses to their
    // invitations, to keep the test fast); contact 11 unsubscribes by the link in the email.
    let version_id: i32 = outbox_version(&app, campaign).await;
    for i in (1..10).filter(|i| *i != 7) {
        let mail = &per[&format!("c{i}@example.com")][0];
        let invitation = stored
            .iter()
            .find(|s| s.token_hash == token_hash(&token_in(&mail.text)))
            .unwrap();
        record_completed(&app, campaign, version_id, invitation.id).await;
    }
    let c11 = &per["c11@example.com"][0];
    let unsubscribe_url = c11.list_unsubscribe.trim_matches(['<', '>']).to_owned();
    let page = respondent
        .get(&unsubscribe_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = respondent
        .post(&unsubscribe_url)
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    // Days pass: the reminder goes only to those who neither answered nor unsubscribed.
    release_reminders_now(&app).await;
    let mails = smtp.wait_for(199 + 189, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails = if mails.len() < smtp.count() {
        smtp.received()
    } else {
        mails
    };
    assert_eq!(mails.len(), 199 + 189);
    let reminded: Vec<&Received> = mails
        .iter()
        .filter(|m| m.subject.starts_with("Reminder") || m.subject.starts_with("提醒"))
        .collect();
    assert_eq!(reminded.len(), 189);
    for i in (0..10).chain([7, 11]) {
        assert!(
            !reminded.iter().any(|m| m.to == format!("c{i}@example.com")),
            "no reminder to c{i}"
        );
    }
    let (status, dashboard) = app
        .get_html(&format!("/campaigns/{campaign}?lang=en"))
        .await;
    assert_eq!(status, 200);
    let funnel = dashboard.split("<table id=\"funnel\">").nth(1).unwrap();
    let numbers: Vec<&str> = funnel
        .split("<td class=\"num\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert_eq!(
        &numbers[..7],
        &["199", "199", "0", "9", "9", "189", "1"],
        "invited, sent, failed, started, completed, reminded, unsubscribed"
    );
}

async fn outbox_version(app: &TestApp, campaign: i32) -> i32 {
    yardstick::store::campaigns::by_id(&app.db, campaign)
        .await
        .unwrap()
        .unwrap()
        .version_id
        .unwrap()
}

async fn record_completed(app: &TestApp, campaign: i32, version_id: i32, invitation_id: i32) {
    let questionnaire_id = yardstick::store::campaigns::by_id(&app.db, campaign)
        .await
        .unwrap()
        .unwrap()
        .questionnaire_id;
    let backend = app.db.get_database_backend();
    let (a, b, c, d) = if backend == sea_orm::DatabaseBackend::Postgres {
        ("$1", "$2", "$3", "$4")
    } else {
        ("?", "?", "?", "?")
    };
    let sql = format!(
        "INSERT INTO responses (questionnaire_id, version_id, distribution_id, invitation_id, status, source, language, comment, started_at, completed_at) \
         VALUES ({a}, {b}, {c}, {d}, 'complete', 'web', 'en', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    );
    app.db
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [
                questionnaire_id.into(),
                version_id.into(),
                campaign.into(),
                invitation_id.into(),
            ],
        ))
        .await
        .unwrap();
}

async fn import_direct(app: &TestApp, n: usize) {
    let plan = yardstick::domain::contact_import::parse(
        contact_csv(n, false).as_bytes(),
        yardstick::domain::contact_import::Format::Csv,
        &HashMap::new(),
    )
    .unwrap();
    assert_eq!(plan.contacts.len(), n);
    yardstick::store::contacts::import(&app.db, &plan.contacts)
        .await
        .unwrap();
}

fn assert_exactly_once(mails: &[Received], n: usize) {
    let per = by_recipient(mails);
    assert_eq!(per.len(), n, "every contact got an email");
    let doubled: Vec<_> = per
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(k, _)| k)
        .collect();
    assert!(doubled.is_empty(), "sent twice: {doubled:?}");
}

#[tokio::test]
async fn smtp_outage_loses_nothing_and_sends_nothing_twice() {
    let smtp_port = free_port();
    let app = spawn_mail_app(&fresh_database_url().await, smtp_port).await;
    app.sign_in_as(Role::Designer).await;
    app.publish_template("acsi.toml", "outage", "", false).await;
    import_direct(&app, 500).await;
    schedule_campaign(&app, "").await;

    // The server is down: every invitation is queued, attempts fail and are retried with backoff.
    let start = Instant::now();
    loop {
        let rows = outbox::Entity::find().all(&app.db).await.unwrap();
        if rows.len() == 500 && rows.iter().filter(|r| r.attempts >= 2).count() >= 8 {
            assert!(
                rows.iter()
                    .all(|r| r.status != "sent" && r.status != "failed")
            );
            assert!(rows.iter().any(|r| r.last_error.is_some()));
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "rows queued and retried"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The server comes back: all 500 arrive exactly once.
    let smtp = SmtpServer::start(smtp_port);
    let mails = smtp.wait_for(500, Duration::from_secs(120)).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let mails = if mails.len() < smtp.count() {
        smtp.received()
    } else {
        mails
    };
    assert_eq!(mails.len(), 500);
    assert_exactly_once(&mails, 500);
    let rows = outbox::Entity::find().all(&app.db).await.unwrap();
    assert!(rows.iter().all(|r| r.status == "sent"));
}

/// The real app binary, killed with SIGKILL mid-send and started again on the same database.
#[tokio::test]
async fn sigkill_mid_send_then_restart_delivers_everything() {
    let smtp_port = free_port();
    let smtp = SmtpServer::start(smtp_port);
    let database_url = fresh_database_url().await;
    let app = spawn_mail_app_with(&database_url, free_port(), false).await;
    app.sign_in_as(Role::Designer).await;
    app.publish_template("acsi.toml", "crash", "", false).await;
    import_direct(&app, 300).await;

    let start_child = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_yardstick"))
            .arg("serve")
            .envs(mail_env(&database_url, smtp_port, 1_000))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start yardstick serve")
    };
    let mut child = start_child();
    schedule_campaign(&app, "").await;
    let start = Instant::now();
    while smtp.count() < 60 {
        assert!(start.elapsed() < Duration::from_secs(60), "the child sends");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    let at_kill = smtp.count();
    assert!(at_kill < 300, "killed mid-send ({at_kill} of 300 sent)");

    let mut child = start_child();
    let mails = smtp.wait_for(300, Duration::from_secs(120)).await;
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    child.kill().ok();
    child.wait().ok();
    let mails = if mails.len() < smtp.count() {
        smtp.received()
    } else {
        mails
    };
    let per = by_recipient(&mails);
    assert_eq!(per.len(), 300, "every invitation arrives");
    let duplicates = mails.len() - per.len();
    // A row the server accepted but that was not yet marked sent is resent with the same Message-ID:
    // at most one batch (mail_batch = 8) can be in that state when the process dies.
    assert!(
        duplicates <= 8,
        "{duplicates} duplicates exceed the in-flight bound"
    );
    for copies in per.values().filter(|v| v.len() > 1) {
        assert!(
            copies.iter().all(|m| m.message_id == copies[0].message_id),
            "a resend keeps its Message-ID"
        );
    }
    println!(
        "crash test: {at_kill} delivered before SIGKILL, {duplicates} duplicate(s) after restart (bound 8)"
    );
}
