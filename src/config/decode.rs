//! The tree decoded into the raw types, finding every problem in one run.
//!
//! serde stops at the first error, and feeds.yaml users want them all. This module
//! implements a serde `Deserializer` over the tree of `node.rs` and runs it in rounds:
//! a value that cannot be decoded (a type or value error) is reported, marked, and
//! treated as absent in the next round, until a round succeeds. Unknown and repeated
//! keys are reported and skipped in passing. The derived `Deserialize` of the raw
//! structs stays the one declaration of the keys and their types: adding a key is
//! adding a field.
//!
//! Config files are small, so the rounds cost nothing noticeable; [`MAX_FAULTS`]
//! bounds them for hostile input.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

use super::fault::{Fault, FaultKind};
use super::node::{Node, Typed, Value};
use super::spanned::{COLUMN, LINE, Position, SPANNED, VALUE};

/// More problems than anyone fixes in one sitting; the rest show up next time.
pub(super) const MAX_FAULTS: usize = 100;

/// Decodes `root` as `T`: the value (when the root itself could be decoded) and every
/// problem found on the way. Values with problems are left out of the result.
pub(super) fn decode<T: DeserializeOwned>(root: &Node) -> (Option<T>, Vec<Fault>) {
    let rounds = Rounds {
        root,
        poisoned: RefCell::new(HashSet::new()),
        notes: RefCell::new(Vec::new()),
        faults: RefCell::new(Vec::new()),
        exhausted: Cell::new(false),
    };
    let value = loop {
        rounds.notes.borrow_mut().clear();
        match T::deserialize(Decoder {
            node: root,
            rounds: &rounds,
        }) {
            Ok(value) => break Some(value),
            Err(fault) => {
                if rounds.failed(fault, root) {
                    break None;
                }
            }
        }
    };
    let mut faults = rounds.faults.take();
    faults.append(&mut rounds.notes.take());
    (value, faults)
}

/// A value decoded on its own: a problem inside it is retried within it, not by
/// decoding the whole file again, so the cost of a round is one feed, not the file.
/// `None` when the value itself could not be decoded (its problems are reported).
#[derive(Debug)]
pub struct Isolated<T>(pub Option<T>);

/// The struct name the decoder recognises for [`Isolated`].
const ISOLATED: &str = "$scrapefeed::Isolated";

impl<'de, T: DeserializeOwned> de::Deserialize<'de> for Isolated<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Attempts<T>(std::marker::PhantomData<T>);

        impl<'de, T: DeserializeOwned> Visitor<'de> for Attempts<T> {
            type Value = Isolated<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value")
            }

            // The decoder offers the value until an attempt succeeds or it gives up;
            // each failure was reported and its cause left out of the next attempt.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_key::<de::IgnoredAny>()?.is_some() {
                    if let Ok(value) = map.next_value::<T>() {
                        return Ok(Isolated(Some(value)));
                    }
                }
                Ok(Isolated(None))
            }
        }

        deserializer.deserialize_struct(ISOLATED, &[], Attempts(std::marker::PhantomData))
    }
}

/// A "missing key" that is missing only because its value was left out for a problem
/// already reported.
fn is_consequence(fault: &Fault, node: Option<&Node>, poisoned: &HashSet<usize>) -> bool {
    let FaultKind::MissingKey(key) = &fault.kind else {
        return false;
    };
    node.is_some_and(|node| {
        node.entries().iter().any(|(k, v)| {
            k.text() == Some(key) && (poisoned.contains(&k.id) || poisoned.contains(&v.id))
        })
    })
}

/// The keys a struct accepts, as its derived `Deserialize` declares them.
pub(super) fn keys_of<T: DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(KeyProbe) {
        Err(Probe(Some(keys))) => keys,
        _ => &[],
    }
}

/// State shared by one decoding: what is left out, and what was found.
struct Rounds<'a> {
    root: &'a Node,
    /// Nodes whose problem is reported; later attempts treat them as absent.
    poisoned: RefCell<HashSet<usize>>,
    /// Unknown and repeated keys, noticed in passing during the current attempt.
    notes: RefCell<Vec<Fault>>,
    /// Problems that made an attempt fail, in the order found.
    faults: RefCell<Vec<Fault>>,
    /// [`MAX_FAULTS`] were found: the rest of the file is not read.
    exhausted: Cell<bool>,
}

