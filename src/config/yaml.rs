//! YAML text → the positioned tree of `node.rs`, with YAML's own errors (syntax,
//! indentation, quoting) turned into plain words and a fix.
//!
//! serde-saphyr reads the YAML (anchors, merge keys, budgets against hostile input);
//! this module only records what it reads. Booleans are strict (`yes` stays text, so
//! the decoder can say "write true or false"), repeated keys are passed through (the
//! decoder reports each one, not just the first), and nesting is limited.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::{ExternalMessageSource, Spanned};

use super::node::{Node, Scalar, Typed, Value};
use super::spanned::Position;

/// Deeper than any feeds.yaml needs (feeds → feed → fields → field → replace is 5).
const MAX_DEPTH: usize = 32;

/// A YAML-level problem: where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SyntaxError {
    pub at: Position,
    pub message: String,
}

/// Reads the document into a tree. An empty document is a null root.
pub(super) fn parse(text: &str) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        with_snippet: false,
        budget: serde_saphyr::budget! { max_depth: MAX_DEPTH },
    };
    if is_blank(text) {
        return Ok(Node {
            id: 0,
            at: Position::default(),
            value: Value::Null,
        });
    }
    let parsed: Spanned<Parsed> = serde_saphyr::from_str_with_options(text, options)
        .map_err(|error| explain(&error, text))?;
    let mut next_id = 0;
    Ok(build(parsed, text, &mut next_id))
}

/// Only blank lines and comments.
fn is_blank(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with('#'))
}

/// What serde-saphyr hands over, before positions are attached to every node.
enum Parsed {
    Null,
    Text(String),
    Bool(bool),
    Int(i128),
    Float(f64),
    List(Vec<Spanned<Parsed>>),
    Map(Vec<(Spanned<Parsed>, Spanned<Parsed>)>),
}

