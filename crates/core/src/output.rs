//! An operation's output from aws-sdk-ivs, kept as the SDK answered it until a face asks for it
//! in its form: JSON text, a JSON value (Rust's `Response`), or its own sink,
//! with a paginator's cut of the page applied on the way.

use serde_json::Value;

use crate::convert::{Emit, JsonText, JsonValue, OutputSink, PageFacts};
use crate::error::Error;
use crate::page::PageCut;

/// An operation's output from aws-sdk-ivs, still to be shown: as JSON text, as a JSON value
/// (the core's `Response`), or to a face's sink.
pub(crate) trait SdkOutput: Send {
    /// Emits the output into `sink`, with a paginator's cut of the page applied if given.
    fn emit_to(&self, cut: Option<&PageCut>, sink: &mut dyn OutputSink);
    fn to_value(&self, cut: Option<&PageCut>) -> Value;
    fn write_json(&self, cut: Option<&PageCut>, out: &mut Vec<u8>);
    /// A paginated operation's page: its next token and item count (None for other outputs).
    fn page_facts(&self) -> Option<PageFacts<'_>>;
}

/// `output` emitted into `sink`, through `cut` if given (generic: each sink monomorphized).
fn emit_cut<T: Emit, S: OutputSink + ?Sized>(output: &T, cut: Option<&PageCut>, sink: &mut S) {
    match cut {
        None => output.emit(sink),
        Some(cut) => output.emit(&mut cut.apply(sink)),
    }
}

impl<T: Emit + Send> SdkOutput for T {
    fn emit_to(&self, cut: Option<&PageCut>, sink: &mut dyn OutputSink) {
        emit_cut(self, cut, sink);
    }

    fn to_value(&self, cut: Option<&PageCut>) -> Value {
        let mut value = JsonValue::default();
        emit_cut(self, cut, &mut value);
        value.finish()
    }

    fn write_json(&self, cut: Option<&PageCut>, out: &mut Vec<u8>) {
        emit_cut(self, cut, &mut JsonText::new(out));
    }

    fn page_facts(&self) -> Option<PageFacts<'_>> {
        Emit::page_facts(self)
    }
}

/// Converts what `send()` answered into the output or our error.
pub(crate) fn finish_call<O, E>(
    result: Result<O, aws_sdk_ivs::error::SdkError<E, aws_smithy_runtime_api::http::Response>>,
) -> Result<Box<dyn SdkOutput>, Error>
where
    O: Emit + Send + 'static,
    E: aws_sdk_ivs::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(output) => Ok(Box::new(output)),
        Err(error) => Err(Error::from_sdk(error)),
    }
}
