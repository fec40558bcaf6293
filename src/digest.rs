//! The crate's one digest: stable across runs, platforms, Rust versions and releases,
//! because what is stored (a feed's fingerprint, a published feed's digest) is compared
//! with what a later version computes.
//!
//! The hash is 64-bit FNV-1a (the `fnv` crate; offset basis 0xcbf29ce484222325, prime
//! 0x100000001b3). Values are fed as bytes in a fixed order, each followed by a 0xff
//! byte: 0xff never occurs in UTF-8, so text parts cannot run into each other, and
//! numbers are 8 little-endian bytes. Never `Debug` output or `std::hash::Hash`, whose
//! bytes may change with any derive or compiler. 64 bits decide "did this change?"
//! well; nothing here is a defence against deliberate collisions.

use std::hash::Hasher;

use fnv::FnvHasher;

/// Ends each part.
const SEPARATOR: u8 = 0xff;

/// A digest being built.
#[derive(Default)]
pub struct Digest(FnvHasher);

impl Digest {
    pub fn new() -> Self {
        Digest::default()
    }

    /// Raw bytes, with no separator (for a hash of one value, such as a slug).
    pub fn bytes(mut self, bytes: &[u8]) -> Self {
        self.0.write(bytes);
        self
    }

    /// One text part.
    pub fn text(self, text: &str) -> Self {
        self.bytes(text.as_bytes()).bytes(&[SEPARATOR])
    }

    /// One number part.
    pub fn number(self, number: i64) -> Self {
        self.bytes(&number.to_le_bytes()).bytes(&[SEPARATOR])
    }

    /// A named part, `name` then `value`: adding a part later changes no other part.
    pub fn field(self, name: &str, value: &str) -> Self {
        self.text(name).text(value)
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }

    /// The digest as 16 hex digits, as it is stored.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_reference_values() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(Digest::new().finish(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Digest::new().bytes(b"a").finish(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            Digest::new().bytes(b"foobar").finish(),
            0x8594_4171_f739_67e8
        );
    }

    #[test]
    fn parts_do_not_run_into_each_other() {
        let ab_c = Digest::new().text("ab").text("c").hex();
        let a_bc = Digest::new().text("a").text("bc").hex();
        assert_ne!(ab_c, a_bc);
        assert_eq!(ab_c, Digest::new().text("ab").text("c").hex());
    }
}
