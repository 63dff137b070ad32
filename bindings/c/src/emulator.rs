//! `ivs_emulator`: the in-process IVS emulator, for tests and demos without AWS.

use std::ffi::{c_char, CString};

use libivs_core::{EmbeddedEmulator, Error};

use crate::convert::{json_arg, json_text, kept_c_string, out_arg, owned_c_string, text_arg};
use crate::error::quietly;
use crate::error::IvsError;
use crate::ffi::{guard, IvsStatus};

/// A running IVS emulator (its own thread; thread-safe). Stop and free it with
/// `ivs_emulator_stop`.
pub struct IvsEmulator {
    emulator: EmbeddedEmulator,
    url: CString,
    rtmp_url: CString,
    rtmps_url: CString,
    client_config: CString,
}

unsafe fn emulator_arg<'a>(emulator: *const IvsEmulator) -> Result<&'a IvsEmulator, Error> {
    emulator
        .as_ref()
        .ok_or_else(|| Error::invalid_argument("emulator is NULL"))
}

/// Starts an emulator. `config_json` (NULL: defaults) may set `host` (`"127.0.0.1"`), `port`
/// (0: a free one), `region` (`"us-west-2"`), `account_id` (`"123456789012"`), `access_key_id`
/// and `secret_access_key` (`"test"`/`"test"`, the only credentials it accepts),
/// `worker_threads` (0: one current-thread runtime), `rtmp_port` / `rtmps_port` (0: free ones),
/// `stream_end_delay_ms` and `recording_configuration_delay_ms` (0), `quotas` (false) and
/// `events_webhook_url`. It listens when this returns. A bad configuration is an
/// `IVS_ERROR_KIND_CONFIG` error; a port it cannot listen on, `IVS_ERROR_KIND_NETWORK`. What a
/// running emulator refuses (an unknown stream key, a bad fault) is, in every face, an
/// `IVS_ERROR_KIND_INVALID_ARGUMENT` error with code `EmulatorError`, its text led by the IVS
/// error the emulator would answer (`ResourceNotFoundException (404): ...`).
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_start(
    config_json: *const c_char,
    emulator: *mut *mut IvsEmulator,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_emulator_start", error, || {
        out_arg(emulator, "emulator")?;
        let started = EmbeddedEmulator::start(&json_arg(config_json, "config_json")?)?;
        let info = started.info();
        let created = IvsEmulator {
            url: kept_c_string(&info.url),
            rtmp_url: kept_c_string(&info.rtmp_url),
            rtmps_url: kept_c_string(&info.rtmps_url),
            client_config: kept_c_string(&json_text(&started.client_config())),
            emulator: started,
        };
        emulator.write(Box::into_raw(Box::new(created)));
        Ok(IvsStatus::IVS_OK)
    })
}

/// The emulator's base URL, e.g. `"http://127.0.0.1:41234"`. Owned by the emulator; `""` for
/// NULL.
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_url(emulator: *const IvsEmulator) -> *const c_char {
    quietly(c"".as_ptr(), || {
        emulator.as_ref().map_or(c"".as_ptr(), |e| e.url.as_ptr())
    })
}

/// The RTMP ingest URL, `"rtmp://127.0.0.1:PORT/app/"`: publish to it with a stream key's value
/// appended (channels with `insecureIngest` only). Owned by the emulator; `""` for NULL.
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_rtmp_url(emulator: *const IvsEmulator) -> *const c_char {
    quietly(c"".as_ptr(), || {
        emulator
            .as_ref()
            .map_or(c"".as_ptr(), |e| e.rtmp_url.as_ptr())
    })
}

/// The RTMPS ingest URL (TLS, self-signed certificate), `"rtmps://127.0.0.1:PORT/app/"`. Owned
/// by the emulator; `""` for NULL.
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_rtmps_url(emulator: *const IvsEmulator) -> *const c_char {
    quietly(c"".as_ptr(), || {
        emulator
            .as_ref()
            .map_or(c"".as_ptr(), |e| e.rtmps_url.as_ptr())
    })
}

