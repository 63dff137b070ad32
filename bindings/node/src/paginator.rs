//! `NativePaginator`: pages of one paginated operation.

use std::sync::{Arc, Mutex};

use libivs_core::{Answer, Client, Error, PaginationConfig, Paginator};
use napi::bindgen_prelude::Object;
use napi::Env;
use napi_derive::napi;

use crate::convert::{parse_json, Outcome};
use crate::settle::spawn_outcome;

pub(crate) enum PaginatorState {
    Running(Paginator),
    /// The input was refused: the first page answers it (JavaScript paginators fail when
    /// iterated, not when made).
    Refused(Error),
    Done,
}

/// Pages of one paginated operation, fetched one `nextPage()` at a time.
#[napi]
pub struct NativePaginator {
    result_key: String,
    state: Arc<tokio::sync::Mutex<PaginatorState>>,
    resume_token: Arc<Mutex<Option<String>>>,
}

impl NativePaginator {
    /// A paginator of `operation` (unknown or unpaginated: refused now, as the JS SDK's
    /// `paginate*` functions do not exist for them); `config` is JSON `{pageSize, maxItems,
    /// startingToken}`.
    pub(crate) fn new(
        client: &Client,
        operation: &str,
        input: String,
        config: &str,
    ) -> Result<NativePaginator, Error> {
        let (spec, paginator) = libivs_core::paginated_operation(operation)?;
        let config = PaginationConfig::from_json(&parse_json(config, "the configuration")?)?;
        let state = parse_json(&input, "the input")
            .and_then(|input| Paginator::new(client, spec.name, input, config))
            .map_or_else(PaginatorState::Refused, PaginatorState::Running);
        Ok(NativePaginator {
            result_key: paginator.result_key.to_owned(),
            state: Arc::new(tokio::sync::Mutex::new(state)),
            resume_token: Arc::new(Mutex::new(None)),
        })
    }
}

#[napi]
impl NativePaginator {
    /// The output member holding the items (`channels`, `streamKeys`...).
    #[napi(getter)]
    pub fn result_key(&self) -> String {
        self.result_key.clone()
    }

    /// Where a later run can start once `maxItems` has cut the pages.
    #[napi(getter)]
    pub fn resume_token(&self) -> Option<String> {
        self.resume_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The next page; after the last one, an outcome with neither `output` nor `error`.
    #[napi(ts_return_type = "Promise<Outcome>")]
    pub fn next_page<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        let state = self.state.clone();
        let resume = self.resume_token.clone();
        spawn_outcome(env, async move {
            let mut state = state.lock().await;
            match std::mem::replace(&mut *state, PaginatorState::Done) {
                PaginatorState::Refused(error) => return Outcome::from_error(&error),
                other => *state = other,
            }
            let PaginatorState::Running(paginator) = &mut *state else {
                return Outcome::end();
            };
            let page = paginator.next_answer().await;
            *resume.lock().unwrap_or_else(|p| p.into_inner()) =
                paginator.resume_token().map(str::to_owned);
            match page {
                Some(result) => Outcome::from_text(result.and_then(Answer::into_text)),
                None => {
                    *state = PaginatorState::Done;
                    Outcome::end()
                }
            }
        })
    }
}
