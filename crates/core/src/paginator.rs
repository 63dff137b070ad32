//! Paginators for the 9 paginated operations, as pages or as items, with botocore's
//! `PageSize`, `MaxItems` and `StartingToken` semantics (resume tokens included).

use std::collections::VecDeque;

use base64::Engine as _;
use serde_json::{json, Value};

use libivs_model::{OperationSpec, PaginatorSpec};

use crate::call::{json_text, Answer};
use crate::client::{Client, Response};
use crate::error::Error;
use crate::page::{ItemTexts, PageCut, TokenEdit};

/// botocore's `PaginationConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaginationConfig {
    /// Items per request (`maxResults`).
    pub page_size: Option<i64>,
    /// Stop after this many items in all; the last page is cut and a resume token is given.
    pub max_items: Option<u64>,
    /// Where to start: a service `nextToken`, or a resume token from an earlier run.
    pub starting_token: Option<String>,
}

impl PaginationConfig {
    /// Reads `{"PageSize", "MaxItems", "StartingToken"}` (also snake_case keys).
    pub fn from_json(value: &Value) -> Result<Self, Error> {
        let mut config = PaginationConfig::default();
        let Some(entries) = value.as_object() else {
            return if value.is_null() {
                Ok(config)
            } else {
                Err(Error::param_validation(
                    "PaginationConfig must be an object",
                ))
            };
        };
        for (key, value) in entries {
            if value.is_null() {
                continue;
            }
            let positive = || {
                value.as_i64().filter(|n| *n > 0).ok_or_else(|| {
                    Error::param_validation(format!(
                        "PaginationConfig {key} must be a positive integer"
                    ))
                })
            };
            match key.as_str() {
                "PageSize" | "page_size" | "pageSize" => config.page_size = Some(positive()?),
                "MaxItems" | "max_items" | "maxItems" => config.max_items = Some(positive()? as u64),
                "StartingToken" | "starting_token" | "startingToken" => {
                    config.starting_token = Some(
                        value
                            .as_str()
                            .ok_or_else(|| {
                                Error::param_validation("PaginationConfig StartingToken must be a string")
                            })?
                            .to_owned(),
                    )
                }
                other => {
                    return Err(Error::param_validation(format!(
                        "Unknown PaginationConfig key {other:?}: expected PageSize, MaxItems or StartingToken"
                    )))
                }
            }
        }
        Ok(config)
    }
}

/// Pages of one paginated operation. Ends after the last page, at `max_items`, after an
/// error, or when the service repeats the token it was sent (which would loop forever).
#[derive(Debug)]
pub struct Paginator {
    client: Client,
    operation: &'static OperationSpec,
    spec: PaginatorSpec,
    input: Value,
    page_size: Option<i64>,
    max_items: Option<u64>,
    next_token: Option<String>,
    /// Items of the first page already seen in an earlier run (from a resume token).
    skip_first: u64,
    yielded: u64,
    done: bool,
    resume_token: Option<String>,
}

fn encode_resume_token(token: Option<&str>, truncate_amount: u64) -> String {
    // botocore's TokenEncoder format, so tokens pass between boto3 and libivs.
    let mut fields = serde_json::Map::new();
    if let Some(token) = token {
        fields.insert("nextToken".into(), Value::String(token.into()));
    }
    if truncate_amount > 0 {
        fields.insert("boto_truncate_amount".into(), json!(truncate_amount));
    }
    base64::engine::general_purpose::STANDARD.encode(Value::Object(fields).to_string())
}

fn decode_starting_token(token: &str) -> (Option<String>, u64) {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .filter(Value::is_object);
    match decoded {
        Some(fields) => (
            fields["nextToken"].as_str().map(str::to_owned),
            fields["boto_truncate_amount"].as_u64().unwrap_or(0),
        ),
        // Not one of ours: a raw service token.
        None => (Some(token.to_owned()), 0),
    }
}

