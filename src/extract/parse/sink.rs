//! The tree sink that keeps a page's tree within its bounds.
//!
//! It builds scraper's `Html` (delegating to `HtmlTreeSink`) and watches every node
//! the tree builder attaches: an element that would sit deeper than the depth limit
//! is left out of the tree and noted, so the [`Gate`](super::Gate) can close it at
//! once; its text goes to the deepest element still open. (Browsers keep such
//! elements as siblings at the limit; leaving them out keeps a 100,000-deep page from
//! becoming a 100,000-wide one, which would cost every later step.) It counts
//! elements against the element limit and checks the page's budget every few
//! thousand nodes; once either runs out it records why, and the gate lets no further
//! token through.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, QualName};
use scraper::{Html, HtmlTreeSink};

use super::{Limits, Stop};
use crate::extract::budget::Budget;

/// How many nodes are attached between two looks at the clock.
const CHECK_EVERY: u32 = 4096;

pub(super) struct BoundedSink<'b> {
    inner: HtmlTreeSink,
    budget: &'b Budget,
    limits: Limits,
    elements: Cell<usize>,
    until_check: Cell<u32>,
    stop: Cell<Option<Stop>>,
    /// Elements left out for their depth and still open: the gate closes them.
    overflow: RefCell<Vec<(NodeId, LocalName)>>,
    /// How many elements were left out for their depth.
    too_deep: Cell<usize>,
    /// The depths of the last parent and the last element appended (the tree
    /// builder's current node, mostly), so that walking up the tree is rarely needed.
    /// Forgotten whenever nodes move.
    known: Cell<[Option<(NodeId, usize)>; 2]>,
}

impl<'b> BoundedSink<'b> {
    pub(super) fn new(html: Html, budget: &'b Budget, limits: Limits) -> BoundedSink<'b> {
        BoundedSink {
            inner: HtmlTreeSink::new(html),
            budget,
            limits,
            elements: Cell::new(0),
            until_check: Cell::new(CHECK_EVERY),
            stop: Cell::new(None),
            overflow: RefCell::new(Vec::new()),
            too_deep: Cell::new(0),
            known: Cell::new([None, None]),
        }
    }

    /// Why building stopped, once it has.
    pub(super) fn stopped(&self) -> Option<Stop> {
        self.stop.get()
    }

    pub(super) fn too_deep(&self) -> usize {
        self.too_deep.get()
    }

    /// The elements left out and still open, in the order they were created.
    pub(super) fn take_overflow(&self) -> Vec<(NodeId, LocalName)> {
        std::mem::take(&mut *self.overflow.borrow_mut())
    }

    /// Counts one attached node; every few thousand, asks the budget.
    fn tick(&self) {
        let left = self.until_check.get() - 1;
        if left > 0 {
            self.until_check.set(left);
            return;
        }
        self.until_check.set(CHECK_EVERY);
        if let Err(exhausted) = self.budget.check() {
            self.stop.set(Some(Stop::Budget(exhausted)));
        }
    }

    /// The number of ancestors of `node` (the document root has none).
    fn depth(&self, node: NodeId) -> usize {
        if let Some((_, depth)) = self
            .known
            .get()
            .into_iter()
            .flatten()
            .find(|(n, _)| *n == node)
        {
            return depth;
        }
        let html = self.inner.0.borrow();
        html.tree.get(node).map_or(0, |n| n.ancestors().count())
    }

    /// Remembers the depths of a parent and of the element just appended to it.
    fn remember(&self, parent: (NodeId, usize), child: (NodeId, usize)) {
        self.known.set([Some(parent), Some(child)]);
    }

    fn is_element(&self, node: NodeId) -> bool {
        let html = self.inner.0.borrow();
        html.tree.get(node).is_some_and(|n| n.value().is_element())
    }

    fn moved(&self) {
        self.known.set([None, None]);
    }
}

impl TreeSink for BoundedSink<'_> {
    type Handle = NodeId;
    type Output = Html;
    type ElemName<'a>
        = <HtmlTreeSink as TreeSink>::ElemName<'a>
    where
        Self: 'a;

    fn finish(self) -> Html {
        self.inner.finish()
    }

    /// Hostile pages produce parse errors by the hundred thousand; nobody reads them.
    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let count = self.elements.get() + 1;
        self.elements.set(count);
        if count > self.limits.elements && self.stop.get().is_none() {
            self.stop.set(Some(Stop::TooManyElements {
                limit: self.limits.elements,
            }));
        }
        self.tick();
        self.inner.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.tick();
        let NodeOrText::AppendNode(node) = child else {
            return self.inner.append(parent, child);
        };
        let parent_depth = self.depth(*parent);
        if parent_depth < self.limits.depth || !self.is_element(node) {
            self.inner.append(parent, NodeOrText::AppendNode(node));
            self.remember((*parent, parent_depth), (node, parent_depth + 1));
            return;
        }
        // Too deep: the element stays out of the tree, and is closed by the gate.
        self.too_deep.set(self.too_deep.get() + 1);
        let name = self.inner.elem_name(&node).local.clone();
        self.overflow.borrow_mut().push((node, name));
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = {
            let html = self.inner.0.borrow();
            html.tree
                .get(*element)
                .is_some_and(|n| n.parent().is_some())
        };
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id);
    }

    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node);
    }

    fn pop(&self, node: &NodeId) {
        self.overflow.borrow_mut().retain(|(open, _)| open != node);
        self.inner.pop(node);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.tick();
        self.moved();
        self.inner.append_before_sibling(sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.moved();
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.moved();
        self.inner.reparent_children(node, new_parent);
    }
}