impl Rounds<'_> {
    fn skips(&self, node: &Node) -> bool {
        self.poisoned.borrow().contains(&node.id)
    }

    fn note(&self, node: &Node, kind: FaultKind) {
        self.notes.borrow_mut().push(Fault {
            node: Some(node.id),
            kind,
        });
    }

    /// Records the problem that failed the attempt at decoding `whole`, and leaves its
    /// node out of the next one. Returns whether to give up: `whole` itself failed, or
    /// there are too many problems.
    fn failed(&self, fault: Fault, whole: &Node) -> bool {
        let id = fault.node.unwrap_or(whole.id);
        let mut poisoned = self.poisoned.borrow_mut();
        let mut faults = self.faults.borrow_mut();
        if !is_consequence(&fault, self.root.find(id), &poisoned) {
            faults.push(fault);
        }
        poisoned.insert(id);
        if faults.len() >= MAX_FAULTS {
            self.exhausted.set(true);
        }
        id == whole.id || self.exhausted.get()
    }
}

#[derive(Clone, Copy)]
struct Decoder<'a> {
    node: &'a Node,
    rounds: &'a Rounds<'a>,
}

impl<'a> Decoder<'a> {
    fn at(&self, node: &'a Node) -> Decoder<'a> {
        Decoder {
            node,
            rounds: self.rounds,
        }
    }

    /// Errors raised while decoding this node belong to it, unless a node below
    /// claimed them first.
    fn own<T>(&self, result: Result<T, Fault>) -> Result<T, Fault> {
        result.map_err(|mut fault| {
            fault.node.get_or_insert(self.node.id);
            fault
        })
    }

    /// "expected …": the visitor says what it wanted; the node says what it got.
    fn mismatch<'de, T, V: Visitor<'de>>(&self, visitor: &V) -> Result<T, Fault> {
        Err(Fault {
            node: Some(self.node.id),
            kind: FaultKind::Expected(visitor.to_string_via()),
        })
    }

    fn integer(&self) -> Option<i128> {
        match &self.node.value {
            Value::Scalar(scalar) => match scalar.typed {
                Typed::Int(i) => Some(i),
                // Quotes do not change what a number means in a config file.
                Typed::Text => scalar.text.trim().parse().ok(),
                _ => None,
            },
            _ => None,
        }
    }

    fn entries(&self, known: Option<&'static [&'static str]>) -> Entries<'a> {
        let entries: &'a [(Node, Node)] = match &self.node.value {
            Value::Map(entries) => entries,
            _ => &[],
        };
        Entries {
            decoder: *self,
            entries: entries.iter(),
            known,
            seen: HashMap::new(),
            value: None,
        }
    }
}

/// `Expected` only implements `Display` through a formatter; this is its text.
trait ExpectedText {
    fn to_string_via(&self) -> String;
}

impl<'de, V: Visitor<'de>> ExpectedText for V {
    fn to_string_via(&self) -> String {
        struct Show<'v, V>(&'v V);
        impl<'de, V: Visitor<'de>> fmt::Display for Show<'_, V> {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                self.0.expecting(f)
            }
        }
        Show(self).to_string()
    }
}

