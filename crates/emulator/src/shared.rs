//! What every handler shares: the configuration, the state, injected faults, rate quotas, the
//! signature check and the routes.

use serde_json::Value;

use crate::auth::SignatureVerifier;
use crate::config::EmulatorConfig;
use crate::events::EventLog;
use crate::faults::FaultRegistry;
use crate::quotas::RateQuotas;
use crate::routing::Router;
use crate::state::{Delays, SharedState, State};

/// Everything the request handlers share.
pub struct Shared {
    pub config: EmulatorConfig,
    pub state: SharedState,
    pub faults: FaultRegistry,
    pub quotas: RateQuotas,
    pub verifier: SignatureVerifier,
    pub router: Router,
}

impl Shared {
    pub fn new(
        config: EmulatorConfig,
        webhook: Option<tokio::sync::mpsc::UnboundedSender<Value>>,
    ) -> Self {
        let delays = Delays {
            stream_end: config.stream_end_delay,
            recording_configuration: config.recording_configuration_delay,
        };
        let events = EventLog::new(&config.region, &config.account_id, webhook);
        Shared {
            state: SharedState::new(State::new(
                &config.region,
                &config.account_id,
                delays,
                events,
            )),
            faults: FaultRegistry::default(),
            quotas: RateQuotas::default(),
            verifier: SignatureVerifier::new(
                &config.region,
                &config.access_key_id,
                &config.secret_access_key,
            ),
            router: Router::new(),
            config,
        }
    }

    pub fn reset(&self) {
        self.state.reset();
        self.faults.clear();
        self.quotas.clear();
    }
}
