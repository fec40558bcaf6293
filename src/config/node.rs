//! feeds.yaml as a tree of positioned values: what the YAML says, before any meaning
//! is given to it.
//!
//! The tree is built once (`yaml.rs`) and then decoded into the raw types as many
//! times as it takes to find every problem (`decode.rs`). Scalars keep their spelling
//! as written, so `title: 1.10` stays "1.10" and `max_items: lots` can be quoted back.

use super::spanned::Position;

/// One value in the document.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node {
    /// Unique within one tree (depth-first order); the decoder marks nodes by it.
    pub id: usize,
    pub at: Position,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    /// `~`, `null`, or nothing after the colon.
    Null,
    Scalar(Scalar),
    List(Vec<Node>),
    /// Entries in file order; a repeated key is kept (the decoder reports it).
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Scalar {
    /// The text as written (without quotes), or the string's value.
    pub text: String,
    pub typed: Typed,
}

/// What YAML's core schema makes of a scalar; quoted scalars are always text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Typed {
    Text,
    Bool(bool),
    Int(i128),
    Float(f64),
}

impl Node {
    /// The key → value entries of a mapping (none for any other value).
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// A scalar's text.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(scalar) => Some(&scalar.text),
            _ => None,
        }
    }

    /// How the value reads in a message: `lots`, a list, a mapping, nothing.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Null => "nothing".into(),
            Value::Scalar(scalar) => format!("`{}`", scalar.text),
            Value::List(_) => "a list".into(),
            Value::Map(_) => "a mapping".into(),
        }
    }

    /// The node `id` at or below this one.
    pub fn find(&self, id: usize) -> Option<&Node> {
        if self.id == id {
            return Some(self);
        }
        match &self.value {
            Value::List(items) => items.iter().find_map(|item| item.find(id)),
            Value::Map(entries) => entries
                .iter()
                .find_map(|(key, value)| key.find(id).or_else(|| value.find(id))),
            _ => None,
        }
    }

    /// The keys leading from this node to the node `id`, or `None` if it is not below.
    pub fn path_to(&self, id: usize) -> Option<Vec<Step>> {
        if self.id == id {
            return Some(Vec::new());
        }
        let found = match &self.value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| item.path_to(id).map(|rest| (Step::Index(i), rest))),
            Value::Map(entries) => entries.iter().find_map(|(key, value)| {
                let step = Step::Key(key.text().unwrap_or("?").to_owned());
                if key.id == id {
                    Some((step, Vec::new()))
                } else {
                    value.path_to(id).map(|rest| (step, rest))
                }
            }),
            _ => None,
        };
        found.map(|(step, mut rest)| {
            rest.insert(0, step);
            rest
        })
    }
}

/// One step of a path through the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    Key(String),
    Index(usize),
}

/// Writes a path as `fields.title` or `include[2].regex`.
pub(super) fn dotted(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{}]", i + 1)),
        }
    }
    out
}
