//! A small reusable WebDriver harness: Debian's headless Chromium through chromedriver on a
//! free port, a fresh profile per browser, screenshots under `artifacts/`, and axe-core
//! (from npm) run inside the page for WCAG 2.1 AA checks.
//!
//! ```ignore
//! let browser = Browser::start(Viewport::PHONE, Javascript::On).await;
//! browser.goto(&app.url("/s/demo")).await;
//! browser.assert_fits().await;             // never scrolls sideways
//! browser.assert_accessible("welcome").await; // no axe WCAG 2.1 AA violations
//! browser.screenshot("survey-welcome").await; // artifacts/survey-welcome.png
//! browser.close().await;
//! ```
//!
//! Paths can be overridden with `YARDSTICK_CHROMIUM`, `YARDSTICK_CHROMEDRIVER` and
//! `YARDSTICK_AXE_JS`; tests/run.sh installs all three on a fresh machine.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The size of the page area, and whether to emulate a phone (touch, device pixel ratio 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
    pub phone: bool,
}

impl Viewport {
    /// A common phone (iPhone X/11 Pro size).
    pub const PHONE: Viewport = Viewport {
        width: 375,
        height: 812,
        phone: true,
    };
    /// The narrowest screen WCAG reflow asks for (and 200 % zoom of a 640 px window).
    pub const NARROW: Viewport = Viewport {
        width: 320,
        height: 640,
        phone: true,
    };
    pub const DESKTOP: Viewport = Viewport {
        width: 1280,
        height: 900,
        phone: false,
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Javascript {
    On,
    Off,
}

/// A Chrome DevTools Protocol command sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()),
        )
    }
}

/// One headless Chromium with its own chromedriver and profile; closed (and killed) on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
    pub viewport: Viewport,
    pub javascript: Javascript,
}

/// With `YARDSTICK_BROWSER_TRACE=1`, every browser step is printed (to find where a test hangs).
fn trace(step: &str) {
    if std::env::var_os("YARDSTICK_BROWSER_TRACE").is_some() {
        eprintln!("[browser] {step}");
    }
}

fn from_env(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("port")
        .port()
}

/// The axe-core script, read once.
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var_os("YARDSTICK_AXE_JS")
            .map(PathBuf::from)
            .unwrap_or_else(|| manifest_dir().join("tests/browser/node_modules/axe-core/axe.min.js"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("axe-core is missing at {} ({e}); run `npm install --prefix tests/browser axe-core` or tests/run.sh", path.display()))
    })
}

impl Browser {
    /// Starts chromedriver on a free port and opens a session in a fresh profile.
    pub async fn start(viewport: Viewport, javascript: Javascript) -> Browser {
        let chromium = from_env("YARDSTICK_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = from_env("YARDSTICK_CHROMEDRIVER", "/usr/bin/chromedriver");
        assert!(
            chromium.exists(),
            "{} is missing: `apt-get install chromium chromium-driver` (tests/run.sh does it)",
            chromium.display()
        );
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = std::env::temp_dir().join(format!(
            "yardstick-chromium-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&profile).expect("profile dir");
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let mut options = json!({ "binary": chromium.display().to_string() });
        if viewport.phone {
            options["mobileEmulation"] = json!({ "deviceMetrics": { "width": viewport.width, "height": viewport.height, "pixelRatio": 2.0, "touch": true } });
        } else {
            args.push(format!(
                "--window-size={},{}",
                viewport.width, viewport.height
            ));
        }
        options["args"] = json!(args);
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        if javascript == Javascript::Off {
            // chromedriver's wait for a page load hangs when page scripts are off; the harness
            // waits for the next document itself (`goto`, `click_and_wait`, `press_and_wait`).
            capabilities.insert("pageLoadStrategy".into(), json!("none"));
        }
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("chromedriver refused a session: {e}"));
        if javascript == Javascript::Off {
            // Page scripts off, as DevTools' "Disable JavaScript" does; WebDriver's own scripts still run.
            client
                .issue_cmd(Cdp {
                    cmd: "Emulation.setScriptExecutionDisabled",
                    params: json!({ "value": true }),
                })
                .await
                .unwrap_or_else(|e| panic!("cannot turn JavaScript off: {e}"));
        }
        Browser {
            client,
            driver,
            profile,
            viewport,
            javascript,
        }
    }

    /// Opens `url` and waits until its document has loaded.
    pub async fn goto(&self, url: &str) {
        trace(&format!("goto {url}"));
        self.mark_stale().await;
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
        self.wait_for_new_document().await;
    }

    async fn mark_stale(&self) {
        self.client
            .execute("if (document.documentElement) { document.documentElement.dataset.harnessStale = '1'; } return null;", vec![])
            .await
            .expect("mark the page");
    }

    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current url")
            .path()
            .to_owned()
    }

    pub async fn source(&self) -> String {
        self.client.source().await.expect("page source")
    }

    /// Runs a script in the page (WebDriver runs it even when the page's own JavaScript is off).
    pub async fn eval(&self, script: &str) -> Value {
        trace(&format!(
            "eval {}",
            script.chars().take(60).collect::<String>()
        ));
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Asserts the page does not scroll sideways and fills the viewport width it was given.
    pub async fn assert_fits(&self, what: &str) {
        let sizes = self
            .eval("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await;
        let (scroll, inner) = (
            sizes[0].as_u64().expect("scrollWidth"),
            sizes[1].as_u64().expect("innerWidth"),
        );
        assert_eq!(
            inner,
            u64::from(self.viewport.width),
            "{what}: the viewport is {} px wide",
            self.viewport.width
        );
        assert!(
            scroll <= inner,
            "{what}: the page scrolls sideways ({scroll} px content in {inner} px)"
        );
    }

    /// Runs axe-core's WCAG 2.0/2.1 A and AA rules in the page; returns one line per violation.
    /// Needs a browser started with [`Javascript::On`] (axe-core uses timers).
    pub async fn axe_violations(&self) -> Vec<String> {
        assert_eq!(
            self.javascript,
            Javascript::On,
            "axe-core needs a browser with JavaScript on"
        );
        self.client
            .execute(axe_source(), vec![])
            .await
            .expect("inject axe-core");
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
              .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', '))))
              .catch(e => done(['axe failed: ' + e]));
        "#;
        let result = self
            .client
            .execute_async(script, vec![])
            .await
            .expect("run axe-core");
        result
            .as_array()
            .expect("a list of violations")
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Asserts axe-core finds no WCAG 2.1 AA violation.
    pub async fn assert_accessible(&self, what: &str) {
        let violations = self.axe_violations().await;
        assert!(
            violations.is_empty(),
            "{what}: WCAG 2.1 AA violations:\n{}",
            violations.join("\n")
        );
    }

