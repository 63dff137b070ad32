//! libivs core: the whole Amazon IVS control-plane API (API 2020-07-14, all 46 operations)
//! through `aws-sdk-ivs`, driven by JSON-shaped requests and responses with the wire's member
//! names — the one engine under every libivs face.
//!
//! ```no_run
//! use libivs_core::{Client, ClientConfig};
//! let client = Client::new(ClientConfig { region: Some("us-west-2".into()), ..Default::default() })?;
//! let created = client.call_blocking("CreateChannel", serde_json::json!({"name": "demo"}))?;
//! println!("{}", created.output["channel"]["arn"]);
//! # Ok::<(), libivs_core::Error>(())
//! ```

mod call;
mod calls;
mod client;
mod config;
mod convert;
mod embedded;
mod error;
mod generated;
mod json;
mod local;
pub mod log;
mod metadata;
mod output;
mod page;
mod paginator;
pub mod playback;
mod presign;
pub mod runtime;
mod sdk;
use libivs_sigpipe as sigpipe;

pub use call::{Answer, PreparedCall};
pub use calls::{CallGroup, CallHandle, Interrupt};
pub use client::{Client, Response, TextResponse};
pub use config::{
    ClientConfig, RetryMode, StaticCredentials, CONFIG_KEYS, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_OPERATION_TIMEOUT, DEFAULT_READ_TIMEOUT,
};
pub use convert::OutputSink;
pub use embedded::EmbeddedEmulator;
pub use error::{Error, ErrorKind};
pub use json::parse_json_arg;
pub use libivs_emulator::{
    Emulator, EmulatorConfig, EmulatorError, EmulatorInfo, Fault, FaultKind,
};
pub use libivs_model::{
    calendar, error_shapes, model, operation, paginated_operations, shape, too_deep_message,
    too_deep_path, OperationSpec, PaginatorSpec, MAX_INPUT_DEPTH, OPERATIONS, REDACTED,
};
pub use metadata::ResponseMetadata;
pub use paginator::{paginated_operation, ItemPaginator, PaginationConfig, Paginator};
pub use playback::{
    generate_playback_key_pair, sign_playback_token, verify_playback_token, PlaybackKeyPair,
};
pub use presign::{presign_expiry, MAX_PRESIGN_EXPIRY};
pub use sdk::{sdk_http_client, sdk_retry_config, sdk_timeout_config};
