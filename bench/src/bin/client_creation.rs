//! What creating a client costs in-process (issue #15: ≤ 2 ms in every face): the first
//! `libivs_core::Client::new` of a process, the median of the next 1,000, and — for comparison —
//! the first raw aws-sdk-ivs client made afterwards, which pays what libivs defers to the first
//! call (validating the HTTP client loads the system's TLS roots). Static configuration (region,
//! endpoint and credentials given), nothing read from the environment.

use std::time::{Duration, Instant};

use libivs_core::{Client, ClientConfig, StaticCredentials};

fn config() -> ClientConfig {
    ClientConfig {
        region: Some("us-west-2".into()),
        endpoint_url: Some("http://127.0.0.1:9".into()),
        credentials: Some(StaticCredentials {
            access_key_id: "a".into(),
            secret_access_key: "b".into(),
            session_token: None,
        }),
        ..Default::default()
    }
}

fn timed<T>(make: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let made = make();
    (made, started.elapsed())
}

fn main() {
    let (_runtime, runtime_start) = timed(libivs_core::runtime::runtime);
    let (_first, first) = timed(|| Client::new(config()).expect("a client"));
    let mut next: Vec<Duration> = (0..1000)
        .map(|_| timed(|| Client::new(config()).expect("a client")).1)
        .collect();
    next.sort();
    let (_raw, raw_first) = timed(|| {
        aws_sdk_ivs::Client::from_conf(
            aws_sdk_ivs::Config::builder()
                .behavior_version(aws_sdk_ivs::config::BehaviorVersion::latest())
                .http_client(libivs_core::sdk_http_client())
                .region(aws_sdk_ivs::config::Region::new("us-west-2"))
                .build(),
        )
    });
    println!("| measurement | time |");
    println!("| --- | ---: |");
    println!("| shared runtime start | {runtime_start:?} |");
    println!("| first libivs client | {first:?} |");
    println!("| next libivs clients, median of 1,000 | {:?} |", next[500]);
    println!("| first raw aws-sdk-ivs client afterwards (loads TLS roots) | {raw_first:?} |");
}
