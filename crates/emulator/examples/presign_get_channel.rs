//! Benchmark helper: creates a channel on a running emulator and writes a `wrk` Lua script that
//! replays one signed GetChannel request (signed now, so it stays valid for 15 minutes).
//!
//! ```sh
//! ivs-emulator --port 4566 &
//! cargo run -p libivs-emulator --example presign_get_channel -- http://127.0.0.1:4566 > /tmp/get_channel.lua
//! wrk -t2 -c64 -d10s -s /tmp/get_channel.lua http://127.0.0.1:4566
//! ```
//!
//! Without a URL it starts its own emulator, which then lives only as long as this program; that
//! mode is for checking the script, not for benchmarking.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use libivs_emulator::{Emulator, EmulatorConfig};

const REGION: &str = "us-west-2";

/// The headers that sign `POST {path}` with `body`, as an SDK would send them.
fn signing_headers(host: &str, path: &str, body: &str) -> Vec<(String, String)> {
    let identity: Identity = Credentials::new("test", "test", None, None, "bench").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name("ivs")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("complete signing parameters")
        .into();
    let url = format!("http://{host}{path}");
    let request = SignableRequest::new(
        "POST",
        url.as_str(),
        [("host", host), ("content-type", "application/json")].into_iter(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .expect("a signable request");
    let (instructions, _) = sign(request, &params).expect("signs").into_parts();
    let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
    headers.extend(
        instructions
            .headers()
            .map(|(name, value)| (name.to_string(), value.to_string())),
    );
    headers
}

/// Sends one signed request and returns the response body.
fn call(host: &str, path: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(host).expect("the emulator is reachable");
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in signing_headers(host, path, body) {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default()
}

fn lua_string(text: &str) -> String {
    format!("{text:?}")
}

fn main() {
    let own_emulator;
    let url = match std::env::args().nth(1) {
        Some(url) => url,
        None => {
            own_emulator = Emulator::start(EmulatorConfig::default()).expect("starts");
            own_emulator.url()
        }
    };
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let created: serde_json::Value =
        serde_json::from_str(&call(host, "/CreateChannel", r#"{"name":"bench"}"#))
            .expect("CreateChannel answers JSON");
    let arn = created["channel"]["arn"]
        .as_str()
        .expect("CreateChannel returns a channel ARN");
    let body = serde_json::json!({ "arn": arn }).to_string();
    println!("-- wrk script: one signed GetChannel for {arn}");
    println!("wrk.method = \"POST\"");
    println!("wrk.path = \"/GetChannel\"");
    println!("wrk.body = {}", lua_string(&body));
    for (name, value) in signing_headers(host, "/GetChannel", &body) {
        println!(
            "wrk.headers[{}] = {}",
            lua_string(&name),
            lua_string(&value)
        );
    }
}
