//! Webhooks: a completed response is POSTed signed with HMAC-SHA256, and retried through the outbox until accepted.

use crate::helpers::spawn_app_with;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use yardstick::domain::Role;
use yardstick::store;

/// One request the receiver saw: headers (lower-case names) and body.
#[derive(Debug, Clone)]
struct Received {
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// A tiny HTTP receiver on 127.0.0.1 that answers 500 to the first `failures` requests, then 204.
async fn receiver(failures: usize) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 8192];
            let (head, body) = loop {
                let n = socket.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break (String::new(), String::new());
                }
                buffer.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buffer).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let head = text[..end].to_owned();
                    let length: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buffer.len() >= end + 4 + length {
                        break (
                            head,
                            String::from_utf8_lossy(&buffer[end + 4..end + 4 + length]).to_string(),
                        );
                    }
                }
            };
            let headers = head
                .lines()
                .skip(1)
                .filter_map(|l| {
                    l.split_once(':')
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                })
                .collect();
            let count = {
                let mut log = log.lock().unwrap();
                log.push(Received { headers, body });
                log.len()
            };
            let status = if count <= failures {
                "500 Internal Server Error"
            } else {
                "204 No Content"
            };
            let _ = socket
                .write_all(
                    format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .as_bytes(),
                )
                .await;
        }
    });
    (address, seen)
}

#[tokio::test]
async fn a_completed_response_is_delivered_signed_and_retried_until_accepted() {
    // The receiver listens on loopback, which webhooks may reach only with this setting.
    let app = spawn_app_with(&[
        ("YARDSTICK_WEBHOOK_RETRY_SECONDS", "1"),
        ("YARDSTICK_WEBHOOK_PRIVATE_TARGETS", "true"),
    ])
    .await;
    let (url, seen) = receiver(2).await;
    app.sign_in_as(Role::Admin).await;
    let questionnaire = app.publish_template("acsi.toml", "hooked", "", false).await;
    let response = app
        .post_form(
            "/admin/webhooks",
            &[("questionnaire", &questionnaire.to_string()), ("url", &url)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let hook = store::webhooks::all(&app.db)
        .await
        .unwrap()
        .pop()
        .expect("registered");
    assert!(
        app.get_html("/admin/webhooks")
            .await
            .1
            .contains(&hook.secret),
        "the admin page shows the secret"
    );
    // Submit a complete response through the API.
    let admin = store::users::all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == Role::Admin)
        .unwrap();
    let (token, _) = store::api_tokens::create(&app.db, admin.id, "t", "webhooktest")
        .await
        .unwrap();
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
                indicator["scale_max"].clone(),
            );
        }
    }
    let created = app
        .client
        .post(app.url(&format!("/api/v1/questionnaires/{questionnaire}/responses")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "answers": answers }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let response_id = created.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    // Two failures (500), then accepted: three attempts, about 1 s + 2 s apart.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while seen.lock().unwrap().len() < 3 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let requests = seen.lock().unwrap().clone();
    assert_eq!(
        requests.len(),
        3,
        "delivered three times (two refused), then no more: {requests:?}"
    );
    let deliveries: Vec<&str> = requests
        .iter()
        .map(|r| r.header("x-yardstick-delivery"))
        .collect();
    assert!(
        deliveries
            .iter()
            .all(|d| *d == deliveries[0] && !d.is_empty()),
        "one delivery id across retries"
    );
    for request in &requests {
        let timestamp = request.header("x-yardstick-timestamp");
        let mut mac = Hmac::<Sha256>::new_from_slice(hook.secret.as_bytes()).unwrap();
        mac.update(format!("{timestamp}.{}", request.body).as_bytes());
        let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert_eq!(request.header("x-yardstick-signature"), expected);
        assert_eq!(request.header("x-yardstick-event"), "response.completed");
        let mut wrong = Hmac::<Sha256>::new_from_slice(b"another secret").unwrap();
        wrong.update(format!("{timestamp}.{}", request.body).as_bytes());
        assert_ne!(
            request.header("x-yardstick-signature"),
            format!("sha256={}", hex::encode(wrong.finalize().into_bytes()))
        );
    }
    let payload: serde_json::Value = serde_json::from_str(&requests[0].body).unwrap();
    assert_eq!(payload["response_id"], response_id);
    assert_eq!(payload["questionnaire_id"], questionnaire);
    assert_eq!(payload["answers"].as_object().unwrap().len(), answers.len());
    let rows = store::webhooks::recent_deliveries(&app.db, 10)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].status.as_str(), rows[0].attempts), ("sent", 3));
}

#[tokio::test]
async fn webhooks_into_the_servers_own_network_are_refused_unless_allowed() {
    let app = spawn_app_with(&[("YARDSTICK_WEBHOOK_RETRY_SECONDS", "1")]).await;
    let (url, seen) = receiver(0).await;
    app.sign_in_as(Role::Admin).await;
    let questionnaire = app.publish_template("acsi.toml", "inside", "", false).await;
    // The form refuses loopback, private and link-local targets (names are resolved first).
    for target in [
        url.as_str(),
        "http://localhost:8080/hook",
        "http://10.0.0.7/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
    ] {
        let response = app
            .post_form(
                "/admin/webhooks?lang=en",
                &[
                    ("questionnaire", &questionnaire.to_string()),
                    ("url", target),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 422, "{target}");
        let page = response.text().await.unwrap();
        assert!(page.contains("private network"), "{target}: {page}");
    }
    assert!(store::webhooks::all(&app.db).await.unwrap().is_empty());
    // A target that got into the table another way is still not called at delivery time.
    store::webhooks::add(&app.db, questionnaire, &url, "secret")
        .await
        .unwrap();
    let response = app
        .store_responses(questionnaire, 9, vec![Default::default()])
        .await[0];
    assert_eq!(
        store::webhooks::enqueue_for_response(&app.db, response)
            .await
            .unwrap(),
        1
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let error = loop {
        let rows = store::webhooks::recent_deliveries(&app.db, 1)
            .await
            .unwrap();
        if let Some(error) = rows.first().and_then(|r| r.last_error.clone()) {
            break error;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the delivery was not tried"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(error.contains("private network"), "{error}");
    assert!(
        seen.lock().unwrap().is_empty(),
        "the receiver on loopback was never called"
    );
}
