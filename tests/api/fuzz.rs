//! Property-based fuzzing of the parsers that read outside input: survey submissions, model files and contact CSVs.
//!
//! CI runs a few hundred cases each; a long run sets the count, e.g.
//! `PROPTEST_CASES=1000000 cargo test --test api fuzz:: -- --test-threads=3`.

use proptest::prelude::*;
use std::collections::HashMap;
use yardstick::domain::answer::parse_answers;
use yardstick::domain::contact_import::{Format, parse as parse_contacts};
use yardstick::domain::{Model, parse_model, to_model_file};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

fn acsi() -> Model {
    yardstick::catalog::load("acsi.toml")
        .expect("shipped")
        .expect("valid")
}

const TEMPLATES: [&str; 5] = [
    include_str!("../../survey-templates/acsi.toml"),
    include_str!("../../survey-templates/ecsi.toml"),
    include_str!("../../survey-templates/ccsi.toml"),
    include_str!("../../survey-templates/retail-dairy.toml"),
    include_str!("../../survey-templates/service-servqual.toml"),
];

/// A field name: an item of the model, an unknown item, or anything at all.
fn field_name(codes: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(codes).prop_map(|c| format!("q_{c}")),
        1 => "q_[A-Za-z0-9_<>\"']{0,8}",
        1 => any::<String>(),
    ]
}

/// A field value: a number, in or out of scale, "don't know", blank, or anything at all.
fn field_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (-3i64..14).prop_map(|n| n.to_string()),
        1 => Just("dk".to_owned()),
        1 => Just(" ".to_owned()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<String>(),
    ]
}

/// A model file with random edits: bytes replaced, lines dropped or doubled, text cut short.
fn mutated_template() -> impl Strategy<Value = String> {
    (
        0..TEMPLATES.len(),
        proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 0..6),
    )
        .prop_map(|(i, edits)| {
            let mut lines: Vec<String> = TEMPLATES[i].lines().map(str::to_owned).collect();
            for (at, kind, c) in edits {
                if lines.is_empty() {
                    break;
                }
                let line = at.index(lines.len());
                match kind {
                    0 => {
                        lines.remove(line);
                    }
                    1 => {
                        let copy = lines[line].clone();
                        lines.insert(line, copy);
                    }
                    2 => {
                        let chars: Vec<char> = lines[line].chars().collect();
                        if !chars.is_empty() {
                            let k = at.index(chars.len());
                            lines[line] = chars[..k]
                                .iter()
                                .chain(std::iter::once(&c))
                                .chain(&chars[k + 1..])
                                .collect();
                        }
                    }
                    _ => lines.truncate(line),
                }
            }
            lines.join("\n")
        })
}

fn csv_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => "[a-z]{1,8}@[a-z]{1,6}\\.(com|cn|test)",
        1 => Just("zh-CN".to_owned()),
        1 => "[ABCZ]",
        1 => "(potential|new|existing|lost|other)",
        1 => "\"[^\"]{0,10}\"",
        1 => any::<String>(),
    ]
}

fn csv_file() -> impl Strategy<Value = Vec<u8>> {
    let header = proptest::sample::subsequence(
        vec![
            "email",
            "name",
            "language",
            "brand",
            "region",
            "customer_class",
            "lifecycle_stage",
            "attr:tier",
            "bogus",
        ],
        0..9,
    );
    (
        header,
        proptest::collection::vec(proptest::collection::vec(csv_cell(), 0..10), 0..20),
        any::<bool>(),
        proptest::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(header, rows, bom, noise)| {
            let mut text = if bom {
                "\u{feff}".to_owned()
            } else {
                String::new()
            };
            text.push_str(&header.join(","));
            for row in rows {
                text.push('\n');
                text.push_str(&row.join(","));
            }
            let mut bytes = text.into_bytes();
            if noise.len() > 30 {
                bytes.extend(noise);
            }
            bytes
        })
}

#[test]
fn survey_submissions_never_panic_and_either_every_item_is_valid_or_errors_are_named() {
    let model = acsi();
    let codes: Vec<String> = model.indicators().map(|(_, i)| i.code.clone()).collect();
    let expected: Vec<&str> = codes.iter().map(String::as_str).collect();
    let fields = proptest::collection::vec((field_name(codes.clone()), field_value()), 0..40);
    proptest!(ProptestConfig::with_cases(cases()), |(fields in fields)| {
        match parse_answers(&model, &expected, &fields) {
            Ok(answers) => {
                prop_assert_eq!(answers.len(), expected.len());
                for (answer, code) in answers.iter().zip(&expected) {
                    prop_assert_eq!(&answer.indicator, code);
                    let indicator = model.indicator(code).unwrap();
                    match answer.value {
                        Some(v) => prop_assert!(indicator.scale.contains(v)),
                        None => prop_assert!(indicator.dont_know),
                    }
                }
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    });
}

#[test]
fn model_files_never_panic_and_what_parses_round_trips() {
    let source = prop_oneof![4 => mutated_template(), 1 => any::<String>()];
    proptest!(ProptestConfig::with_cases(cases()), |(text in source)| {
        if let Ok(model) = parse_model("fuzz.toml", &text) {
            let again = parse_model("again.toml", &to_model_file(&model));
            prop_assert!(again.is_ok(), "a parsed model writes a file that parses: {:?}", again.err());
            prop_assert_eq!(again.unwrap(), model);
        }
    });
}

#[test]
fn contact_csv_files_never_panic_and_each_row_is_accepted_or_named() {
    let brands: HashMap<String, i32> = [("milk".to_owned(), 1)].into_iter().collect();
    proptest!(ProptestConfig::with_cases(cases()), |(bytes in csv_file())| {
        if let Ok(plan) = parse_contacts(&bytes, Format::Csv, &brands) {
            for contact in &plan.contacts {
                prop_assert!(contact.email.contains('@'));
                prop_assert_eq!(contact.email.to_lowercase(), contact.email.clone());
            }
        }
    });
}