/// `operation_name` and its paginator, or why there is none: an unknown operation
/// (`InvalidArgument`) or one that cannot be paginated (checked first, before any input, as
/// boto3's `get_paginator` does).
pub fn paginated_operation(
    operation_name: &str,
) -> Result<(&'static OperationSpec, PaginatorSpec), Error> {
    let operation = libivs_model::operation(operation_name)
        .ok_or_else(|| Error::unknown_operation(operation_name))?;
    let spec = operation.paginator.ok_or_else(|| {
        Error::invalid_argument(format!("Operation cannot be paginated: {}", operation.name))
    })?;
    Ok((operation, spec))
}

impl Paginator {
    pub fn new(
        client: &Client,
        operation_name: &str,
        input: Value,
        config: PaginationConfig,
    ) -> Result<Paginator, Error> {
        let (operation, spec) = paginated_operation(operation_name)?;
        client.check(operation.name, &input)?;
        let (next_token, skip_first) = match &config.starting_token {
            Some(token) => decode_starting_token(token),
            None => (None, 0),
        };
        Ok(Paginator {
            client: client.clone(),
            operation,
            spec,
            input: if input.is_null() { json!({}) } else { input },
            page_size: config.page_size,
            max_items: config.max_items,
            next_token,
            skip_first,
            yielded: 0,
            done: false,
            resume_token: None,
        })
    }

