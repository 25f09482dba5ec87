//! Headless Chromium printing a report page to PDF: at most two at a time, each with its own temporary profile (removed afterwards), killed with its helpers when it overruns.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long one rendering may take before Chromium is killed.
const RENDER_LIMIT: Duration = Duration::from_secs(90);
/// How many Chromiums may print at once (each takes a core and a few hundred MB).
const AT_ONCE: usize = 2;
/// How long a request waits for a free slot.
const QUEUE_LIMIT: Duration = Duration::from_secs(60);

static BUSY: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// A rendering slot, given back on drop.
struct Slot;

impl Slot {
    fn take() -> Result<Slot, anyhow::Error> {
        let deadline = Instant::now() + QUEUE_LIMIT;
        let mut busy = BUSY.lock().expect("pdf slots");
        while *busy >= AT_ONCE {
            let left = deadline.saturating_duration_since(Instant::now());
            anyhow::ensure!(
                !left.is_zero(),
                "{AT_ONCE} PDFs were being rendered for over {QUEUE_LIMIT:?}"
            );
            busy = FREED.wait_timeout(busy, left).expect("pdf slots").0;
        }
        *busy += 1;
        Ok(Slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        *BUSY.lock().expect("pdf slots") -= 1;
        FREED.notify_one();
    }
}

/// The Chromium binary: `YARDSTICK_CHROMIUM`, or a usual install path.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("YARDSTICK_CHROMIUM").map(PathBuf::from) {
        return path.is_file().then_some(path);
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
        "/usr/bin/google-chrome-stable",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

/// Kills Chromium's whole process group (the browser, its zygote and renderers).
fn kill_group(pid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// The last lines Chromium wrote, for the log.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().rev().take(5).collect();
    lines.into_iter().rev().collect::<Vec<_>>().join(" | ")
}

fn print(chromium: &Path, url: &str, dir: &Path) -> Result<Vec<u8>, anyhow::Error> {
    let output = dir.join("report.pdf");
    let log = dir.join("chromium.log");
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", output.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log)?);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn()?;
    let deadline = Instant::now() + RENDER_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            kill_group(child.id());
            let _ = child.wait();
            anyhow::bail!("chromium took longer than {RENDER_LIMIT:?}: {}", tail(&log));
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    // Helpers that outlive the browser would keep the profile busy.
    kill_group(child.id());
    let bytes = std::fs::read(&output)
        .map_err(|e| anyhow::anyhow!("chromium ({status}) wrote no PDF ({e}): {}", tail(&log)))?;
    anyhow::ensure!(
        bytes.starts_with(b"%PDF"),
        "chromium ({status}) wrote no PDF: {}",
        tail(&log)
    );
    Ok(bytes)
}

pub async fn render(chromium: PathBuf, url: String) -> Result<Vec<u8>, anyhow::Error> {
    tokio::task::spawn_blocking(move || {
        let _slot = Slot::take()?;
        let dir =
            std::env::temp_dir().join(format!("yardstick-pdf-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir)?;
        let result = print(&chromium, &url, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        result
    })
    .await?
}