impl<'de> Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnyVisitor;

        impl<'de> Visitor<'de> for AnyVisitor {
            type Value = Parsed;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Parsed, E> {
                Ok(Parsed::Null)
            }
            fn visit_none<E>(self) -> Result<Parsed, E> {
                Ok(Parsed::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Parsed, D::Error> {
                Parsed::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Parsed, E> {
                Ok(Parsed::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Parsed, E> {
                Ok(Parsed::Int(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Parsed, E> {
                Ok(Parsed::Int(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Parsed, E> {
                Ok(Parsed::Int(v))
            }
            fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Parsed, E> {
                Ok(i128::try_from(v).map_or(Parsed::Float(v as f64), Parsed::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Parsed, E> {
                Ok(Parsed::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Parsed, E> {
                Ok(Parsed::Text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Parsed, E> {
                Ok(Parsed::Text(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Parsed::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Parsed::Map(entries))
            }
        }

        deserializer.deserialize_any(AnyVisitor)
    }
}

/// Numbers the nodes and recovers each typed scalar's spelling from the source.
fn build(parsed: Spanned<Parsed>, source: &str, next_id: &mut usize) -> Node {
    let id = *next_id;
    *next_id += 1;
    let at = Position {
        line: parsed.referenced.line(),
        column: parsed.referenced.column(),
    };
    let span = parsed.defined.span();
    let spelling = |fallback: String| {
        span.byte_offset()
            .zip(span.byte_len())
            .and_then(|(start, len)| source.get(start as usize..(start + len) as usize))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map_or(fallback, str::to_owned)
    };
    let scalar = |text, typed| Value::Scalar(Scalar { text, typed });
    let value = match parsed.value {
        Parsed::Null => Value::Null,
        Parsed::Text(text) => scalar(text, Typed::Text),
        Parsed::Bool(b) => scalar(spelling(b.to_string()), Typed::Bool(b)),
        Parsed::Int(i) => scalar(spelling(i.to_string()), Typed::Int(i)),
        Parsed::Float(f) => scalar(spelling(f.to_string()), Typed::Float(f)),
        Parsed::List(items) => Value::List(
            items
                .into_iter()
                .map(|item| build(item, source, next_id))
                .collect(),
        ),
        Parsed::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| {
                    let key = build(key, source, next_id);
                    (key, build(value, source, next_id))
                })
                .collect(),
        ),
    };
    Node { id, at, value }
}

/// A YAML error in plain words, with what to do about it.
fn explain(error: &serde_saphyr::Error, text: &str) -> SyntaxError {
    let error = error.without_snippet();
    let at = error
        .location()
        .map_or_else(Position::default, |at| Position {
            line: at.line(),
            column: at.column(),
        });
    let lines = Lines(text);
    let message = match error {
        serde_saphyr::Error::ExternalMessage { source, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => scan_error(scan.kind(), at, &lines),
            _ => None,
        },
        serde_saphyr::Error::MultipleDocuments { .. } => Some(
            "a second YAML document (after `---`): feeds.yaml holds one; remove the `---` line and merge the parts"
                .into(),
        ),
        serde_saphyr::Error::UnknownAnchor { .. } => Some(
            "this alias (`*name`) refers to an anchor that is not defined above it (`&name`)"
                .into(),
        ),
        serde_saphyr::Error::Budget { breach, .. } => Some(match breach {
            BudgetBreach::Depth { .. } => {
                format!("nested more than {MAX_DEPTH} levels deep: that is not a feeds.yaml")
            }
            BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => {
                "more values than a configuration can have (250,000): split it, or is this the right file?".into()
            }
            _ => "too many anchors, aliases or merges for a configuration".into(),
        }),
        _ => None,
    }
    .unwrap_or_else(|| format!("YAML syntax: {}", first_line(&error.to_string())));
    SyntaxError { at, message }
}

/// The parser's error kinds users actually meet, in their terms.
fn scan_error(kind: &ErrorKind, at: Position, lines: &Lines) -> Option<String> {
    let message = match kind {
        ErrorKind::TabInIndentation | ErrorKind::TabInBlockIndentation | ErrorKind::TabNotAllowed => {
            "a tab in the indentation: YAML indents with spaces only".into()
        }
        ErrorKind::UnclosedQuotedScalar => {
            "this quoted text is never closed: add the closing quote".into()
        }
        ErrorKind::UnclosedFlowCollection { .. } | ErrorKind::UnexpectedEofFlowSequence => {
            "this `[` or `{` is never closed: add the closing `]` or `}`".into()
        }
        ErrorKind::MismatchedFlowCollectionEnd { .. } | ErrorKind::MisplacedFlowCollectionEnd => {
            "a `]` or `}` that closes nothing, or closes the wrong bracket".into()
        }
        ErrorKind::SimpleKeyExpected => lines.missing_colon(at),
        ErrorKind::ExpectedBlockMappingKey => lines.indented_less(at),
        ErrorKind::MappingValueNotAllowed => lines.mapping_value_here(at)?,
        ErrorKind::BlockSequenceEntryNotAllowed | ErrorKind::ExpectedBlockSequenceEntry => {
            "a list item (`- …`) where a `key: value` line was expected: line the `-` up with the other items, or remove it"
                .into()
        }
        ErrorKind::UnknownQuotedScalarEscape => {
            "an unknown `\\` escape inside double quotes: write `\\\\` for a backslash, or use single quotes"
                .into()
        }
        _ => return None,
    };
    Some(message)
}

/// The source, for hints that depend on indentation.
struct Lines<'a>(&'a str);

impl Lines<'_> {
    /// The 1-based line `n`.
    fn line(&self, n: u64) -> &str {
        self.0
            .lines()
            .nth((n as usize).saturating_sub(1))
            .unwrap_or("")
    }

    /// Lines before `n` that hold content, nearest first, with their indentation.
    fn before(&self, n: u64) -> impl Iterator<Item = (usize, &str)> {
        self.0
            .lines()
            .take((n as usize).saturating_sub(1))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .filter(|line| {
                let trimmed = line.trim();
                !trimmed.is_empty() && !trimmed.starts_with('#')
            })
            .map(|line| (indent(line), line.trim()))
    }

    /// A line whose text has no `key:` before it.
    fn missing_colon(&self, at: Position) -> String {
        let line = self.line(at.line).trim();
        format!(
            "`{line}` is not a `key: value` line: add the `:` (e.g. `my-feed: https://example.com/news/`), or indent it under the key it continues"
        )
    }

    /// A line indented less than the mapping it sits in, but more than its parent —
    /// or a list item among `key: value` lines.
    fn indented_less(&self, at: Position) -> String {
        let line = self.line(at.line);
        if line.trim_start().starts_with("- ") {
            return "a list item (`- …`) among `key: value` lines: remove the `- ` (feeds are written `name: URL`, not as a list)".into();
        }
        let own = indent(line);
        let mut deeper = None;
        let mut shallower = None;
        for (indent, text) in self.before(at.line) {
            if indent > own && deeper.is_none() {
                deeper = Some((indent, key_of(text)));
            }
            if indent < own {
                shallower = Some((indent, key_of(text)));
                break;
            }
        }
        match (deeper, shallower) {
            (Some((deep, key)), Some((_, parent))) => format!(
                "this line is indented less than the key above it (`{key}` at {deep} spaces) but more than `{parent}`: indent it by {deep} spaces to continue, or less to end `{parent}`"
            ),
            _ => format!(
                "this line's indentation ({own} spaces) matches no key above it: line it up with the keys it belongs with"
            ),
        }
    }

    /// `mapping values are not allowed here`: either a line indented under a key that
    /// already has a value, or a `: ` inside an unquoted value.
    fn mapping_value_here(&self, at: Position) -> Option<String> {
        let line = self.line(at.line);
        let own = indent(line);
        let value_start = line.find(": ").map(|i| i + 2);
        if let Some(start) = value_start
            && (at.column as usize) > start + 1
        {
            let value = line[start..].trim();
            return Some(format!(
                "a `: ` inside the value `{value}`: put the value in quotes (\"{value}\")"
            ));
        }
        let (above, text) = self.before(at.line).next()?;
        if own > above {
            let key = key_of(text);
            Some(format!(
                "this line is indented more than the key above it (`{key}`, which already has a value): indent it like `{key}` ({above} spaces), or move that value under it"
            ))
        } else {
            None
        }
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `url: https://…` → `url:`; a line without a colon as it is.
fn key_of(text: &str) -> String {
    match text.find(':') {
        Some(i) => format!("{}:", &text[..i]),
        None => text.to_owned(),
    }
}

/// serde-saphyr's text without its own location (the message carries ours).
fn first_line(text: &str) -> String {
    let mut line = text.lines().next().unwrap_or(text).trim();
    line = line.strip_prefix("error: ").unwrap_or(line);
    if let Some(i) = line.find(": ")
        && line[..i].starts_with("line ")
    {
        line = &line[i + 2..];
    }
    if let Some(i) = line.find(" at line ") {
        line = &line[..i];
    }
    line.to_owned()
}

/// The feed whose entry holds `line`, found from the file's indentation (a syntax
/// error stops parsing, so there is no tree to ask).
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
            feed = trimmed.split(':').next().map(|k| {
                let key = k.trim().trim_start_matches("- ").trim();
                key.trim_matches(['"', '\'']).to_owned()
            });
        }
    }
    feed
}
