//! `yardstick analyze` on the ECSI satisfaction data reproduces the published standardised path-scheme results.

use std::process::Command;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/ecsi-satisfaction"
);

fn analyze(extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args([
            "analyze",
            "--model",
            &format!("{FIXTURES}/ecsi-model.toml"),
            "--data",
            &format!("{FIXTURES}/satisfaction.csv"),
        ])
        .args(extra)
        .output()
        .expect("the binary runs")
}

#[test]
fn json_output_matches_the_reference_paths_and_r_squared() {
    let output = analyze(&["--format", "json", "--bootstrap", "200", "--seed", "7"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    assert_eq!(json["n"], 250);
    assert_eq!(json["converged"], true);
    // ../shared/data/ecsi-satisfaction/README.md: standardised indicators, path scheme (4 decimals given).
    let expected = [
        ("IMAG", "EXPE", 0.5597),
        ("EXPE", "QUAL", 0.8456),
        ("EXPE", "VAL", 0.1175),
        ("QUAL", "VAL", 0.6601),
        ("IMAG", "SAT", 0.1856),
        ("EXPE", "SAT", 0.0085),
        ("QUAL", "SAT", 0.1376),
        ("VAL", "SAT", 0.5800),
        ("IMAG", "LOY", 0.2892),
        ("SAT", "LOY", 0.4737),
    ];
    let paths = json["paths"].as_array().unwrap();
    assert_eq!(paths.len(), expected.len());
    for (from, to, coefficient) in expected {
        let path = paths
            .iter()
            .find(|p| p["from"] == from && p["to"] == to)
            .unwrap_or_else(|| panic!("{from} -> {to}"));
        let got = path["coefficient"].as_f64().unwrap();
        assert!(
            (got - coefficient).abs() < 6e-5,
            "{from} -> {to}: {got} vs {coefficient}"
        );
    }
    for (code, r2) in [
        ("EXPE", 0.3132),
        ("QUAL", 0.7150),
        ("VAL", 0.5807),
        ("SAT", 0.7023),
        ("LOY", 0.4936),
    ] {
        let construct = json["constructs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap();
        assert!(
            (construct["r_squared"].as_f64().unwrap() - r2).abs() < 6e-5,
            "{code}"
        );
    }
    let imag = json["constructs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "IMAG")
        .unwrap();
    assert!(
        imag["r_squared"].is_null(),
        "an exogenous construct has no R²"
    );
    let boot = &json["bootstrap"];
    assert_eq!(boot["resamples"], 200);
    assert_eq!(boot["seed"], 7);
    let sat_index = boot["index"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["construct"] == "SAT")
        .unwrap();
    let point = json["constructs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "SAT")
        .unwrap()["index"]
        .as_f64()
        .unwrap();
    assert!(
        sat_index["ci_low"].as_f64().unwrap() < point
            && point < sat_index["ci_high"].as_f64().unwrap()
    );
    assert_eq!(
        json["ipma"].as_array().unwrap().len(),
        4,
        "IMAG, EXPE, QUAL and VAL: every predecessor of SAT, direct or indirect"
    );
    assert_eq!(json["htmt"].as_array().unwrap().len(), 15);
}

#[test]
fn text_output_is_a_readable_report_and_bad_input_is_named() {
    let output = analyze(&["--scheme", "centroid", "--unscaled"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("PLS path model: n = 250"));
    assert!(text.contains("SAT -> LOY"));
    assert!(text.contains("Importance–performance map (target SAT)"));

    let dir = std::env::temp_dir().join(format!("ys-analyze-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    let source = std::fs::read_to_string(format!("{FIXTURES}/satisfaction.csv")).unwrap();
    let broken = source.replacen(",8,8,9,5,6,", ",8,8,19,5,6,", 1);
    std::fs::write(&bad, broken).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args([
            "analyze",
            "--model",
            &format!("{FIXTURES}/ecsi-model.toml"),
            "--data",
            bad.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("row 2, column imag3: 19 is outside the scale 0–10"),
        "{stderr}"
    );
}
