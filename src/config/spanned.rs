//! A value from feeds.yaml with the place it was written, so that a check made after
//! decoding (a selector, a URL, a schedule) can still point at its line and column.
//!
//! `Spanned<T>` asks the deserializer for a struct with a private name; the decoder in
//! `decode.rs` answers with the node's position and then its value. Only that decoder
//! knows the name, so `Spanned` works with it alone — which is all feeds.yaml needs.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// The struct name the decoder recognises.
pub(super) const SPANNED: &str = "$scrapefeed::Spanned";
/// The fields it hands over, in this order.
pub(super) const LINE: &str = "line";
pub(super) const COLUMN: &str = "column";
pub(super) const VALUE: &str = "value";

/// A line and column in feeds.yaml, both counted from 1 (0: not from the file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub at: Position,
}

impl<T> Spanned<T> {
    pub fn new(value: T, at: Position) -> Self {
        Spanned { value, at }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SpannedVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for SpannedVisitor<T> {
            type Value = Spanned<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value with its position")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut at = Position::default();
                let mut value = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        LINE => at.line = map.next_value()?,
                        COLUMN => at.column = map.next_value()?,
                        VALUE => value = Some(map.next_value()?),
                        _ => return Err(de::Error::unknown_field(&key, &[LINE, COLUMN, VALUE])),
                    }
                }
                let value = value.ok_or_else(|| de::Error::missing_field(VALUE))?;
                Ok(Spanned { value, at })
            }
        }

        deserializer.deserialize_struct(
            SPANNED,
            &[LINE, COLUMN, VALUE],
            SpannedVisitor(std::marker::PhantomData),
        )
    }
}