    pub fn operation(&self) -> &'static OperationSpec {
        self.operation
    }

    /// The output member that holds the items (`channels`, `streamKeys`...).
    pub fn result_key(&self) -> &'static str {
        self.spec.result_key
    }

    /// Where a later run can start (`StartingToken`), once `max_items` has cut the pages.
    pub fn resume_token(&self) -> Option<&str> {
        self.resume_token.as_deref()
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    fn page_input(&self) -> Value {
        let mut input = self.input.clone();
        if let Some(size) = self.page_size {
            input[self.spec.limit_key] = json!(size);
        }
        if let Some(token) = &self.next_token {
            input[self.spec.input_token] = json!(token);
        }
        input
    }

    /// The next page as a JSON value, or `None` when there are no more.
    pub async fn next_page(&mut self) -> Option<Result<Response, Error>> {
        Some(self.next_answer().await?.map(Answer::into_response))
    }

    /// [`Paginator::next_page`] for synchronous code.
    pub fn next_page_blocking(&mut self) -> Option<Result<Response, Error>> {
        Some(self.next_answer_blocking()?.map(Answer::into_response))
    }

    /// The next page as aws-sdk-ivs answered it, cut as this run needs (items skipped or past
    /// `max_items` left out, the token replaced), for a face to convert in its own way.
    pub async fn next_answer(&mut self) -> Option<Result<Answer, Error>> {
        if self.done {
            return None;
        }
        let page = match self.client.prepare(self.operation.name, self.page_input()) {
            Ok(call) => call.run().await,
            Err(error) => Err(error),
        };
        Some(self.accept(page))
    }

    /// [`Paginator::next_answer`] for synchronous code (not from inside an async runtime).
    pub fn next_answer_blocking(&mut self) -> Option<Result<Answer, Error>> {
        if self.done {
            return None;
        }
        let page = self
            .client
            .prepare(self.operation.name, self.page_input())
            .and_then(|call| call.run_blocking(None));
        Some(self.accept(page))
    }

    fn accept(&mut self, result: Result<Answer, Error>) -> Result<Answer, Error> {
        let mut page = result.inspect_err(|_| self.done = true)?;
        let Some(facts) = page.page_facts() else {
            self.done = true;
            return Err(Error::internal(format!(
                "{} answered an output that is not a page",
                self.operation.name
            )));
        };
        let (token, items) = (facts.token.map(str::to_owned), facts.items);
        let cut = self.cut(token, items);
        page.set_cut(cut);
        Ok(page)
    }

    /// What to do with a page holding `items` items and `received_token`: moves the run on.
    fn cut(&mut self, received_token: Option<String>, items: usize) -> PageCut {
        let sent_token = self.next_token.take();
        let skip = std::mem::take(&mut self.skip_first);
        let skipped = (skip as usize).min(items);
        let left = items - skipped;
        let mut cut = PageCut {
            result_key: self.spec.result_key,
            token_key: self.spec.output_token,
            skip: skipped,
            take: None,
            token: TokenEdit::Keep,
        };
        if let Some(max) = self.max_items {
            let remaining = max.saturating_sub(self.yielded) as usize;
            if left > remaining {
                cut.take = Some(remaining);
                let resume = encode_resume_token(sent_token.as_deref(), skip + remaining as u64);
                cut.token = self.finish_with_resume(Some(resume));
                return cut;
            }
            if left == remaining {
                self.yielded += remaining as u64;
                let resume = received_token
                    .as_deref()
                    .map(|token| encode_resume_token(Some(token), 0));
                cut.token = self.finish_with_resume(resume);
                return cut;
            }
        }
        self.yielded += left as u64;
        match received_token {
            Some(token) if Some(&token) != sent_token.as_ref() && !token.is_empty() => {
                self.next_token = Some(token)
            }
            _ => self.done = true,
        }
        cut
    }

    fn finish_with_resume(&mut self, resume: Option<String>) -> TokenEdit {
        self.done = true;
        self.resume_token = resume.clone();
        resume.map_or(TokenEdit::Remove, TokenEdit::Set)
    }

    /// Every item of every page in one output (`{"channels": [...], "NextToken": resume}`), as
    /// boto3's `build_full_result` does.
    pub async fn build_full_result(mut self) -> Result<Value, Error> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await {
            items.extend(take_items(page?, self.spec.result_key));
        }
        Ok(self.full_result(items))
    }

    /// [`Paginator::build_full_result`] for synchronous code.
    pub fn build_full_result_blocking(mut self) -> Result<Value, Error> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page_blocking() {
            items.extend(take_items(page?, self.spec.result_key));
        }
        Ok(self.full_result(items))
    }

    fn full_result(&self, items: Vec<Value>) -> Value {
        let mut result = serde_json::Map::new();
        result.insert(self.spec.result_key.to_owned(), Value::Array(items));
        if let Some(token) = &self.resume_token {
            result.insert("NextToken".into(), json!(token));
        }
        Value::Object(result)
    }

    /// The same pages, one item at a time, each a JSON value.
    pub fn into_items(self) -> ItemPaginator<Value> {
        ItemPaginator::new(self, |page, result_key| {
            Ok(take_items(page.into_response(), result_key))
        })
    }

    /// The same pages, one item at a time, each as JSON text written from the page as
    /// aws-sdk-ivs answered it (no JSON value of the page in between).
    pub fn into_item_texts(self) -> ItemPaginator<String> {
        ItemPaginator::new(self, |page, result_key| {
            let mut split = ItemTexts::new(result_key);
            page.emit(&mut split);
            split.items.into_iter().map(json_text).collect()
        })
    }
}

