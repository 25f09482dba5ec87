//! Designer forms: read submitted fields into model parts, with a message next to each bad field.

use crate::domain::model_edit::{ConstructHead, field_of};
use crate::domain::{
    Dimension, Indicator, Lang, ModelIssue, OuterMode, Path, Scale, ScaleKind, Text,
};
use std::collections::BTreeMap;

/// Messages by form field name, in the reader's language.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// The submitted fields of a form, in order (a checkbox or multi-select may repeat a name).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, trimmed; "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }

    pub fn has(&self, name: &str) -> bool {
        self.0
            .iter()
            .any(|(k, v)| k == name && !v.trim().is_empty())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .collect()
    }

    /// The current echo of the form, to show the values back after a refusal.
    pub fn echo(&self) -> BTreeMap<String, String> {
        let mut echo = BTreeMap::new();
        for (k, v) in &self.0 {
            if k != "csrf" {
                echo.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        echo
    }
}

fn add(errors: &mut FieldErrors, field: &str, message: String) {
    errors.entry(field.to_owned()).or_default().push(message);
}

/// Puts each model issue next to its field (or under `form`).
pub fn issue_errors(issues: &[ModelIssue], lang: Lang) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for issue in issues {
        add(
            &mut errors,
            &field_of(issue),
            crate::i18n::format(lang, &issue.problem.message()),
        );
    }
    errors
}

fn text_pair(fields: &Fields, prefix: &str) -> Text {
    let mut text = Text::default();
    text.set(
        Lang::ZhCn,
        Some(fields.get(&format!("{prefix}_zh")).to_owned()),
    );
    text.set(
        Lang::En,
        Some(fields.get(&format!("{prefix}_en")).to_owned()),
    );
    text
}

/// An optional expert weight: empty is none; otherwise a finite number ≥ 0.
pub fn weight(value: &str, field: &str, lang: Lang, errors: &mut FieldErrors) -> Option<f64> {
    if value.is_empty() {
        return None;
    }
    match value.replace(',', ".").parse::<f64>() {
        Ok(w) if w.is_finite() && w >= 0.0 => Some(w),
        _ => {
            let message =
                crate::i18n::t_with(lang, "design.form.bad_weight", &[("value", value.into())]);
            add(errors, field, message);
            None
        }
    }
}

fn required_code(fields: &Fields, lang: Lang, errors: &mut FieldErrors) -> String {
    let code = fields.get("code").to_owned();
    if code.is_empty() {
        add(
            errors,
            "code",
            crate::i18n::t(lang, "design.form.code_required").into(),
        );
    }
    code
}

/// The construct form: code, names, outer mode, weight.
pub fn construct(fields: &Fields, lang: Lang) -> Result<ConstructHead, FieldErrors> {
    let mut errors = FieldErrors::new();
    let code = required_code(fields, lang, &mut errors);
    let mode = match fields.get("mode") {
        "formative" => OuterMode::Formative,
        _ => OuterMode::Reflective,
    };
    let weight = weight(fields.get("weight"), "weight", lang, &mut errors);
    if errors.is_empty() {
        Ok(ConstructHead {
            code,
            name: text_pair(fields, "name"),
            mode,
            weight,
        })
    } else {
        Err(errors)
    }
}

/// The dimension form: code and names.
pub fn dimension(fields: &Fields, lang: Lang) -> Result<Dimension, FieldErrors> {
    let mut errors = FieldErrors::new();
    let code = required_code(fields, lang, &mut errors);
    if errors.is_empty() {
        Ok(Dimension {
            code,
            name: text_pair(fields, "name"),
        })
    } else {
        Err(errors)
    }
}

/// The scale choices of the indicator form.
pub const SCALE_CHOICES: [&str; 5] = ["likert5", "likert7", "likert10", "nps", "yes_no"];

/// The form value for a scale.
pub fn scale_choice(scale: &Scale) -> &'static str {
    match (scale.kind(), scale.points()) {
        (ScaleKind::Likert, 5) => "likert5",
        (ScaleKind::Likert, 7) => "likert7",
        (ScaleKind::Likert, _) => "likert10",
        (ScaleKind::Nps, _) => "nps",
        (ScaleKind::YesNo, _) => "yes_no",
    }
}

