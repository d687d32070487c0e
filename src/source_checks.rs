//! Checks over the app's own source text: mistakes the compiler takes for valid code.

use std::path::Path;

/// Every `.rs` file under `src/`: (path, text).
pub fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, found: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path.display().to_string(), text));
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(found.len() > 20, "found the app's sources");
    found
}

/// In `view!`, `disabled=current >= pages` ends the tag at `>`: the rest becomes the button's
/// text and the attribute is always true (the staff desk's pager showed program text as its
/// label). An attribute's value written bare (no braces, closure or parentheses) followed by a
/// comparison is that mistake. Rust code written by rustfmt has spaces around `=`, so it never
/// matches.
#[test]
fn no_comparison_in_a_bare_view_attribute() {
    let mut found = Vec::new();
    // This file shows the mistake on purpose.
    for (path, text) in sources()
        .into_iter()
        .filter(|(p, _)| !p.ends_with("source_checks.rs"))
    {
        for (n, line) in text.lines().enumerate() {
            if bare_comparison(line) {
                found.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "wrap the value in braces or a closure:\n{}",
        found.join("\n")
    );
}

/// `name=value <op> ...` with `=` glued to both sides and `value` a bare path or identifier.
fn bare_comparison(line: &str) -> bool {
    let bytes = line.as_bytes();
    (1..bytes.len()).any(|i| {
        let before = bytes[i - 1];
        if bytes[i] != b'=' || !(before.is_ascii_alphanumeric() || before == b'_' || before == b'-')
        {
            return false;
        }
        let rest = &line[i + 1..];
        let value: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        if value.is_empty() || !value.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return false;
        }
        let gap = &rest[value.len()..];
        let after = gap.trim_start();
        // `value>` closes the tag; `value >= x` (a space first) is the mistake.
        gap.len() > after.len()
            && (after.starts_with('<') || after.starts_with('>'))
            && !after.starts_with("=>")
    })
}

#[test]
fn the_check_finds_the_mistake_and_passes_code() {
    assert!(bare_comparison(
        r#"<button disabled=current >= pages on:click=x>"#
    ));
    assert!(bare_comparison(r#"<button disabled=current <= 1"#));
    assert!(!bare_comparison(
        r#"<button disabled=move || current >= pages>"#
    ));
    assert!(!bare_comparison(r#"<button disabled={current >= pages}>"#));
    assert!(!bare_comparison("let last = current >= pages;"));
    assert!(!bare_comparison("<input value=name/>"));
    assert!(!bare_comparison("<input value=name />"));
    assert!(!bare_comparison(
        "<button on:click=show_in_store>{label}</button>"
    ));
}
