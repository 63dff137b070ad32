//! The core client a `NativeClient` builds on its first call when the AWS environment must be
//! read (so that the constructor never blocks), with the calls it has in flight.

use std::collections::HashMap;
use std::sync::Mutex;

use libivs_core::{CallGroup, CallHandle, Client, ClientConfig, Error};

/// The client's configuration and, once built, the core client. Building is deferred to the
/// first call when the AWS environment must be read, so that the constructor never blocks.
pub(crate) struct Lazy {
    pub(crate) config: ClientConfig,
    pub(crate) client: tokio::sync::OnceCell<Client>,
    /// The calls in flight (the core's call group).
    pub(crate) calls: CallGroup,
    /// Calls that an `AbortSignal` may cancel, by the id JavaScript gave them.
    pub(crate) cancels: Mutex<HashMap<u32, CallHandle>>,
}

impl Lazy {
    pub(crate) async fn client(&self) -> Result<Client, Error> {
        self.client
            .get_or_try_init(|| Client::new_async(self.config.clone()))
            .await
            .cloned()
    }
}
