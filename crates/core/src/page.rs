//! What a paginator changes in a page, applied while the page is emitted (so that every sink —
//! JSON text, JSON value, a face's objects — gets the same page without a JSON value between):
//! items already seen in an earlier run left out, items past `MaxItems` cut, and the token member
//! replaced by a resume token or removed. Also the sink that splits a page into its items'
//! JSON texts.

use crate::convert::{JsonText, OutputSink};

/// What becomes of a page's token member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenEdit {
    Keep,
    /// Replaced (or added) with this resume token.
    Set(String),
    Remove,
}

/// The edit of one page of a paginated operation.
#[derive(Debug, Clone)]
pub(crate) struct PageCut {
    pub result_key: &'static str,
    pub token_key: &'static str,
    /// Leading items of the result list left out.
    pub skip: usize,
    /// At most this many items kept after them.
    pub take: Option<usize>,
    pub token: TokenEdit,
}

impl PageCut {
    /// `sink` seeing the page as cut.
    pub fn apply<'a, S: OutputSink + ?Sized>(&'a self, sink: &'a mut S) -> Cutting<'a, S> {
        Cutting {
            cut: self,
            inner: sink,
            depth: 0,
            skipping_from: None,
            drop_next_value: false,
            result_next: false,
            in_result: false,
            next_item: 0,
            saw_result: false,
        }
    }

    fn keeps(&self, item: usize) -> bool {
        item >= self.skip && self.take.is_none_or(|take| item - self.skip < take)
    }
}

/// An [`OutputSink`] passing a page on to `inner` with a [`PageCut`] applied.
pub(crate) struct Cutting<'a, S: OutputSink + ?Sized> {
    cut: &'a PageCut,
    inner: &'a mut S,
    /// Containers open in the page as emitted (the output object is depth 1).
    depth: usize,
    /// The depth of the container being left out, while one is.
    skipping_from: Option<usize>,
    /// The next value is the token member's, being replaced or removed.
    drop_next_value: bool,
    /// The next value is the result list.
    result_next: bool,
    /// Depth 2 is the result list.
    in_result: bool,
    next_item: usize,
    saw_result: bool,
}

impl<S: OutputSink + ?Sized> Cutting<'_, S> {
    /// Whether a value starting now (a scalar, or a container about to open) is passed on.
    fn passes(&mut self) -> bool {
        if self.skipping_from.is_some() {
            return false;
        }
        if self.depth == 1 && std::mem::take(&mut self.drop_next_value) {
            return false;
        }
        if self.depth == 2 && self.in_result {
            let item = self.next_item;
            self.next_item += 1;
            return self.cut.keeps(item);
        }
        true
    }

    fn open(&mut self) -> bool {
        let passes = self.passes();
        self.depth += 1;
        if !passes && self.skipping_from.is_none() {
            self.skipping_from = Some(self.depth);
        }
        passes
    }

    /// Whether the container closing now was passed on.
    fn close(&mut self) -> bool {
        let depth = self.depth;
        self.depth -= 1;
        match self.skipping_from {
            Some(from) if from == depth => {
                self.skipping_from = None;
                false
            }
            Some(_) => false,
            None => true,
        }
    }
}

impl<S: OutputSink + ?Sized> OutputSink for Cutting<'_, S> {
    fn begin_object(&mut self, members: usize) {
        if self.open() {
            self.inner.begin_object(members);
        }
    }

    fn key(&mut self, name: &str) {
        if self.skipping_from.is_some() {
            return;
        }
        if self.depth == 1 {
            if name == self.cut.token_key && self.cut.token != TokenEdit::Keep {
                self.drop_next_value = true;
                return;
            }
            if name == self.cut.result_key {
                self.result_next = true;
                self.saw_result = true;
            }
        }
        self.inner.key(name);
    }

    fn end_object(&mut self) {
        if self.depth == 1 && self.skipping_from.is_none() {
            // The output object closes: what the cut adds goes last.
            if !self.saw_result {
                self.inner.key(self.cut.result_key);
                self.inner.begin_list(0);
                self.inner.end_list();
            }
            if let TokenEdit::Set(token) = &self.cut.token {
                self.inner.key(self.cut.token_key);
                self.inner.string(token);
            }
        }
        if self.close() {
            self.inner.end_object();
        }
    }

    fn begin_list(&mut self, items: usize) {
        let result = self.depth == 1 && std::mem::take(&mut self.result_next);
        if !self.open() {
            return;
        }
        if result {
            self.in_result = true;
            let kept = items.saturating_sub(self.cut.skip);
            self.inner
                .begin_list(self.cut.take.map_or(kept, |take| kept.min(take)));
        } else {
            self.inner.begin_list(items);
        }
    }

    fn end_list(&mut self) {
        if self.depth == 2 && self.in_result && self.skipping_from.is_none() {
            self.in_result = false;
        }
        if self.close() {
            self.inner.end_list();
        }
    }

    fn string(&mut self, value: &str) {
        if self.passes() {
            self.inner.string(value);
        }
    }

    fn boolean(&mut self, value: bool) {
        if self.passes() {
            self.inner.boolean(value);
        }
    }

    fn integer(&mut self, value: i64) {
        if self.passes() {
            self.inner.integer(value);
        }
    }

    fn float(&mut self, value: f64) {
        if self.passes() {
            self.inner.float(value);
        }
    }

    fn timestamp(&mut self, seconds: i64, nanos: u32) {
        if self.passes() {
            self.inner.timestamp(seconds, nanos);
        }
    }
}

