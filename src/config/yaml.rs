//! YAML-level errors (syntax, unknown keys, duplicates) turned into located,
//! readable messages: the file, line and column, the feed, and a did-you-mean hint.

use std::path::Path;

use super::error::{ConfigError, Location, did_you_mean};

/// Turns a YAML/serde error into a located message, with a hint for unknown keys.
pub(super) fn yaml_error(error: &serde_saphyr::Error, path: &Path) -> ConfigError {
    let location = error
        .location()
        .map_or_else(|| Location::new(path, 0, 0), |at| Location::of(path, &at));
    let message = match error.without_snippet() {
        serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let mut message = format!("unknown key `{field}`");
            if let Some(hint) = did_you_mean(field, expected) {
                message.push_str(&format!(" — did you mean `{hint}`?"));
            } else if !expected.is_empty() {
                message.push_str(&format!(" (expected one of: {})", expected.join(", ")));
            }
            message
        }
        other => first_line(&other.to_string()),
    };
    ConfigError {
        location,
        feed: None,
        message,
    }
}

/// serde-saphyr renders a source snippet after the first line; messages keep the first.
fn first_line(text: &str) -> String {
    let mut line = text.lines().next().unwrap_or(text).trim();
    line = line.strip_prefix("error: ").unwrap_or(line);
    // Drop a leading "line X column Y: " that repeats our own location prefix.
    if let Some(i) = line.find(": ")
        && line[..i].starts_with("line ")
        && line[..i].chars().any(|c| c.is_ascii_digit())
    {
        line = &line[i + 2..];
    }
    match line.strip_prefix("duplicate mapping key: ") {
        Some(rest) => {
            let key = rest
                .split(", set DuplicateKeyPolicy")
                .next()
                .unwrap_or(rest);
            format!("duplicate key `{key}`: each name may appear only once in a mapping")
        }
        None => line.to_owned(),
    }
}

/// The feed whose entry holds `line`, found from the file's indentation (a YAML error
/// stops parsing, so the parsed map is not there to ask).
pub(super) fn feed_at_line(text: &str, line: u64) -> Option<String> {
    let mut in_feeds = false;
    let mut feed_indent = None;
    let mut feed = None;
    for (number, content) in text.lines().enumerate() {
        if number as u64 >= line {
            break;
        }
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = content.len() - trimmed.len();
        if indent == 0 {
            in_feeds = trimmed.starts_with("feeds:");
            feed = None;
            continue;
        }
        if in_feeds && *feed_indent.get_or_insert(indent) == indent {
            feed = trimmed
                .split(':')
                .next()
                .map(|k| k.trim().trim_matches(['"', '\'']).to_owned());
        }
    }
    feed
}
