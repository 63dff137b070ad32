//! Helpers shared by the core's integration tests.

use std::io::{Read, Write};

use libivs_core::{Client, ClientConfig, Emulator, EmulatorConfig};

/// An emulator with the default configuration (free port, instant lifecycles).
#[allow(dead_code)] // each test file compiles this module; not every one makes its own emulator
pub fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator starts")
}

/// A client of `emulator`, its configuration changed by `tweak` first.
#[allow(dead_code)] // as above
pub fn client_with(emulator: &Emulator, tweak: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut config = ClientConfig::for_emulator(emulator);
    tweak(&mut config);
    Client::new(config).expect("client builds")
}

#[allow(dead_code)] // as above
/// A plain HTTP GET of a local `http://host:port/path` URL: the status and the body.
pub fn http_get(url: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("a local http URL");
    let (authority, path) = rest.split_at(rest.find('/').expect("a path"));
    let mut stream = std::net::TcpStream::connect(authority).expect("the server accepts");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .expect("the request is written");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("a response");
    let status = response[9..12].parse().expect("a status code");
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (status, body)
}