/// Each item of a page's result list as JSON text of its own, written as the page is emitted
/// (no JSON value of the page in between).
pub(crate) struct ItemTexts {
    result_key: &'static str,
    depth: usize,
    /// Whether the member being emitted at depth 1 is the result list.
    in_result: bool,
    item: JsonText<Vec<u8>>,
    pub items: Vec<Vec<u8>>,
}

impl ItemTexts {
    pub(crate) fn new(result_key: &'static str) -> Self {
        ItemTexts {
            result_key,
            depth: 0,
            in_result: false,
            item: JsonText::new(Vec::new()),
            items: Vec::new(),
        }
    }

    /// Whether events now belong to an item (depth 1 is the page, 2 the result list's items).
    fn in_item(&self) -> bool {
        self.in_result && self.depth >= 2
    }

    /// A value just ended: at the list's own depth, that was a whole item.
    fn value_ended(&mut self) {
        if self.in_result && self.depth == 2 {
            let text = self.item.take();
            self.items.push(text);
        }
    }

    fn scalar(&mut self, write: impl FnOnce(&mut JsonText<Vec<u8>>)) {
        if self.in_item() {
            write(&mut self.item);
        }
        self.value_ended();
    }
}

impl OutputSink for ItemTexts {
    fn begin_object(&mut self, members: usize) {
        if self.in_item() {
            self.item.begin_object(members);
        }
        self.depth += 1;
    }

    fn key(&mut self, name: &str) {
        if self.depth == 1 {
            self.in_result = name == self.result_key;
        } else if self.in_item() {
            self.item.key(name);
        }
    }

    fn end_object(&mut self) {
        self.depth -= 1;
        if self.in_item() {
            self.item.end_object();
        }
        self.value_ended();
    }

    fn begin_list(&mut self, items: usize) {
        if self.in_item() {
            self.item.begin_list(items);
        }
        self.depth += 1;
    }

    fn end_list(&mut self) {
        self.depth -= 1;
        if self.in_item() {
            self.item.end_list();
        }
        self.value_ended();
    }

    fn string(&mut self, value: &str) {
        self.scalar(|item| item.string(value));
    }

    fn boolean(&mut self, value: bool) {
        self.scalar(|item| item.boolean(value));
    }

    fn integer(&mut self, value: i64) {
        self.scalar(|item| item.integer(value));
    }

    fn float(&mut self, value: f64) {
        self.scalar(|item| item.float(value));
    }

    fn timestamp(&mut self, seconds: i64, nanos: u32) {
        self.scalar(|item| item.timestamp(seconds, nanos));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::JsonValue;
    use serde_json::{json, Value};

    /// `value` replayed into `sink`, as the generated emitters would emit it.
    fn replay<S: OutputSink + ?Sized>(value: &Value, sink: &mut S) {
        match value {
            Value::Object(members) => {
                sink.begin_object(members.len());
                for (name, member) in members {
                    sink.key(name);
                    replay(member, sink);
                }
                sink.end_object();
            }
            Value::Array(items) => {
                sink.begin_list(items.len());
                items.iter().for_each(|item| replay(item, sink));
                sink.end_list();
            }
            Value::String(text) => sink.string(text),
            Value::Bool(flag) => sink.boolean(*flag),
            Value::Number(n) => sink.integer(n.as_i64().unwrap()),
            Value::Null => unreachable!("outputs hold no nulls"),
        }
    }

    fn cut(page: &Value, cut: PageCut) -> Value {
        let mut value = JsonValue::default();
        replay(page, &mut cut.apply(&mut value));
        value.finish()
    }

    fn page_cut(skip: usize, take: Option<usize>, token: TokenEdit) -> PageCut {
        PageCut {
            result_key: "channels",
            token_key: "nextToken",
            skip,
            take,
            token,
        }
    }

    #[test]
    fn a_page_splits_into_its_items_texts_as_cut() {
        let page = json!({
            "other": [{"x": 1}],
            "channels": [{"arn": "a", "tags": {"k": ["x", "y"]}}, "plain", [1, [2]], {"arn": "d"}],
            "nextToken": "t2",
        });
        let mut split = ItemTexts::new("channels");
        replay(
            &page,
            &mut page_cut(1, Some(2), TokenEdit::Keep).apply(&mut split),
        );
        let texts: Vec<&str> = split
            .items
            .iter()
            .map(|t| std::str::from_utf8(t).unwrap())
            .collect();
        assert_eq!(texts, [r#""plain""#, "[1,[2]]"]);
        let mut whole = ItemTexts::new("channels");
        replay(&page, &mut whole);
        let first: Value = serde_json::from_slice(&whole.items[0]).unwrap();
        assert_eq!((whole.items.len(), first), (4, page["channels"][0].clone()));
    }

    #[test]
    fn items_are_skipped_and_cut_and_the_token_replaced() {
        let page = json!({
            "channels": [{"arn": "a", "tags": {"k": ["x"]}}, {"arn": "b"}, {"arn": "c"}, {"arn": "d"}],
            "nextToken": "t2",
            "other": [1, 2],
        });
        assert_eq!(cut(&page, page_cut(0, None, TokenEdit::Keep)), page);
        assert_eq!(
            cut(&page, page_cut(1, Some(2), TokenEdit::Set("resume".into()))),
            json!({"channels": [{"arn": "b"}, {"arn": "c"}], "other": [1, 2], "nextToken": "resume"})
        );
        assert_eq!(
            cut(&page, page_cut(0, Some(1), TokenEdit::Remove)),
            json!({"channels": [{"arn": "a", "tags": {"k": ["x"]}}], "other": [1, 2]})
        );
        assert_eq!(
            cut(
                &json!({"nextToken": "t"}),
                page_cut(3, None, TokenEdit::Keep)
            ),
            json!({"nextToken": "t", "channels": []})
        );
    }
}
