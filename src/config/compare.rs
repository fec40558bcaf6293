//! When two checked configurations are the same: equal *values*, compared field by
//! field — never their `Debug` text, which changes with any derive or formatting and
//! would make a reload see changes that are not there (or miss ones that are).
//!
//! Compiled parts compare by what they were compiled from where the compiled form has
//! no equality of its own (a `Regex` compares by its pattern). Where a feed is written
//! in feeds.yaml (`location`) is not part of it: moving a feed in the file changes
//! nothing.

use super::{CardSelector, Feed, FieldRule, Filter, Scope};

impl PartialEq for Feed {
    fn eq(&self, other: &Feed) -> bool {
        // Destructured so that a new field cannot be forgotten here.
        let Feed {
            slug,
            url,
            title,
            description,
            items,
            fields,
            date_format,
            include,
            exclude,
            schedule,
            timezone,
            formats,
            max_items,
            max_history,
            keep,
            summary_length,
            min_title_length,
            stale_after,
            error_items,
            request,
            location: _,
            fingerprint,
        } = self;
        *slug == other.slug
            && *url == other.url
            && *title == other.title
            && *description == other.description
            && *items == other.items
            && *fields == other.fields
            && *date_format == other.date_format
            && *include == other.include
            && *exclude == other.exclude
            && *schedule == other.schedule
            && *timezone == other.timezone
            && *formats == other.formats
            && *max_items == other.max_items
            && *max_history == other.max_history
            && *keep == other.keep
            && *summary_length == other.summary_length
            && *min_title_length == other.min_title_length
            && *stale_after == other.stale_after
            && *error_items == other.error_items
            && *request == other.request
            && *fingerprint == other.fingerprint
    }
}

impl PartialEq for CardSelector {
    fn eq(&self, other: &CardSelector) -> bool {
        self.source == other.source && self.selector == other.selector
    }
}

impl PartialEq for Filter {
    fn eq(&self, other: &Filter) -> bool {
        self.field == other.field && self.regex.as_str() == other.regex.as_str()
    }
}

impl PartialEq for FieldRule {
    fn eq(&self, other: &FieldRule) -> bool {
        let FieldRule {
            source,
            scope,
            select,
            read,
            regex,
            replace,
            template,
            skip,
        } = self;
        *source == other.source
            && *scope == other.scope
            && *select == other.select
            && *read == other.read
            && regex.as_ref().map(|r| r.as_str()) == other.regex.as_ref().map(|r| r.as_str())
            && replace.as_ref().map(|(r, with)| (r.as_str(), with))
                == other.replace.as_ref().map(|(r, with)| (r.as_str(), with))
            && *template == other.template
            && *skip == other.skip
    }
}

impl PartialEq for Scope {
    fn eq(&self, other: &Scope) -> bool {
        match (self, other) {
            (Scope::Card, Scope::Card)
            | (Scope::NextSibling, Scope::NextSibling)
            | (Scope::PreviousSibling, Scope::PreviousSibling)
            | (Scope::Parent, Scope::Parent) => true,
            (Scope::Closest(a), Scope::Closest(b)) => a == b,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::{Config, parse};

    fn config(text: &str) -> Config {
        parse(text, Path::new("feeds.yaml")).unwrap()
    }

    #[test]
    fn equal_values_are_equal_and_every_value_counts() {
        let base = "feeds:\n  a:\n    url: https://a.example/\n    items: li\n    fields:\n      title:\n        select: h2\n        regex: '(.+)'\n    include:\n      - regex: 'x'\n";
        let same = config(base);
        assert!(config(base).feeds == same.feeds);
        for changed in [
            base.replace("regex: '(.+)'", "regex: '(.*)'"),
            base.replace("regex: 'x'", "regex: 'y'"),
            base.replace("items: li", "items: li.story"),
            format!("{base}    max_history: 100\n"),
            format!("{base}    stale_after: 1h\n"),
            format!("{base}    headers:\n      Cookie: a=b\n"),
            format!("{base}    robots_txt: false\n"),
        ] {
            assert!(config(&changed).feeds != same.feeds, "{changed}");
        }
        assert!(config(&format!("settings:\n  timeout: 5s\n{base}")).settings != same.settings);
    }
}
