//! Configuration errors (and warnings) that say what is wrong and where: file, line,
//! column and feed.

use std::fmt;
use std::path::{Path, PathBuf};

use super::spanned::Position;

/// A place in feeds.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: u64,
    pub column: u64,
}

impl Location {
    pub fn new(file: &Path, line: u64, column: u64) -> Self {
        Location {
            file: file.to_path_buf(),
            line,
            column,
        }
    }

    pub(crate) fn at(file: &Path, at: Position) -> Self {
        Location::new(file, at.line, at.column)
    }

    /// Line and column, for sorting messages into file order.
    pub fn position(&self) -> (u64, u64) {
        (self.line, self.column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file.display())
        } else {
            write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
        }
    }
}

/// One problem found in the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub location: Location,
    /// The feed the problem belongs to, if any.
    pub feed: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location)?;
        if let Some(feed) = &self.feed {
            write!(f, "feed `{feed}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in one configuration file; loading fails if there is any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Something in the configuration that is valid but probably not what was meant
/// (`*/90` in the minute field runs hourly); printed by `check`, logged by `run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning(pub ConfigError);

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ConfigError {
            location,
            feed,
            message,
        } = &self.0;
        write!(f, "{location}: warning: ")?;
        if let Some(feed) = feed {
            write!(f, "feed `{feed}`: ")?;
        }
        f.write_str(message)
    }
}

/// The known word closest to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (edit_distance(word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= candidate.len().max(word.len()).div_ceil(3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let known = ["items", "fields", "title", "url"];
        assert_eq!(did_you_mean("itmes", &known), Some("items"));
        assert_eq!(did_you_mean("urls", &known), Some("url"));
        assert_eq!(did_you_mean("feilds", &known), Some("fields"));
        assert_eq!(did_you_mean("colour", &known), None);
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("zürich", "zurich"), 1);
    }
}