/// The EventBridge events recorded from cursor `since` on (0: all): `*events_json` is
/// `{"events": [{"version", "id", "detail-type", "source": "aws.ivs", "account", "time",
/// "region", "resources", "detail"}...], "cursor": next}` (free with `ivs_string_free`).
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_events_json(
    emulator: *const IvsEmulator,
    since: u64,
    events_json: *mut *mut c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_emulator_events_json", error, || {
        out_arg(events_json, "events_json")?;
        let emulator = emulator_arg(emulator)?;
        events_json.write(owned_c_string(json_text(
            &emulator.emulator.events(since)?,
        ))?);
        Ok(IvsStatus::IVS_OK)
    })
}

/// A client configuration (JSON: region, endpoint_url and the credentials it accepts) to pass
/// to `ivs_client_new`. Owned by the emulator; `""` for NULL.
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_client_config(emulator: *const IvsEmulator) -> *const c_char {
    quietly(c"".as_ptr(), || {
        emulator
            .as_ref()
            .map_or(c"".as_ptr(), |e| e.client_config.as_ptr())
    })
}

/// Simulates a broadcaster connecting with `stream_key` (a stream key's value): the channel goes
/// LIVE. `*result_json` is `{"channelArn", "streamId"}` (free with `ivs_string_free`).
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_start_stream(
    emulator: *const IvsEmulator,
    stream_key: *const c_char,
    result_json: *mut *mut c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_emulator_start_stream", error, || {
        out_arg(result_json, "result_json")?;
        let emulator = emulator_arg(emulator)?;
        let key = text_arg(stream_key, "stream_key")?;
        let started = emulator.emulator.start_stream(key)?;
        result_json.write(owned_c_string(json_text(&started))?);
        Ok(IvsStatus::IVS_OK)
    })
}

/// The channel's `playbackUrl` as served by this emulator (`http://127.0.0.1:PORT/api/video/...`,
/// path and query kept): GET it to play; private channels want `?token=<playback token>`.
/// `*local_url` is freed with `ivs_string_free`.
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_playback_url(
    emulator: *const IvsEmulator,
    playback_url: *const c_char,
    local_url: *mut *mut c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_emulator_playback_url", error, || {
        out_arg(local_url, "local_url")?;
        let emulator = emulator_arg(emulator)?;
        let url = text_arg(playback_url, "playback_url")?;
        local_url.write(owned_c_string(emulator.emulator.local_playback_url(url)?)?);
        Ok(IvsStatus::IVS_OK)
    })
}

/// Simulates the broadcaster of a live channel disconnecting.
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_stop_stream(
    emulator: *const IvsEmulator,
    channel_arn: *const c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_emulator_stop_stream", error, || {
        let emulator = emulator_arg(emulator)?;
        let arn = text_arg(channel_arn, "channel_arn")?;
        emulator.emulator.stop_stream(arn)?;
        Ok(IvsStatus::IVS_OK)
    })
}

/// Makes the next calls fail, stall or lose their connection: `fault_json` is
/// `{"operation": "GetChannel" | "*", "count": n, "status": 429 | 500 | 503}`, or with
/// `"delayMs": ms`, or with `"reset": true` (as the emulator's `POST /_emulator/faults`).
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_inject_fault(
    emulator: *const IvsEmulator,
    fault_json: *const c_char,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_emulator_inject_fault", error, || {
        let emulator = emulator_arg(emulator)?;
        let spec = json_arg(fault_json, "fault_json")?;
        emulator.emulator.inject_fault(&spec)?;
        Ok(IvsStatus::IVS_OK)
    })
}

/// Forgets every resource, stream and fault.
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_reset(
    emulator: *const IvsEmulator,
    error: *mut *mut IvsError,
) -> IvsStatus {
    guard("ivs_emulator_reset", error, || {
        emulator_arg(emulator)?.emulator.reset()?;
        Ok(IvsStatus::IVS_OK)
    })
}

/// Stops the emulator (open connections get a short grace period) and frees it. NULL is
/// accepted and ignored.
#[no_mangle]
pub unsafe extern "C" fn ivs_emulator_stop(emulator: *mut IvsEmulator) {
    if !emulator.is_null() {
        quietly((), || Box::from_raw(emulator).emulator.stop());
    }
}