fn take_items(mut page: Response, result_key: &str) -> Vec<Value> {
    match page.output.get_mut(result_key).map(Value::take) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

/// Splits a page into its items.
type Split<T> = fn(Answer, &'static str) -> Result<Vec<T>, Error>;

/// Items (channels, stream keys...) rather than pages: JSON values ([`Paginator::into_items`])
/// or JSON texts ([`Paginator::into_item_texts`]).
pub struct ItemPaginator<T = Value> {
    pages: Paginator,
    buffered: VecDeque<T>,
    split: Split<T>,
}

impl<T> std::fmt::Debug for ItemPaginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemPaginator")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<T> ItemPaginator<T> {
    fn new(pages: Paginator, split: Split<T>) -> Self {
        ItemPaginator {
            pages,
            buffered: VecDeque::new(),
            split,
        }
    }

    pub async fn next_item(&mut self) -> Option<Result<T, Error>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Some(Ok(item));
            }
            let page = self.pages.next_answer().await?;
            if let Err(error) = self.accept(page) {
                return Some(Err(error));
            }
        }
    }

    pub fn next_item_blocking(&mut self) -> Option<Result<T, Error>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Some(Ok(item));
            }
            let page = self.pages.next_answer_blocking()?;
            if let Err(error) = self.accept(page) {
                return Some(Err(error));
            }
        }
    }

    /// Buffers a page's items (none of a failed page: the run is then over).
    fn accept(&mut self, page: Result<Answer, Error>) -> Result<(), Error> {
        let items = (self.split)(page?, self.pages.result_key())?;
        self.buffered.extend(items);
        Ok(())
    }

    pub fn resume_token(&self) -> Option<&str> {
        self.pages.resume_token()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_tokens_round_trip_in_botocore_format() {
        let token = encode_resume_token(Some("abc"), 2);
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&token)
            .unwrap();
        let fields: Value = serde_json::from_slice(&raw).unwrap();
        assert_eq!(
            fields,
            json!({"nextToken": "abc", "boto_truncate_amount": 2})
        );
        assert_eq!(decode_starting_token(&token), (Some("abc".into()), 2));
        assert_eq!(
            decode_starting_token("raw-service-token"),
            (Some("raw-service-token".into()), 0)
        );
    }

    #[test]
    fn stops_when_the_service_repeats_its_token() {
        let client = Client::new(crate::ClientConfig {
            region: Some("us-west-2".into()),
            endpoint_url: Some("http://127.0.0.1:9".into()),
            credentials: Some(crate::StaticCredentials {
                access_key_id: "test".into(),
                secret_access_key: "test".into(),
                session_token: None,
            }),
            ..Default::default()
        })
        .unwrap();
        let mut pages =
            Paginator::new(&client, "ListChannels", json!({}), Default::default()).unwrap();
        assert_eq!(pages.cut(Some("t1".into()), 1).token, TokenEdit::Keep);
        assert!(!pages.is_done());
        assert_eq!(pages.page_input()["nextToken"], "t1");
        pages.cut(Some("t1".into()), 1);
        assert!(pages.is_done(), "a repeated token would loop forever");
        assert!(pages.next_page_blocking().is_none());
    }

    #[test]
    fn max_items_cuts_a_page_and_gives_a_resume_token() {
        let client = Client::new(crate::ClientConfig {
            region: Some("us-west-2".into()),
            ..Default::default()
        })
        .unwrap();
        let config = PaginationConfig {
            max_items: Some(3),
            starting_token: Some(encode_resume_token(Some("t0"), 1)),
            ..Default::default()
        };
        let mut pages = Paginator::new(&client, "ListChannels", json!({}), config).unwrap();
        assert_eq!(pages.page_input()["nextToken"], "t0");
        // The first page: one item seen in the earlier run, two kept, on to t1.
        let first = pages.cut(Some("t1".into()), 3);
        assert_eq!((first.skip, first.take), (1, None));
        // The second: one more wanted of two, so a resume token at t1 past one item.
        let second = pages.cut(Some("t2".into()), 2);
        assert_eq!(second.take, Some(1));
        let resume = encode_resume_token(Some("t1"), 1);
        assert_eq!(second.token, TokenEdit::Set(resume.clone()));
        assert_eq!(pages.resume_token(), Some(resume.as_str()));
        assert!(pages.is_done());
    }

    #[test]
    fn reads_pagination_config() {
        let config = PaginationConfig::from_json(&json!({"PageSize": 2, "MaxItems": 5})).unwrap();
        assert_eq!(config.page_size, Some(2));
        assert_eq!(config.max_items, Some(5));
        assert!(PaginationConfig::from_json(&json!({"PageSize": 0})).is_err());
        assert!(PaginationConfig::from_json(&json!({"Pagesize": 2})).is_err());
    }
}
