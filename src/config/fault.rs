//! What the decoder found wrong with a value, and how that reads to a user: the key
//! it belongs to, what was expected in plain words ("a whole number", "true or
//! false"), what was found, and a hint for the mistakes people make.

use std::fmt;

use serde::de::{self, Expected, Unexpected};

use super::error::did_you_mean;
use super::node::{Node, Step, Value, dotted};
use super::spanned::Position;

/// One problem, attached to the tree node it is about.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fault {
    /// The node's id; set by the decoder as the error passes the node.
    pub node: Option<usize>,
    pub kind: FaultKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum FaultKind {
    /// The value has the wrong type or form; what the key takes, in words.
    Expected(String),
    /// The value's own complaint (a bad duration, regex, time zone…).
    Message(String),
    UnknownKey {
        key: String,
        known: Vec<&'static str>,
    },
    MissingKey(&'static str),
    DuplicateKey {
        key: String,
        first: Position,
    },
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FaultKind::Expected(expected) => write!(f, "expected {}", plain(expected)),
            FaultKind::Message(message) => f.write_str(message),
            FaultKind::UnknownKey { key, .. } => write!(f, "unknown key `{key}`"),
            FaultKind::MissingKey(key) => write!(f, "missing `{key}`"),
            FaultKind::DuplicateKey { key, .. } => write!(f, "duplicate key `{key}`"),
        }
    }
}

impl std::error::Error for Fault {}

impl de::Error for Fault {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Fault::new(FaultKind::Message(message.to_string()))
    }

    fn invalid_type(_found: Unexpected, expected: &dyn Expected) -> Self {
        Fault::new(FaultKind::Expected(expected.to_string()))
    }

    fn invalid_value(_found: Unexpected, expected: &dyn Expected) -> Self {
        Fault::new(FaultKind::Expected(expected.to_string()))
    }

    fn invalid_length(_len: usize, expected: &dyn Expected) -> Self {
        Fault::new(FaultKind::Expected(expected.to_string()))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let hint = did_you_mean(variant, expected)
            .map_or_else(String::new, |h| format!(" — did you mean `{h}`?"));
        Fault::new(FaultKind::Message(format!(
            "unknown value `{variant}` (use {}){hint}",
            expected.join(", ")
        )))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Fault::new(FaultKind::UnknownKey {
            key: field.to_owned(),
            known: expected.to_vec(),
        })
    }

    fn missing_field(field: &'static str) -> Self {
        Fault::new(FaultKind::MissingKey(field))
    }
}

impl Fault {
    fn new(kind: FaultKind) -> Self {
        Fault { node: None, kind }
    }
}

/// A fault as the user reads it: where, which feed, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Worded {
    pub at: Position,
    pub feed: Option<String>,
    pub message: String,
}

/// Words a fault found while decoding `root`.
pub(super) fn word(fault: &Fault, root: &Node) -> Worded {
    let id = fault.node.unwrap_or(root.id);
    let node = root.find(id).unwrap_or(root);
    let path = root.path_to(id).unwrap_or_default();
    let (feed, within) = match path.as_slice() {
        [Step::Key(feeds), Step::Key(name), rest @ ..] if feeds == "feeds" => {
            (Some(name.clone()), rest.to_vec())
        }
        _ => (None, path.clone()),
    };
    let key = dotted(&within);
    let prefix = if key.is_empty() {
        String::new()
    } else {
        format!("{key}: ")
    };
    let message = match &fault.kind {
        FaultKind::Expected(expected) => {
            let expected = plain(expected);
            let hint = hint(&path, node, &expected);
            if path.is_empty() {
                format!(
                    "the file must be a mapping with `settings:` and `feeds:`, not {}",
                    node.describe()
                )
            } else if node.value == Value::Null {
                format!("{prefix}no value given (expected {expected}){hint}")
            } else {
                format!("{prefix}expected {expected}, not {}{hint}", node.describe())
            }
        }
        FaultKind::Message(message) => format!("{prefix}{message}"),
        FaultKind::UnknownKey { key, known } => {
            let parent = dotted(&within[..within.len().saturating_sub(1)]);
            let place = match (parent.is_empty(), &feed) {
                (false, _) => format!(" in `{parent}`"),
                (true, Some(_)) => String::new(),
                (true, None) => " at the top level".into(),
            };
            let mut message = format!("unknown key `{key}`{place}");
            if let Some(hint) = did_you_mean(key, known) {
                message.push_str(&format!(" — did you mean `{hint}`?"));
            } else if !known.is_empty() {
                message.push_str(&format!(" (expected one of: {})", known.join(", ")));
            }
            message
        }
        FaultKind::MissingKey(missing) => format!("{prefix}missing `{missing}`"),
        FaultKind::DuplicateKey { key, first } => match path.as_slice() {
            [Step::Key(feeds), Step::Key(_)] if feeds == "feeds" => {
                format!(
                    "duplicate feed name: `{key}` is already defined at line {}",
                    first.line
                )
            }
            _ => format!(
                "duplicate key `{key}`: already given at line {}; each key may appear once",
                first.line
            ),
        },
    };
    Worded {
        at: node.at,
        feed,
        message,
    }
}

/// serde's names for what a visitor wanted, in the words of a config file.
fn plain(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" => "true or false",
        "a string" | "a borrowed string" | "a character" => "text",
        "a sequence" => "a list",
        "a map" => "a mapping",
        "unit" => "nothing",
        other => other,
    }
    .to_owned()
}

/// A fix for the shape mistakes people make.
fn hint(path: &[Step], node: &Node, expected: &str) -> String {
    let in_feeds = matches!(path, [Step::Key(feeds)] if feeds == "feeds");
    match &node.value {
        Value::List(_) if in_feeds => {
            ": write each feed as `name: URL` (or `name:` with its keys indented below it), without a leading `- `".into()
        }
        Value::Scalar(scalar) if expected == "a list" || expected.starts_with("a list ") => {
            format!(" (for a list of one, write [{}])", scalar.text)
        }
        _ => String::new(),
    }
}
