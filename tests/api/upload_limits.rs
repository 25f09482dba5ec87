//! Uploads built to blow up into huge tables (a far-away XLSX cell, a zip bomb, a million empty CSV rows)
//! are refused in bounded memory by a real server process; ordinary files still import.

use crate::helpers::{csrf_of, fresh_database_url, spawn_app};
use std::io::{BufRead, BufReader, Cursor, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use yardstick::domain::Role;

const DESIGNER: &str = "designer@example.test";
const PASSWORD: &str = "correct horse battery";
/// Most one bomb upload may raise the server's peak resident memory.
const MAX_GROWTH_MB: u64 = 100;

/// The `yardstick` binary in its own process, so that its memory can be read and a crash seen.
struct Server {
    child: Child,
    dir: PathBuf,
    address: String,
    client: reqwest::Client,
    questionnaire: i32,
}

impl Server {
    /// Starts `yardstick serve` on a fresh database, signs a designer in and publishes an ACSI questionnaire.
    async fn start() -> Server {
        let dir = std::env::temp_dir()
            .join("yardstick-tests")
            .join(format!("upload-limits-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let database_url = fresh_database_url().await;
        let command = |args: &[&str]| {
            let mut command = Command::new(env!("CARGO_BIN_EXE_yardstick"));
            command
                .args(args)
                .current_dir(&dir)
                .env("YARDSTICK_CONFIG", dir.join("none.toml"))
                .env("YARDSTICK_DATABASE_URL", &database_url)
                .env("YARDSTICK_HOST", "127.0.0.1")
                .env("YARDSTICK_LOGIN_ATTEMPTS_PER_MINUTE", "10000")
                .env("YARDSTICK_LOG", "warn");
            command
        };
        let added = command(&[
            "user",
            "add",
            "--email",
            DESIGNER,
            "--role",
            "designer",
            "--password",
            PASSWORD,
        ])
        .output()
        .expect("yardstick user add runs");
        assert!(
            added.status.success(),
            "user add: {}",
            String::from_utf8_lossy(&added.stderr)
        );
        let log = std::fs::File::create(dir.join("server.log")).expect("log file");
        let mut child = command(&["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("yardstick serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let (found, address) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix("Yardstick is listening on ") {
                    let _ = found.send(url.trim().to_owned());
                }
            }
        });
        let address = address
            .recv_timeout(Duration::from_secs(120))
            .expect("the server prints its address");
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(120))
            .build()
            .expect("client");
        let mut server = Server {
            child,
            dir,
            address,
            client,
            questionnaire: 0,
        };
        let response = server
            .post_form(
                "/login",
                &[("email", DESIGNER), ("password", PASSWORD), ("next", "/")],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "the designer signs in");
        let response = server
            .post_form(
                "/design/questionnaires",
                &[
                    ("template", "acsi.toml"),
                    ("slug", "bombs"),
                    ("title_zh", "满意度调查"),
                    ("title_en", "Satisfaction survey"),
                    ("own_brand", "Our Brand"),
                    ("competitors", "Rival"),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "questionnaire created");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        server.questionnaire = location.rsplit('/').next().unwrap().parse().unwrap();
        let publish = format!("/design/questionnaires/{}/publish", server.questionnaire);
        let response = server.post_form(&publish, &[]).await;
        assert_eq!(response.status().as_u16(), 303, "questionnaire published");
        server
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    async fn csrf(&self) -> String {
        let page = self.client.get(self.url("/login")).send().await.unwrap();
        csrf_of(&page.text().await.unwrap())
    }

    async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut body = vec![("csrf", token.as_str())];
        body.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&body)
            .send()
            .await
            .expect("POST")
    }

    /// Posts a file to an import; the status and page, or why no answer came.
    async fn upload(
        &self,
        target: Target,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<(u16, String), String> {
        let csrf = self.csrf().await;
        let file = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(file_name.to_owned());
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .part("file", file);
        let (path, form) = match target {
            Target::Contacts => (
                "/contacts/import?lang=en".to_owned(),
                form.text("action", "check"),
            ),
            Target::FieldData => (
                format!(
                    "/design/questionnaires/{}/field-data?lang=en",
                    self.questionnaire
                ),
                form.text("dry_run", "on"),
            ),
        };
        let response = self
            .client
            .post(self.url(&path))
            .multipart(form)
            .send()
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = response.status().as_u16();
        let page = response.text().await.map_err(|e| format!("no page: {e}"))?;
        Ok((status, page))
    }

    /// Whether the process still runs and answers `/health` (tried three times); if not, why.
    async fn health(&mut self) -> Result<(), String> {
        let mut why = String::new();
        for _ in 0..3 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("the server process ended ({status})"));
            }
            match self.client.get(self.url("/health")).send().await {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) => why = format!("/health answers {}", r.status()),
                Err(e) => why = format!("/health does not answer: {e}"),
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        Err(why)
    }

    fn status_kb(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        line[field.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    }

    /// Resets the peak resident memory (`VmHWM`) to the current one; returns the current one in kB.
    fn reset_peak(&self) -> u64 {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5")
            .expect("the peak resident memory can be reset (/proc/PID/clear_refs)");
        self.status_kb("VmRSS:").expect("VmRSS")
    }

    /// The tail of the server's log (a crash says why there).
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(5)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Contacts,
    FieldData,
}

/// An XLSX with a header cell at A1 and one more cell at the last row in column `last_column` (0-based).
fn far_cell_xlsx(last_column: u16) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "email").unwrap();
    sheet.write_string(1_048_575, last_column, "x").unwrap();
    book.save_to_buffer().unwrap()
}