fn lines(value: &str) -> Vec<&str> {
    value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// The indicator form: code, texts, scale with end labels and optional point labels, options, weight.
/// Returns the indicator and the construct it goes to.
pub fn indicator(fields: &Fields, lang: Lang) -> Result<(String, Indicator), FieldErrors> {
    let mut errors = FieldErrors::new();
    let code = required_code(fields, lang, &mut errors);
    let construct = fields.get("construct").to_owned();
    if construct.is_empty() {
        add(
            &mut errors,
            "construct",
            crate::i18n::t(lang, "design.form.construct_required").into(),
        );
    }
    let (kind, points) = match fields.get("scale") {
        "likert5" => (ScaleKind::Likert, Some(5)),
        "likert7" => (ScaleKind::Likert, Some(7)),
        "likert10" => (ScaleKind::Likert, Some(10)),
        "nps" => (ScaleKind::Nps, None),
        "yes_no" => (ScaleKind::YesNo, None),
        other => {
            let message = crate::i18n::t_with(
                lang,
                "design.form.unknown_scale",
                &[("scale", other.into())],
            );
            add(&mut errors, "scale", message);
            (ScaleKind::Likert, Some(5))
        }
    };
    let labels_zh = lines(fields.get("labels_zh"));
    let labels_en = lines(fields.get("labels_en"));
    let count = usize::from(match kind {
        ScaleKind::Likert => points.unwrap_or(5),
        ScaleKind::Nps => 11,
        ScaleKind::YesNo => 2,
    });
    let mut labels = Vec::new();
    if !labels_zh.is_empty() || !labels_en.is_empty() {
        for (field, given) in [("labels_zh", &labels_zh), ("labels_en", &labels_en)] {
            if given.len() != count {
                let message = crate::i18n::t_with(
                    lang,
                    "design.form.labels_count",
                    &[
                        ("count", count.to_string()),
                        ("given", given.len().to_string()),
                    ],
                );
                add(&mut errors, field, message);
            }
        }
        if labels_zh.len() == count && labels_en.len() == count {
            labels = labels_zh
                .iter()
                .zip(&labels_en)
                .map(|(z, e)| Text::new(z, e))
                .collect();
        }
    }
    let weight = weight(fields.get("weight"), "weight", lang, &mut errors);
    let dimension = Some(fields.get("dimension").to_owned()).filter(|d| !d.is_empty());
    if !errors.is_empty() {
        return Err(errors);
    }
    let scale = Scale::new(
        kind,
        points,
        text_pair(fields, "low"),
        text_pair(fields, "high"),
        labels,
    )
    .map_err(|message| {
        let mut errors = FieldErrors::new();
        add(&mut errors, "scale", message);
        errors
    })?;
    Ok((
        construct,
        Indicator {
            code,
            text: text_pair(fields, "text"),
            scale,
            dont_know: fields.has("dont_know"),
            reverse: fields.has("reverse"),
            dimension,
            expert_weight: weight,
        },
    ))
}

/// The path form: two construct codes.
pub fn path(fields: &Fields, lang: Lang) -> Result<Path, FieldErrors> {
    let (from, to) = (fields.get("from"), fields.get("to"));
    if from.is_empty() || to.is_empty() {
        let mut errors = FieldErrors::new();
        add(
            &mut errors,
            "path",
            crate::i18n::t(lang, "design.form.path_ends").into(),
        );
        return Err(errors);
    }
    Ok(Path {
        from: from.to_owned(),
        to: to.to_owned(),
    })
}

/// The model information form: code, names, description, languages.
pub fn info(fields: &Fields, lang: Lang) -> Result<(String, Text, Text, Vec<Lang>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let code = required_code(fields, lang, &mut errors);
    let languages: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| fields.all("languages").contains(&l.key()))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((
        code,
        text_pair(fields, "name"),
        text_pair(fields, "description"),
        languages,
    ))
}