impl<'de> de::Deserializer<'de> for Decoder<'_> {
    type Error = Fault;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        let result = match &self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Scalar(scalar) => match scalar.typed {
                Typed::Text => visitor.visit_str(&scalar.text),
                Typed::Bool(b) => visitor.visit_bool(b),
                Typed::Int(i) => match u64::try_from(i) {
                    Ok(u) => visitor.visit_u64(u),
                    Err(_) => match i64::try_from(i) {
                        Ok(i) => visitor.visit_i64(i),
                        Err(_) => visitor.visit_i128(i),
                    },
                },
                Typed::Float(f) => visitor.visit_f64(f),
            },
            Value::List(_) => return self.deserialize_seq(visitor),
            Value::Map(_) => return self.deserialize_map(visitor),
        };
        self.own(result)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        let value = match &self.node.value {
            Value::Scalar(scalar) => match scalar.typed {
                Typed::Bool(b) => Some(b),
                Typed::Text => match scalar.text.trim() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        match value {
            Some(b) => self.own(visitor.visit_bool(b)),
            None => self.mismatch(&visitor),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self.integer() {
            Some(i) => match i64::try_from(i) {
                Ok(i) => self.own(visitor.visit_i64(i)),
                Err(_) => self.own(visitor.visit_i128(i)),
            },
            None => self.mismatch(&visitor),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self.integer() {
            Some(i) => match u64::try_from(i) {
                Ok(u) => self.own(visitor.visit_u64(u)),
                Err(_) => self.own(visitor.visit_i128(i)),
            },
            None => self.mismatch(&visitor),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        let value = match &self.node.value {
            Value::Scalar(scalar) => match scalar.typed {
                Typed::Int(i) => Some(i as f64),
                Typed::Float(f) => Some(f),
                Typed::Text => scalar.text.trim().parse().ok(),
                Typed::Bool(_) => None,
            },
            _ => None,
        };
        match value {
            Some(f) => self.own(visitor.visit_f64(f)),
            None => self.mismatch(&visitor),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self.node.text() {
            Some(text) => self.own(visitor.visit_str(text)),
            None => self.mismatch(&visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self.node.value {
            Value::Null => self.own(visitor.visit_none()),
            _ => self.own(visitor.visit_some(self)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self.node.value {
            Value::Null => self.own(visitor.visit_unit()),
            _ => self.mismatch(&visitor),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Fault> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Fault> {
        self.own(visitor.visit_newtype_struct(self))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        let items: &[Node] = match &self.node.value {
            Value::List(items) => items,
            // An empty value is an empty list.
            Value::Null => &[],
            _ => return self.mismatch(&visitor),
        };
        let items = Items {
            decoder: self,
            items: items.iter(),
        };
        self.own(visitor.visit_seq(items))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Fault> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Fault> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self.node.value {
            // An empty value is an empty mapping.
            Value::Map(_) | Value::Null => self.own(visitor.visit_map(self.entries(None))),
            _ => self.mismatch(&visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fault> {
        if name == ISOLATED {
            let attempts = Attempts {
                decoder: self,
                given_up: false,
            };
            return visitor.visit_map(attempts);
        }
        if name == SPANNED {
            return visitor.visit_map(Located {
                decoder: self,
                step: 0,
            });
        }
        match &self.node.value {
            Value::Map(_) | Value::Null => self.own(visitor.visit_map(self.entries(Some(fields)))),
            // A struct that also has a one-line form (a feed's URL) takes the text.
            Value::Scalar(scalar) => self.own(visitor.visit_str(&scalar.text)),
            Value::List(_) => self.mismatch(&visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fault> {
        match &self.node.value {
            Value::Scalar(scalar) => {
                let variant: de::value::StrDeserializer<'_, Fault> =
                    scalar.text.as_str().into_deserializer();
                self.own(visitor.visit_enum(variant))
            }
            Value::Map(entries) if entries.len() == 1 => self.own(visitor.visit_enum(Variant {
                decoder: self,
                key: &entries[0].0,
                value: &entries[0].1,
            })),
            _ => self.mismatch(&visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        visitor.visit_unit()
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_str(visitor)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_f64(visitor)
    }

    serde::forward_to_deserialize_any! {
        bytes byte_buf
    }
}

/// A mapping's entries, without the ones left out, unknown or repeated.
struct Entries<'a> {
    decoder: Decoder<'a>,
    entries: std::slice::Iter<'a, (Node, Node)>,
    /// The keys a struct accepts; `None` for free-form maps (the feeds).
    known: Option<&'static [&'static str]>,
    /// Keys read so far, with where: a mapping of thousands of feeds stays linear.
    seen: HashMap<&'a str, Position>,
    value: Option<&'a Node>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Fault;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Fault> {
        let rounds = self.decoder.rounds;
        if rounds.exhausted.get() {
            return Ok(None);
        }
        for (key, value) in self.entries.by_ref() {
            if rounds.skips(key) || rounds.skips(value) {
                continue;
            }
            if let Some(text) = key.text() {
                if let Some(first) = self.seen.get(text) {
                    rounds.note(
                        key,
                        FaultKind::DuplicateKey {
                            key: text.to_owned(),
                            first: *first,
                        },
                    );
                    continue;
                }
                self.seen.insert(text, key.at);
                if let Some(known) = self.known
                    && !known.contains(&text)
                {
                    rounds.note(
                        key,
                        FaultKind::UnknownKey {
                            key: text.to_owned(),
                            known: known.to_vec(),
                        },
                    );
                    continue;
                }
            }
            self.value = Some(value);
            return seed.deserialize(self.decoder.at(key)).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Fault> {
        let value = self
            .value
            .take()
            .expect("a value is asked for after its key");
        seed.deserialize(self.decoder.at(value))
    }
}

/// A list's items, without the ones left out.
struct Items<'a> {
    decoder: Decoder<'a>,
    items: std::slice::Iter<'a, Node>,
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Fault;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Fault> {
        let rounds = self.decoder.rounds;
        if rounds.exhausted.get() {
            return Ok(None);
        }
        match self.items.by_ref().find(|item| !rounds.skips(item)) {
            Some(item) => seed.deserialize(self.decoder.at(item)).map(Some),
            None => Ok(None),
        }
    }
}

/// What `Spanned` is told: the node's line, its column, then its value.
struct Located<'a> {
    decoder: Decoder<'a>,
    step: u8,
}

impl<'de> MapAccess<'de> for Located<'_> {
    type Error = Fault;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Fault> {
        let key = match self.step {
            0 => LINE,
            1 => COLUMN,
            2 => VALUE,
            _ => return Ok(None),
        };
        self.step += 1;
        seed.deserialize(de::value::StrDeserializer::<Fault>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Fault> {
        let at = self.decoder.node.at;
        match self.step {
            1 => seed.deserialize(de::value::U64Deserializer::<Fault>::new(at.line)),
            2 => seed.deserialize(de::value::U64Deserializer::<Fault>::new(at.column)),
            _ => seed.deserialize(self.decoder),
        }
    }
}

/// What [`Isolated`] is offered: its node, again after each failure, until an attempt
/// succeeds or the node itself fails.
struct Attempts<'a> {
    decoder: Decoder<'a>,
    given_up: bool,
}

impl<'de> MapAccess<'de> for Attempts<'_> {
    type Error = Fault;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Fault> {
        if self.given_up {
            return Ok(None);
        }
        seed.deserialize(de::value::StrDeserializer::<Fault>::new(VALUE))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Fault> {
        let rounds = self.decoder.rounds;
        let notes = rounds.notes.borrow().len();
        let result = seed.deserialize(self.decoder);
        if let Err(fault) = &result {
            // The notes of a failed attempt are made again by the next one.
            rounds.notes.borrow_mut().truncate(notes);
            self.given_up = rounds.failed(fault.clone(), self.decoder.node);
        }
        result
    }
}

/// An enum written as a one-entry mapping: `variant: value`.
struct Variant<'a> {
    decoder: Decoder<'a>,
    key: &'a Node,
    value: &'a Node,
}

impl<'de, 'a> EnumAccess<'de> for Variant<'a> {
    type Error = Fault;
    type Variant = Decoder<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Decoder<'a>), Fault> {
        let variant = seed.deserialize(self.decoder.at(self.key))?;
        Ok((variant, self.decoder.at(self.value)))
    }
}

impl<'de> VariantAccess<'de> for Decoder<'_> {
    type Error = Fault;

    fn unit_variant(self) -> Result<(), Fault> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Fault> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Fault> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fault> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

/// A deserializer that only answers "which keys?" for a derived struct.
struct KeyProbe;

#[derive(Debug)]
struct Probe(Option<&'static [&'static str]>);

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("key probe")
    }
}

impl std::error::Error for Probe {}

impl de::Error for Probe {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Probe(None)
    }
}

impl<'de> de::Deserializer<'de> for KeyProbe {
    type Error = Probe;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Probe> {
        Err(Probe(None))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Probe> {
        Err(Probe(Some(fields)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}
