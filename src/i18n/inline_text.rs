//! A test that no interface text is written inline in code or web templates: it belongs in `src/locales/`.

use std::fs;
use std::path::{Path, PathBuf};

/// Code directories whose interface strings must come from the catalogue.
const CODE_DIRS: &[&str] = &["src/web", "src/domain", "src/mail", "src/jobs"];

/// Template directories scanned for Chinese text.
const TEMPLATE_DIRS: &[&str] = &["src/web/templates", "src/mail/templates"];

/// The per-language email templates are whole-file translations (one directory per language,
/// chosen by the recipient's language), so Chinese text in them is expected.
const TRANSLATED_TEMPLATE_DIRS: &[&str] = &["src/mail/templates/zh-CN/"];

/// A code line ending in this comment may hold Chinese text that is not interface text
/// (column-name aliases read from uploaded files, a language's own name); the comment says why.
const EXEMPT: &str = "// i18n-exempt:";

/// Words that may stand in a template's text nodes as they are, compared without surrounding
/// punctuation: the product's name; `URL`; the honeypot field's label `Website` (hidden from
/// people, read by bots, so it stays English); `v` before a version number and `n` for a count;
/// the statistics' symbols (ρC, AVE, R², HTMT, λmax, CI, CR), which reports print as they are;
/// and file names beside an instruction (`openapi.json`, `.toml`).
const ALLOWED_WORDS: &[&str] = &[
    "Yardstick",
    "URL",
    "Website",
    "v",
    "n",
    "ρC",
    "AVE",
    "R²",
    "HTMT",
    "λmax",
    "CI",
    "CR",
    "openapi.json",
    "toml",
];