    /// Saves a PNG of the viewport to `artifacts/<name>.png` (in the package root).
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        trace(&format!("screenshot {name}"));
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = manifest_dir().join("artifacts");
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Saves a PNG of the whole page (not just the viewport) by resizing the viewport to it.
    pub async fn screenshot_full(&self, name: &str) -> PathBuf {
        if self.viewport.phone {
            return self.screenshot(name).await;
        }
        let height = self
            .eval("return document.documentElement.scrollHeight;")
            .await
            .as_u64()
            .unwrap_or(900) as u32;
        self.client
            .set_window_size(self.viewport.width, height.max(self.viewport.height))
            .await
            .ok();
        let path = self.screenshot(name).await;
        self.client
            .set_window_size(self.viewport.width, self.viewport.height)
            .await
            .ok();
        path
    }

    /// Presses and releases one key (e.g. `Key::Tab`, `' '`) as a keyboard would.
    pub async fn press(&self, key: impl Into<char>) {
        let key = key.into();
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client
            .perform_actions(actions)
            .await
            .expect("key press");
    }

    /// Types `text` into the field matching `css` (by keyboard; by script without page JavaScript,
    /// where chromedriver's input actions do not return).
    pub async fn fill(&self, css: &str, text: &str) {
        trace(&format!("fill {css}"));
        if self.javascript == Javascript::On {
            self.click(css).await;
            self.type_text(text).await;
            return;
        }
        let script = format!(
            "const e = document.querySelector({}); if (!e) {{ return false; }} e.value = {}; return true;",
            serde_json::to_string(css).expect("css"),
            serde_json::to_string(text).expect("text")
        );
        assert_eq!(
            self.client
                .execute(&script, vec![])
                .await
                .expect("fill by script"),
            Value::Bool(true),
            "nothing matches {css}"
        );
    }

    /// Types text into the focused element.
    pub async fn type_text(&self, text: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for c in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(actions).await.expect("typing");
    }

    /// Clicks the element matching `css` (scrolled into view first), like a mouse would.
    pub async fn click(&self, css: &str) {
        trace(&format!("click {css}"));
        if self.javascript == Javascript::On {
            let element = self
                .client
                .find(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("find {css}: {e}"));
            element
                .click()
                .await
                .unwrap_or_else(|e| panic!("click {css}: {e}"));
            return;
        }
        // Without page JavaScript chromedriver's element commands and input actions never
        // return, so the click is dispatched by a WebDriver script (it still runs): the browser's
        // own behaviour follows, a radio is checked or a form is submitted with no page script.
        let script = format!(
            "const e = document.querySelector({}); if (!e) {{ return false; }} e.scrollIntoView({{ block: 'center' }}); e.click(); return true;",
            serde_json::to_string(css).expect("css as a JSON string")
        );
        assert_eq!(
            self.client
                .execute(&script, vec![])
                .await
                .expect("click by script"),
            Value::Bool(true),
            "nothing matches {css}"
        );
    }

    /// Clicks (a submit button or a link) and waits until the next document has loaded,
    /// even when it has the same address (a form refused with 422).
    pub async fn click_and_wait(&self, css: &str) {
        self.mark_stale().await;
        self.click(css).await;
        self.wait_for_new_document().await;
    }

    /// Presses a key that navigates (Enter on a button) and waits for the next document.
    pub async fn press_and_wait(&self, key: impl Into<char>) {
        self.mark_stale().await;
        self.press(key).await;
        self.wait_for_new_document().await;
    }

    async fn wait_for_new_document(&self) {
        trace("wait for the next page");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let fresh = self
                .client
                .execute("return document.readyState === 'complete' && !!document.documentElement && !document.documentElement.dataset.harnessStale && location.href !== 'about:blank';", vec![])
                .await
                .map(|v| v == Value::Bool(true))
                .unwrap_or(false);
            if fresh {
                return;
            }
            assert!(Instant::now() < deadline, "no new page loaded within 20 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Ends the session, stops chromedriver and removes the profile.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