/// A valid XLSX whose sheet unpacks to about `megabytes` MB of one-cell rows (a zip bomb);
/// written in chunks so the test never holds the unpacked sheet.
fn zip_bomb_xlsx(megabytes: usize) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "email").unwrap();
    let small = book.save_to_buffer().unwrap();
    let mut source = zip::ZipArchive::new(Cursor::new(small)).unwrap();
    let mut bomb = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    let rows: String = "<row><c><v>1</v></c></row>".repeat(4096);
    for i in 0..source.len() {
        let entry = source.by_index(i).unwrap();
        if entry.name().unwrap() != "xl/worksheets/sheet1.xml" {
            bomb.raw_copy_file(entry).unwrap();
            continue;
        }
        drop(entry);
        bomb.start_file("xl/worksheets/sheet1.xml", options)
            .unwrap();
        bomb.write_all(
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>email</t></is></c></row>"#,
        )
        .unwrap();
        for _ in 0..(megabytes << 20) / rows.len() {
            bomb.write_all(rows.as_bytes()).unwrap();
        }
        bomb.write_all(b"</sheetData></worksheet>").unwrap();
    }
    bomb.finish().unwrap().into_inner()
}

/// A header and then `rows` rows of nothing but `commas` separators each.
fn empty_rows_csv(header: &str, rows: usize, commas: usize) -> Vec<u8> {
    let mut csv = format!("{header}\n").into_bytes();
    let row = format!("{}\n", ",".repeat(commas));
    for _ in 0..rows {
        csv.extend_from_slice(row.as_bytes());
    }
    csv
}

/// The same file for both imports.
fn both<'a>(name: &'a str, bytes: &'a [u8]) -> [(Target, &'a str, &'a [u8]); 2] {
    [
        (Target::Contacts, name, bytes),
        (Target::FieldData, name, bytes),
    ]
}

struct Outcome {
    bomb: &'static str,
    target: Target,
    growth_mb: u64,
    answer: Result<(u16, String), String>,
    health: Result<(), String>,
    log: String,
}

/// Sends each file on a fresh server process (memory a previous bomb left resident would hide
/// the next one's growth) and records what happened.
async fn try_bombs(
    bomb: &'static str,
    files: &[(Target, &str, &[u8])],
    outcomes: &mut Vec<Outcome>,
) {
    for (target, file_name, bytes) in files {
        let mut server = Server::start().await;
        let rss_before = server.reset_peak();
        let answer = server.upload(*target, file_name, bytes).await;
        let peak = server.status_kb("VmHWM:");
        let health = server.health().await;
        eprintln!(
            "{bomb} → {target:?}: peak RSS growth {}, answer {:?}, server health: {:?}",
            peak.map_or("? (process gone)".to_owned(), |kb| format!(
                "{} MB",
                kb.saturating_sub(rss_before) / 1024
            )),
            answer.as_ref().map(|(status, _)| status),
            health
        );
        outcomes.push(Outcome {
            bomb,
            target: *target,
            growth_mb: peak.unwrap_or(u64::MAX).saturating_sub(rss_before) / 1024,
            answer,
            health,
            log: server.log_tail(),
        });
    }
}