fn files(dir: &str, out: &mut Vec<PathBuf>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let Ok(entries) = fs::read_dir(&root) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            let sub = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
            files(&sub.to_string_lossy(), out);
        } else {
            out.push(path);
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `source` with comments blanked out (newlines kept, so line numbers stay), reading string
/// and character literals so that `//` inside them is not taken for a comment.
fn without_comments(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('"' | '#')) && !ident_before(&chars, i) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            let start = i + 1 + hashes;
            if chars.get(start) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let closing: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let mut j = start + 1;
            while j < chars.len() && !chars[j..].starts_with(&closing) {
                j += 1;
            }
            let end = (j + closing.len()).min(chars.len());
            out.extend(&chars[i..end]);
            i = end;
        } else if c == '"' {
            out.push(c);
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    out.push(chars[i]);
                    i += 1;
                }
                out.push(chars[i]);
                i += 1;
            }
            if i < chars.len() {
                out.push('"');
                i += 1;
            }
        } else if c == '\'' && (chars.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            let end = chars[i + 1..]
                .iter()
                .skip(1)
                .position(|&q| q == '\'')
                .map_or(chars.len(), |p| i + p + 3);
            out.extend(&chars[i..end]);
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// The lines of a Rust file outside `#[cfg(test)]` blocks, with their numbers.
fn code_lines(source: &str) -> Vec<(usize, &str, String)> {
    let stripped = without_comments(source);
    let mut lines = Vec::new();
    let mut in_test = false;
    for (n, (original, code)) in source.lines().zip(stripped.lines()).enumerate() {
        if original.trim_end() == "#[cfg(test)]" && !original.starts_with(' ') {
            in_test = true;
        } else if in_test && original == "}" {
            in_test = false;
        } else if !in_test {
            lines.push((n + 1, original, code.to_owned()));
        }
    }
    lines
}

/// Template text with `{# … #}`, `{{ … }}` and `{% … %}` blanked out, newlines kept.
fn without_template_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let close = match rest[open..].chars().nth(1) {
            Some('#') => "#}",
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
                continue;
            }
        };
        out.push_str(&rest[..open]);
        let end = rest[open..]
            .find(close)
            .map_or(rest.len(), |e| open + e + 2);
        out.extend(
            rest[open..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The text nodes of an HTML template with the line each starts on: what lies between tags,
/// leaving out `<script>` and `<style>` bodies and character references such as `&nbsp;`.
fn text_nodes(html: &str) -> Vec<(usize, String)> {
    let mut nodes = Vec::new();
    let mut line = 1;
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while !rest.is_empty() {
        let lt = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..lt];
        if skip_until.is_none() {
            nodes.push((line, text.to_owned()));
        }
        line += text.matches('\n').count();
        rest = &rest[lt..];
        let gt = rest.find('>').map_or(rest.len(), |g| g + 1);
        let tag = rest[..gt].to_ascii_lowercase();
        line += tag.matches('\n').count();
        match skip_until {
            Some(end) if tag.starts_with(end) => skip_until = None,
            None if tag.starts_with("<script") => skip_until = Some("</script"),
            None if tag.starts_with("<style") => skip_until = Some("</style"),
            // Code samples (header names, file columns) are the same in every language.
            None if tag.starts_with("<code") => skip_until = Some("</code"),
            _ => {}
        }
        rest = &rest[gt..];
    }
    nodes
        .into_iter()
        .map(|(line, text)| {
            let mut words = String::new();
            for word in text.split_whitespace() {
                let word = strip_references(word);
                if word.chars().any(|c| c.is_ascii_alphabetic())
                    && !ALLOWED_WORDS.contains(&word.trim_matches(|c: char| !c.is_alphanumeric()))
                {
                    words.push_str(&word);
                    words.push(' ');
                }
            }
            let leading = &text[..text.len() - text.trim_start().len()];
            (line + leading.matches('\n').count(), words)
        })
        // A macro that writes attributes into its caller's tag is not text.
        .filter(|(_, words)| !words.is_empty() && !words.contains("=\""))
        .collect()
}

fn strip_references(word: &str) -> String {
    let mut out = String::new();
    let mut rest = word;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        match rest[amp..].find(';') {
            Some(semi)
                if rest[amp + 1..amp + semi]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '#') =>
            {
                rest = &rest[amp + semi + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[amp + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn interface_text_lives_in_the_catalogue() {
    let mut found = Vec::new();
    let mut code = Vec::new();
    for dir in CODE_DIRS {
        files(dir, &mut code);
    }
    // A module of its own named `tests.rs` is test code, like a `#[cfg(test)]` block.
    for path in code
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| p.file_name().is_none_or(|n| n != "tests.rs"))
    {
        let source = fs::read_to_string(path).unwrap();
        for (n, original, line) in code_lines(&source) {
            if line.chars().any(is_cjk) && !original.contains(EXEMPT) {
                found.push(format!(
                    "{}:{n}: Chinese text in code: {}",
                    relative(path),
                    original.trim()
                ));
            }
        }
    }
    let mut templates = Vec::new();
    for dir in TEMPLATE_DIRS {
        files(dir, &mut templates);
    }
    for path in templates
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e != "rs"))
    {
        let name = relative(path);
        let source = fs::read_to_string(path).unwrap();
        let text = without_template_code(&source);
        if !TRANSLATED_TEMPLATE_DIRS.iter().any(|d| name.starts_with(d)) {
            for (n, line) in text.lines().enumerate() {
                if line.chars().any(is_cjk) {
                    found.push(format!(
                        "{name}:{}: Chinese text in a template: {}",
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
        if name.starts_with("src/web/templates/") && name.ends_with(".html") {
            for (n, words) in text_nodes(&text) {
                found.push(format!(
                    "{name}:{n}: English text in a template: {}",
                    words.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "interface text outside src/locales/ (use t(\"key\") or i18n::t):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scanner_sees_through_comments_and_literals() {
    let source = "let a = \"http://x\"; // 注释\nlet b = \"中\"; /* 块\n注释 */ let c = '中';\n";
    let stripped = without_comments(source);
    assert!(stripped.contains("http://x"));
    assert!(!stripped.contains("注释"));
    assert!(!stripped.contains('块'));
    assert_eq!(stripped.lines().count(), source.lines().count());
    let html = "<p>{{ t(\"a\") }}</p>\n<p>Save &amp; close</p><script>let x = 1;</script>";
    let nodes = text_nodes(&without_template_code(html));
    assert_eq!(nodes, vec![(2, "Save close ".to_owned())]);
}
