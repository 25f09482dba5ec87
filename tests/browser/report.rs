//! The executive report in a real browser: the demo study's newest quarter at desktop and phone
//! width (screenshots under `artifacts/`), and its PDF from the app's own route, rendered to PNG
//! pages with pdftoppm so the pages can be counted and looked at.

use crate::harness::{Browser, Javascript, Viewport};
use crate::helpers::{TestApp, spawn_app};
use fantoccini::Locator;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use yardstick::domain::Role;

/// How long the quick look of the demo study may take to compute in a debug build.
const COMPUTE_LIMIT: Duration = Duration::from_secs(300);

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

async fn sign_in(browser: &Browser, app: &TestApp, email: &str, password: &str) {
    browser.goto(&app.url("/login?lang=en")).await;
    for (css, text) in [("#email", email), ("#password", password)] {
        let field = browser
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }
    browser
        .click_and_wait("main form button[type=submit]")
        .await;
    assert!(
        !browser.path().await.starts_with("/login"),
        "the demo viewer signs in:\n{}",
        browser.source().await
    );
}

/// Opens `url` and waits while the page says it is computing (it refreshes itself every 3 s).
async fn open_when_ready(browser: &Browser, url: &str) -> String {
    browser.goto(url).await;
    let deadline = Instant::now() + COMPUTE_LIMIT;
    loop {
        let source = browser.source().await;
        let computing = source.contains("class=\"computing\"")
            || source.contains("<meta http-equiv=\"refresh\"");
        if !computing {
            return source;
        }
        assert!(
            Instant::now() < deadline,
            "the report was still computing after {COMPUTE_LIMIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// How many elements match `css` on the current page.
async fn count(browser: &Browser, css: &str) -> usize {
    browser
        .client
        .find_all(Locator::Css(css))
        .await
        .map(|found| found.len())
        .unwrap_or(0)
}

/// Renders `pdf` to `<prefix>-N.png` pages at 60 dpi with pdftoppm; returns the pages in order.
fn pdf_pages(pdf: &Path, prefix: &Path) -> Vec<PathBuf> {
    let dir = prefix.parent().expect("a folder");
    let stem = prefix
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    for old in std::fs::read_dir(dir).expect("artifacts").flatten() {
        let name = old.file_name().to_string_lossy().into_owned();
        if name.starts_with(&format!("{stem}-")) && name.ends_with(".png") {
            std::fs::remove_file(old.path()).expect("remove an old page");
        }
    }
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(pdf)
        .arg(prefix)
        .status()
        .expect("pdftoppm runs (apt-get install poppler-utils; tests/run.sh does it)");
    assert!(status.success(), "pdftoppm renders {}", pdf.display());
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("artifacts")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with(&format!("{stem}-")) && name.ends_with(".png")
        })
        .collect();
    pages.sort();
    pages
}

#[tokio::test]
async fn the_demo_report_renders_on_desktop_phone_and_as_an_a4_pdf() {
    let app = spawn_app().await;
    let demo = yardstick::demo::seed(&app.db)
        .await
        .expect("the demo study is seeded");
    let id = demo.questionnaire_id;
    let (email, password, role) = yardstick::demo::DEMO_LOGINS
        .iter()
        .find(|(_, _, role)| *role == Role::Viewer)
        .expect("a demo viewer");
    assert_eq!(*role, Role::Viewer);

    // Desktop: the newest quarter, as a quick look (few resamples) so the test stays fast.
    let desktop = Browser::start(Viewport::DESKTOP, Javascript::On).await;
    sign_in(&desktop, &app, email, password).await;
    let newest = open_when_ready(
        &desktop,
        &app.url(&format!("/reports/{id}?quick=1&lang=en")),
    )
    .await;
    let marker = "/report.pdf?quick=1\"";
    let pdf_link = newest
        .find(marker)
        .map(|end| &newest[..end])
        .and_then(|head| head.rsplit("href=\"").next())
        .expect("the report links its PDF");
    let period = pdf_link
        .trim_start_matches(&format!("/reports/{id}/"))
        .to_owned();
    assert!(
        period.contains("-Q"),
        "the newest period is a calendar quarter: {period}"
    );
    let page = open_when_ready(
        &desktop,
        &app.url(&format!("/reports/{id}/{period}?quick=1&lang=en")),
    )
    .await;
    assert!(
        page.contains(&format!(
            "<span class=\"period\">{}</span>",
            period.replace("-Q", " Q")
        )) || page.contains(&period),
        "the page names its quarter {period}"
    );

    desktop.screenshot_full("report-desktop").await;
    std::fs::write(artifacts().join("report-desktop.html"), &page).expect("save the page");

    // The headline: the CSI with its interval, its change with a significance note, our rank.
    assert_eq!(
        count(&desktop, "#headline .kpi").await,
        3,
        "three headline figures"
    );
    let csi = desktop
        .client
        .find(Locator::Css("#headline .kpi-value"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csi: f64 = csi
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("the headline CSI is a number: {csi:?}"));
    assert!(
        (0.0..=100.0).contains(&csi),
        "the CSI is on the 0–100 scale: {csi}"
    );
    let kpis = desktop
        .client
        .find_all(Locator::Css("#headline .kpi"))
        .await
        .unwrap();
    let rank = kpis[2].text().await.unwrap();
    assert!(
        ["1 / 3", "2 / 3", "3 / 3"].iter().any(|r| rank.contains(r)),
        "the headline ranks us among the three demo brands: {rank}"
    );
    assert!(
        rank.contains("leads by") || rank.contains("ahead of"),
        "the rank says who leads and by how much: {rank}"
    );
    // The trend chart: an inline SVG with a line per brand over the four demo quarters.
    assert_eq!(
        count(&desktop, "#headline svg.chart.trend").await,
        1,
        "the trend chart is an inline SVG"
    );
    assert_eq!(
        count(&desktop, "#headline .legend li").await,
        3,
        "the legend names the three brands"
    );
    // Constructs: one row per construct of the ACSI model, our index, the change and each gap.
    assert_eq!(
        count(&desktop, "#constructs table.constructs tbody tr").await,
        6,
        "six ACSI constructs"
    );
    assert_eq!(
        count(&desktop, "#constructs table.constructs thead th").await,
        3 + 2 * 2,
        "construct, ours, change, and index + gap per competitor"
    );
    // IPMA: the map and the improve-first list in words.
    assert_eq!(
        count(&desktop, "#constructs svg.chart.ipma").await,
        1,
        "the IPMA map"
    );
    // The demo's drivers: either some are named in words, or the page says none is both more
    // important and weaker than average.
    let improve = desktop
        .client
        .find_all(Locator::Css("#constructs ol.improve-first li"))
        .await
        .unwrap();
    match improve.first() {
        Some(first) => assert!(
            first.text().await.unwrap().starts_with("Improve “"),
            "the list speaks in words"
        ),
        None => assert!(
            page.contains("No driver is both more important and weaker than average."),
            "the page says why no driver is listed"
        ),
    }
    assert_eq!(
        count(&desktop, "#paths svg.chart.paths").await,
        1,
        "the path diagram"
    );
    // Appendix: sample sizes of the three brands, measurement quality with pass/fail, HTMT, versions.
    assert_eq!(count(&desktop, "#appendix").await, 1, "the appendix");
    let appendix = desktop
        .client
        .find(Locator::Css("#appendix"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "Sample sizes",
        "Reliability and validity",
        "HTMT",
        "Questionnaire versions",
    ] {
        assert!(
            appendix.contains(expected),
            "the appendix has “{expected}”:\n{appendix}"
        );
    }
    assert!(
        count(&desktop, "#appendix td.pass, #appendix td.fail").await >= 6 * 3,
        "α, ρC and AVE are judged for every construct"
    );
    desktop.assert_fits("the report at desktop width").await;
    desktop.close().await;

    // Phone: the same page from the cache; it never scrolls sideways (wide tables scroll in their own box).
    let phone = Browser::start(Viewport::PHONE, Javascript::On).await;
    sign_in(&phone, &app, email, password).await;
    let served = Instant::now();
    open_when_ready(
        &phone,
        &app.url(&format!("/reports/{id}/{period}?quick=1&lang=en")),
    )
    .await;
    assert!(
        served.elapsed() < Duration::from_secs(20),
        "the cached report opens at once"
    );
    phone.screenshot("report-phone").await;
    for (n, section) in ["constructs", "paths", "appendix"].iter().enumerate() {
        phone
            .eval(&format!(
                "document.getElementById('{section}').scrollIntoView(); return null;"
            ))
            .await;
        phone.screenshot(&format!("report-phone-{}", n + 2)).await;
    }
    let wide = phone
        .eval("return [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.scroll-x')).slice(0, 5).map(e => e.tagName + '.' + e.className.baseVal + e.className + ' ' + Math.round(e.getBoundingClientRect().right));")
        .await;
    assert_eq!(
        wide,
        serde_json::json!([]),
        "nothing but a scrolling table box is wider than the phone"
    );
    phone.assert_fits("the report at phone width").await;
    phone.close().await;

    // The PDF, from the app's own route (headless Chromium prints the page through a print token).
    let started = Instant::now();
    app.sign_in_as(Role::Viewer).await;
    // The cached page over HTTP (a debug build; the release figure is in the README).
    let cached = Instant::now();
    let (status, html) = app
        .get_html(&format!("/reports/{id}/{period}?quick=1&lang=en"))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"appendix\""),
        "the cached report is served whole"
    );
    eprintln!(
        "cached report page served in {:.1} ms (debug build)",
        cached.elapsed().as_secs_f64() * 1000.0
    );
    let response = app
        .get(&format!(
            "/reports/{id}/{period}/report.pdf?quick=1&lang=en"
        ))
        .await;
    let status = response.status().as_u16();
    let disposition = response
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.bytes().await.expect("the PDF body");
    assert_eq!(
        status,
        200,
        "the PDF route answers: {}",
        String::from_utf8_lossy(&body[..body.len().min(400)])
    );
    assert!(body.starts_with(b"%PDF"), "a PDF");
    assert!(
        disposition.contains(&format!("report-{id}-{period}.pdf")),
        "downloaded under a telling name: {disposition}"
    );
    eprintln!(
        "PDF rendered in {:.1} s ({} bytes)",
        started.elapsed().as_secs_f64(),
        body.len()
    );
    let pdf = artifacts().join("report.pdf");
    std::fs::write(&pdf, &body).expect("save the PDF");
    let pages = pdf_pages(&pdf, &artifacts().join("report-pdf"));
    // The print CSS puts each of the four sheets (headline and trend; constructs and IPMA;
    // path diagram and segments; appendix) on its own A4 page, and each fits on one.
    let sheets = page.matches("<section class=\"sheet\"").count();
    assert_eq!(sheets, 4, "the report has four sheets");
    assert_eq!(pages.len(), sheets, "one A4 page per sheet: {pages:?}");
    for png in &pages {
        let size = imagesize(png);
        // A4 at 60 dpi is 496 × 702 pixels (portrait).
        assert!(
            (490..=500).contains(&size.0) && (698..=706).contains(&size.1),
            "{} is an A4 portrait page: {size:?}",
            png.display()
        );
    }
    // No temporary Chromium profile or PDF is left behind by the route.
    let left = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("yardstick-pdf-")
        })
        .count();
    assert_eq!(left, 0, "the PDF route cleans up its temporary files");
}

/// The width and height of a PNG, from its header.
fn imagesize(png: &Path) -> (u32, u32) {
    let bytes = std::fs::read(png).expect("read a page");
    assert!(bytes.starts_with(b"\x89PNG"), "{} is a PNG", png.display());
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (width, height)
}