#[tokio::test]
async fn bomb_uploads_are_refused_in_bounded_memory() {
    let a1_xfd = far_cell_xlsx(16_383);
    let a1_z = far_cell_xlsx(25);
    let zip_bomb = zip_bomb_xlsx(128);
    assert!(
        zip_bomb.len() < 2_000_000,
        "the zip bomb fits the contacts upload limit ({} bytes)",
        zip_bomb.len()
    );
    // Both just under the upload limits: 2 MB for contacts; field data's 16 MB is in practice
    // the 2 MiB that actix-multipart keeps in memory by default.
    let contacts_csv = empty_rows_csv("email", 999_990, 1);
    let field_csv = empty_rows_csv("brand,date", 1_000_000, 1);
    assert!(contacts_csv.len() < 2_000_000 && field_csv.len() < 2 << 20);
    let mut outcomes = Vec::new();
    try_bombs(
        "CSV of a million empty rows",
        &[
            (Target::Contacts, "contacts.csv", &contacts_csv),
            (Target::FieldData, "field.csv", &field_csv),
        ],
        &mut outcomes,
    )
    .await;
    try_bombs(
        "XLSX A1 + Z1048576",
        &both("far.xlsx", &a1_z),
        &mut outcomes,
    )
    .await;
    try_bombs(
        "XLSX zip bomb",
        &both("bomb.xlsx", &zip_bomb),
        &mut outcomes,
    )
    .await;
    try_bombs(
        "XLSX A1 + XFD1048576",
        &both("far.xlsx", &a1_xfd),
        &mut outcomes,
    )
    .await;

    let mut failures = Vec::new();
    for o in &outcomes {
        let what = format!("{} → {:?}", o.bomb, o.target);
        if let Err(why) = &o.health {
            failures.push(format!("{what}: {why}; the server log ends:\n{}", o.log));
            continue;
        }
        match &o.answer {
            Err(e) => failures.push(format!("{what}: {e}")),
            Ok((status, page)) => {
                let named = [
                    "The file is too large",
                    "The file unpacks to more than 64 MB",
                ]
                .iter()
                .any(|m| page.contains(m));
                if !(400..500).contains(status) || !named {
                    failures.push(format!(
                        "{what}: status {status}, the page does not name the limit"
                    ));
                }
            }
        }
        if o.growth_mb >= MAX_GROWTH_MB {
            failures.push(format!(
                "{what}: peak resident memory grew by {} MB (limit {MAX_GROWTH_MB} MB)",
                o.growth_mb
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn ordinary_csv_and_xlsx_files_still_import() {
    let app = spawn_app().await;
    app.sign_in_as(Role::Designer).await;
    let questionnaire = app
        .publish_template("acsi.toml", "ordinary", "Rival", false)
        .await;
    let post = |path: String, form: reqwest::multipart::Form| {
        let app = &app;
        async move {
            let form = form.text("csrf", app.csrf().await);
            let response = app
                .client
                .post(app.url(&path))
                .multipart(form)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let file = |bytes: Vec<u8>, name: &str| {
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned())
    };

    // Contacts: a CSV and an XLSX of the same shape.
    let csv = "email,name,language\na@example.com,Ann,en\nb@example.com,Bo,zh-CN\n";
    let (status, page) = post(
        "/contacts/import?lang=en".into(),
        reqwest::multipart::Form::new()
            .text("action", "import")
            .part("file", file(csv.as_bytes().to_vec(), "contacts.csv")),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Imported: 2 new"),
        "the CSV contacts are imported"
    );
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (row, line) in csv.lines().enumerate() {
        for (col, cell) in line.split(',').enumerate() {
            let (row, col) = (row as u32, col as u16);
            sheet
                .write_string(row, col, cell.replace('@', "+x@"))
                .unwrap();
        }
    }
    let (status, page) = post(
        "/contacts/import?lang=en".into(),
        reqwest::multipart::Form::new()
            .text("action", "import")
            .part(
                "file",
                file(book.save_to_buffer().unwrap(), "contacts.xlsx"),
            ),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Imported: 2 new"),
        "the XLSX contacts are imported"
    );

    // Field data: an XLSX with numbers for the answers and a date cell.
    let versions = yardstick::store::questionnaires::versions(&app.db, questionnaire)
        .await
        .unwrap();
    let model = yardstick::store::models::load(
        &app.db,
        versions.iter().find(|v| v.published).unwrap().model_id,
    )
    .await
    .unwrap();
    let codes: Vec<String> = model.indicators().map(|(_, i)| i.code.clone()).collect();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "brand").unwrap();
    sheet.write_string(0, 1, "date").unwrap();
    for (c, code) in codes.iter().enumerate() {
        sheet.write_string(0, c as u16 + 2, code).unwrap();
    }
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 3, 1).unwrap();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for row in 1..=3u32 {
        sheet.write_string(row, 0, "Rival").unwrap();
        sheet
            .write_datetime_with_format(row, 1, &date, &date_format)
            .unwrap();
        for (c, code) in codes.iter().enumerate() {
            let value = if code == "COM1" { 0.0 } else { 7.0 };
            sheet.write_number(row, c as u16 + 2, value).unwrap();
        }
    }
    let (status, page) = post(
        format!("/design/questionnaires/{questionnaire}/field-data?lang=en"),
        reqwest::multipart::Form::new()
            .part("file", file(book.save_to_buffer().unwrap(), "field.xlsx")),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Responses imported: 3"));
    let records = yardstick::store::report_runs::survey_records(&app.db, questionnaire)
        .await
        .unwrap();
    assert_eq!(records.len(), 3, "the XLSX field data is imported");

    // A field-data file of several megabytes (the form allows 16 MB) is read, not dropped as
    // "no file" by the multipart layer's default 2 MiB in-memory limit.
    let mut big = format!("brand,date,{},note\n", codes.join(","));
    let answers = vec!["7"; codes.len()].join(",");
    let filler = "x".repeat(150);
    for _ in 0..20_000 {
        big.push_str(&format!("Rival,2025-03-02,{answers},{filler}\n"));
    }
    assert!(big.len() > 3 * 1024 * 1024);
    let (status, page) = post(
        format!("/design/questionnaires/{questionnaire}/field-data?lang=en"),
        reqwest::multipart::Form::new()
            .text("dry_run", "1")
            .part("file", file(big.into_bytes(), "big.csv")),
    )
    .await;
    assert!(
        !page.contains("Choose a file"),
        "{status}: the file arrived"
    );
    assert!(
        page.contains("20000") || page.contains("20 000"),
        "{status}: {}",
        &page[..page.len().min(2000)]
    );
}
