//! Load benchmark of the respondent pages: virtual respondents complete a public survey end to
//! end — welcome page, start, every question page fetched and answered, thanks — as a phone
//! without JavaScript would, each with its own cookies. Prints complete responses per second,
//! requests per second and latency percentiles of the page GETs and POSTs.
//!
//! Run by `benches/load.sh` against a release server (not in CI):
//!
//!   cargo bench --bench respondents -- BASE_URL SLUG RESPONDENTS SECONDS
//!
//! A request that does not get its expected answer (200 for a page, 303 for a POST) stops the run.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What every virtual respondent records.
#[derive(Default)]
struct Tally {
    gets: Vec<u32>,
    posts: Vec<u32>,
    completed: u64,
    answers: u64,
}

/// One respondent's cookies, as `name=value` by name.
#[derive(Default)]
struct Jar(HashMap<String, String>);

impl Jar {
    fn keep(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all(reqwest::header::SET_COOKIE) {
            let Ok(value) = value.to_str() else { continue };
            let pair = value.split(';').next().unwrap_or_default();
            if let Some((name, _)) = pair.split_once('=') {
                self.0.insert(name.to_owned(), pair.to_owned());
            }
        }
    }

    fn header(&self) -> String {
        self.0.values().cloned().collect::<Vec<_>>().join("; ")
    }
}

/// The value of the first `attribute="…"` after `from` in `html`.
fn attribute<'h>(html: &'h str, from: usize, attribute: &str) -> Option<&'h str> {
    let key = format!("{attribute}=\"");
    let start = html[from..].find(&key)? + from + key.len();
    html[start..].find('"').map(|end| &html[start..start + end])
}

/// The form a person sends for a page: the CSRF token and, for every radio group, its middle
/// numeric option (or its first option when none is numeric).
fn answer_page(html: &str) -> Vec<(String, String)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut at = 0;
    while let Some(found) = html[at..].find("<input type=\"radio\"") {
        at += found + 1;
        let (Some(name), Some(value)) = (attribute(html, at, "name"), attribute(html, at, "value"))
        else {
            continue;
        };
        match groups.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(value.to_owned()),
            None => groups.push((name.to_owned(), vec![value.to_owned()])),
        }
    }
    let mut form: Vec<(String, String)> = groups
        .into_iter()
        .map(|(name, values)| {
            let numeric: Vec<&String> = values
                .iter()
                .filter(|v| v.chars().all(|c| c.is_ascii_digit()))
                .collect();
            let value = if numeric.is_empty() {
                values[0].clone()
            } else {
                numeric[numeric.len() / 2].clone()
            };
            (name, value)
        })
        .collect();
    let csrf = html
        .find("name=\"csrf\"")
        .and_then(|at| attribute(html, at, "value"))
        .expect("every survey form has a CSRF token");
    form.push(("csrf".into(), csrf.to_owned()));
    form.push(("website".into(), String::new()));
    form
}

fn micros(since: Instant) -> u32 {
    since.elapsed().as_micros().min(u32::MAX as u128) as u32
}

/// One respondent completing the survey; their timings go to `tally`.
async fn respond(client: &reqwest::Client, base: &str, slug: &str, tally: &mut Tally) {
    let mut jar = Jar::default();
    let get = |jar: &Jar, path: String| {
        client
            .get(format!("{base}{path}"))
            .header(reqwest::header::COOKIE, jar.header())
            .send()
    };
    let mut location = format!("/s/{slug}");
    loop {
        let started = Instant::now();
        let page = get(&jar, location.clone()).await.expect("GET");
        assert_eq!(page.status(), 200, "GET {location}");
        jar.keep(&page);
        let html = page.text().await.expect("page body");
        tally.gets.push(micros(started));
        if location.ends_with("/thanks") {
            tally.completed += 1;
            return;
        }
        let form = answer_page(&html);
        tally.answers += form.iter().filter(|(k, _)| k.starts_with("q_")).count() as u64;
        let started = Instant::now();
        let sent = client
            .post(format!("{base}{location}"))
            .header(reqwest::header::COOKIE, jar.header())
            .form(&form)
            .send()
            .await
            .expect("POST");
        assert_eq!(sent.status(), 303, "POST {location}");
        jar.keep(&sent);
        location = sent
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .expect("a redirect has a location")
            .to_owned();
        let _ = sent.bytes().await;
        tally.posts.push(micros(started));
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [base, slug, respondents, seconds] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench respondents -- BASE_URL SLUG RESPONDENTS SECONDS");
        std::process::exit(2);
    };
    let respondents: usize = respondents.parse().expect("RESPONDENTS is a number");
    let duration = Duration::from_secs(seconds.parse().expect("SECONDS is a number"));
    // One client thread, so the server keeps the other core.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(respondents)
        .build()
        .expect("client");
    let totals = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..respondents {
            let (client, base, slug, totals) =
                (client.clone(), base.clone(), slug.clone(), totals.clone());
            tasks.spawn(async move {
                let mut tally = Tally::default();
                while started.elapsed() < duration {
                    respond(&client, &base, &slug, &mut tally).await;
                }
                let mut totals = totals.lock().expect("totals");
                totals.gets.extend(tally.gets);
                totals.posts.extend(tally.posts);
                totals.completed += tally.completed;
                totals.answers += tally.answers;
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("a respondent failed");
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut totals = totals.lock().expect("totals");
    let items = totals.answers as f64 / totals.completed.max(1) as f64;
    totals.gets.sort_unstable();
    totals.posts.sort_unstable();
    let mut all: Vec<u32> = totals.gets.iter().chain(&totals.posts).copied().collect();
    all.sort_unstable();
    let requests = (totals.gets.len() + totals.posts.len()) as f64 / totals.completed.max(1) as f64;
    println!(
        "respondents: {respondents}, seconds: {elapsed:.1}, items per response: {items:.0}, \
         requests per response: {requests:.1}"
    );
    println!(
        "complete responses/s: {:.0}",
        totals.completed as f64 / elapsed
    );
    println!(
        "requests/s: {:.0} (GET {:.0}, POST {:.0})",
        all.len() as f64 / elapsed,
        totals.gets.len() as f64 / elapsed,
        totals.posts.len() as f64 / elapsed
    );
    for (name, sorted) in [
        ("all", &all),
        ("GET", &totals.gets),
        ("POST", &totals.posts),
    ] {
        println!(
            "latency {name}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            percentile(sorted, 50.0),
            percentile(sorted, 99.0),
            percentile(sorted, 100.0)
        );
    }
}
