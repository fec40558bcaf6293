//! Parsing a page with a bounded cost: every HTML parse in scrapefeed goes through here.
//!
//! html5ever follows the HTML standard, whose tree builder scans its stack of open
//! elements on most tags; 100,000 nested `<div>` (1.1 MB) cost it about 90 CPU-seconds,
//! and the deep tree then overflows the stack of any recursive walk. Browsers bound
//! nesting (Chromium at 512); so does scrapefeed, with three limits applied *while*
//! parsing:
//!
//! - **Depth** ([`MAX_DEPTH`]): an element deeper than that is left out of the tree
//!   (the sink) and closed at once (the gate between the tokenizer and the tree
//!   builder), so neither the tree nor the tree builder's stack grows past the limit.
//!   The text inside such markup is kept, in the deepest element still open.
//! - **Elements** ([`MAX_ELEMENTS`]): a page with more fails as too complex, rather than
//!   using hundreds of megabytes.
//! - **Time**: the page is fed to the tokenizer in chunks, and the sink checks the
//!   [`Budget`] as it builds, so a parse stops soon after the budget ends or the work is
//!   abandoned at shutdown.
//!
//! Scripting is off, as for a client that runs no scripts: `<noscript>` content (often
//! the only real `<img>` behind a lazy loader) is ordinary markup that selectors reach.

mod sink;

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, EndTag, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink, create_element};
use html5ever::{QualName, TokenizerResult, local_name, ns};
use scraper::Html;

use super::budget::{Budget, Exhausted};
use sink::BoundedSink;

/// Elements nest at most this deep (as in Chromium); deeper ones are left out.
pub const MAX_DEPTH: usize = 512;
/// A page with more elements than this is refused as too complex.
pub const MAX_ELEMENTS: usize = 500_000;

/// The bounds a parse works within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most ancestors an element may have.
    pub depth: usize,
    pub elements: usize,
}

impl Limits {
    /// The bounds of every page and fragment.
    pub const PAGE: Limits = Limits {
        depth: MAX_DEPTH,
        elements: MAX_ELEMENTS,
    };
}
/// How much text the tokenizer gets between two looks at the budget.
const CHUNK: usize = 64 * 1024;

/// Why a parse stopped before the end of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Stop {
    #[error("more than {limit} elements")]
    TooManyElements { limit: usize },
    #[error(transparent)]
    Budget(#[from] Exhausted),
}

/// A parsed page, and how much of it was nested too deep to keep.
pub struct Parsed {
    pub html: Html,
    /// Elements left out because they sat deeper than [`MAX_DEPTH`].
    pub too_deep: usize,
}

/// Parses a whole page within `budget`.
pub fn parse_document(page: &str, budget: &Budget) -> Result<Parsed, Stop> {
    parse_within(page, budget, Limits::PAGE)
}

/// Parses a whole page within the depth and element limits, without a deadline; a
/// page past the element limit is cut there.
pub fn parse_unlimited(page: &str) -> Html {
    let budget = Budget::unlimited();
    let sink = BoundedSink::new(Html::new_document(), &budget, Limits::PAGE);
    let builder = TreeBuilder::new(sink, tree_builder_opts());
    run(builder, TokenizerOpts::default(), page, &budget).0.html
}

/// Parses a whole page within `budget` and `limits`.
fn parse_within(page: &str, budget: &Budget, limits: Limits) -> Result<Parsed, Stop> {
    let sink = BoundedSink::new(Html::new_document(), budget, limits);
    let builder = TreeBuilder::new(sink, tree_builder_opts());
    let (parsed, stop) = run(builder, TokenizerOpts::default(), page, budget);
    match stop {
        Some(stop) => Err(stop),
        None => Ok(parsed),
    }
}

/// Parses a piece of HTML as the content of a `<body>` (a summary, a `<noscript>`'s
/// text). Fragments come from a page that was bounded already, so only the depth and
/// element limits apply; a fragment past the element limit is cut there.
pub fn parse_fragment(fragment: &str) -> Html {
    let budget = Budget::unlimited();
    let sink = BoundedSink::new(Html::new_fragment(), &budget, Limits::PAGE);
    let context = create_element(
        &sink,
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
    );
    let builder = TreeBuilder::new_for_fragment(sink, context, None, tree_builder_opts());
    let opts = TokenizerOpts {
        initial_state: Some(builder.tokenizer_state_for_context_elem(false)),
        ..TokenizerOpts::default()
    };
    run(builder, opts, fragment, &budget).0.html
}

fn tree_builder_opts() -> TreeBuilderOpts {
    TreeBuilderOpts {
        scripting_enabled: false,
        ..TreeBuilderOpts::default()
    }
}

/// Feeds `text` to the tokenizer chunk by chunk until it ends or the sink stops.
fn run(
    builder: TreeBuilder<NodeId, BoundedSink<'_>>,
    opts: TokenizerOpts,
    text: &str,
    budget: &Budget,
) -> (Parsed, Option<Stop>) {
    let tokenizer = Tokenizer::new(Gate { builder }, opts);
    let input = BufferQueue::default();
    let mut stop = None;
    for chunk in chunks(text, CHUNK) {
        if let Err(exhausted) = budget.check() {
            stop = Some(Stop::Budget(exhausted));
            break;
        }
        input.push_back(StrTendril::from_slice(chunk));
        while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
        stop = tokenizer.sink.builder.sink.stopped();
        if stop.is_some() {
            break;
        }
    }
    tokenizer.end();
    let sink = tokenizer.sink.builder.sink;
    let too_deep = sink.too_deep();
    let parsed = Parsed {
        html: sink.finish(),
        too_deep,
    };
    (parsed, stop)
}

/// `text` in pieces of about `size` bytes, cut between characters.
fn chunks(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = size.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

/// Sits between the tokenizer and the tree builder: closes the elements the sink left
/// out for their depth right after the tag that opened them, so the tree builder's
/// stack of open elements (which it scans on most tags) stays within the depth limit
/// too, and lets nothing through once the sink has stopped.
struct Gate<'b> {
    builder: TreeBuilder<NodeId, BoundedSink<'b>>,
}

impl TokenSink for Gate<'_> {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<Self::Handle> {
        if self.builder.sink.stopped().is_some() {
            return TokenSinkResult::Continue;
        }
        let opened = match &token {
            TagToken(tag) if tag.kind == StartTag => Some(tag.name.clone()),
            _ => None,
        };
        let result = self.builder.process_token(token, line);
        let mut overflow = self.builder.sink.take_overflow();
        if result != TokenSinkResult::Continue {
            // A <script>, <style>, <textarea>… now reads its raw text; its own end
            // tag closes it.
            overflow.retain(|(_, name)| Some(name) != opened.as_ref());
        }
        for (_, name) in overflow.into_iter().rev() {
            let close = Tag {
                kind: EndTag,
                name,
                self_closing: false,
                attrs: Vec::new(),
                had_duplicate_attributes: false,
            };
            let _ = self.builder.process_token(TagToken(close), line);
        }
        result
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

#[cfg(test)]
mod tests;
