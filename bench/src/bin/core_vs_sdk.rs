//! The core's cost per call against raw `aws-sdk-ivs` (with the same retry and timeout settings),
//! both on a 1-worker runtime, against the fixed-response `bench-server` on loopback. Each round
//! runs every pair back to back; the table gives medians of calls/s, of process CPU per call (the
//! server runs in another process) and of the per-round ratios, and whether the core stays within
//! 10% CPU of raw on sequential calls.
//!
//! `make bench-rust` = `cargo run --release -p libivs-bench --bin core_vs_sdk`
//! (BENCH_CALLS calls per measurement, 20000; BENCH_ROUNDS, 5; BENCH_LOG=warn|debug: a log sink).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_ivs::config::{BehaviorVersion, Credentials, Region};
use futures::future::join_all;
use libivs_core::log::{self, Level};
use libivs_core::{Client, ClientConfig, StaticCredentials};
use serde_json::json;

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234";
const IN_FLIGHT: usize = 64;

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server() -> Server {
    let exe = std::env::current_exe().expect("own path");
    let server = exe.with_file_name("bench-server");
    let mut child = Command::new(&server)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {}: {e} (build it with the same profile)",
                server.display()
            )
        });
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the server prints its URL");
    Server {
        child,
        url: line.trim().to_string(),
    }
}

/// Process CPU time (user + system, all threads; the server is another process).
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

#[derive(Clone, Copy)]
struct Measure {
    calls_per_second: f64,
    cpu_micros_per_call: f64,
}

fn measure(calls: usize, run: impl FnOnce()) -> Measure {
    let cpu = cpu_time();
    let wall = Instant::now();
    run();
    let wall = wall.elapsed().as_secs_f64();
    let cpu = (cpu_time() - cpu).as_secs_f64();
    Measure {
        calls_per_second: calls as f64 / wall,
        cpu_micros_per_call: cpu * 1e6 / calls as f64,
    }
}

fn one_worker_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// The raw client with the settings libivs gives its own (standard retries, 3 attempts, the
/// same connect/read/operation timeouts), so that the comparison isolates what libivs adds; the
/// SDK's bare defaults (no read or operation timeout) are measured as a reference row.
fn raw_client(url: &str, same_settings: bool) -> aws_sdk_ivs::Client {
    let mut config = aws_sdk_ivs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .http_client(libivs_core::sdk_http_client())
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("test", "test", None, None, "bench"))
        .endpoint_url(url);
    if same_settings {
        config = config
            .retry_config(
                libivs_core::sdk_retry_config(&Default::default()).expect("retry settings"),
            )
            .timeout_config(libivs_core::sdk_timeout_config(&Default::default()));
    }
    aws_sdk_ivs::Client::from_conf(config.build())
}

/// One comparison: what raw aws-sdk-ivs and the core measured in each round.
struct Row {
    name: &'static str,
    /// Whether the ≤ 10% CPU target applies to this row.
    gated: bool,
    rounds: Vec<(Measure, Measure)>,
}

impl Row {
    fn new(name: &'static str, gated: bool) -> Row {
        Row {
            name,
            gated,
            rounds: Vec::new(),
        }
    }

    fn median(&self, pick: impl Fn(&(Measure, Measure)) -> f64) -> f64 {
        let mut values: Vec<f64> = self.rounds.iter().map(pick).collect();
        values.sort_by(|a, b| a.total_cmp(b));
        let mid = values.len() / 2;
        if values.len() % 2 == 1 {
            values[mid]
        } else {
            (values[mid - 1] + values[mid]) / 2.0
        }
    }
}

/// A log sink that drops every record (BENCH_LOG).
struct Discard;

impl log::LogSink for Discard {
    fn log(&self, record: log::Record) {
        std::hint::black_box(record);
    }
}

fn main() {
    let env_number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let calls = env_number("BENCH_CALLS", 20_000);
    let rounds = env_number("BENCH_ROUNDS", 5).max(1);
    let server = start_server();

    let runtime = one_worker_runtime();
    let sdk = raw_client(&server.url, true);
    let sdk_defaults = raw_client(&server.url, false);
    let core = Client::new(ClientConfig {
        region: Some("us-west-2".into()),
        endpoint_url: Some(server.url.clone()),
        credentials: Some(StaticCredentials {
            access_key_id: "test".into(),
            secret_access_key: "test".into(),
            session_token: None,
        }),
        ..ClientConfig::default()
    })
    .expect("core client");
    let input = json!({"arn": ARN});
    // `BENCH_LOG=warn|debug` installs a log sink that drops what it gets, at that level, as a
    // face does (Python's default is warn: libivs's per-call records are off): the cost of
    // logging switched off, and on.
    if let Ok(level) = std::env::var("BENCH_LOG") {
        let level = match level.as_str() {
            "warn" => Level::Warn,
            "debug" => Level::Debug,
            other => panic!("BENCH_LOG={other}: expected warn or debug"),
        };
        log::set_sink(Some(Arc::new(Discard)), Some(level));
    }

    // Warm all up: connections, credentials caches, the lazily parsed model.
    runtime.block_on(async {
        for _ in 0..500 {
            sdk.get_channel().arn(ARN).send().await.unwrap();
            sdk_defaults.get_channel().arn(ARN).send().await.unwrap();
        }
    });
    for _ in 0..500 {
        core.call_blocking("GetChannel", input.clone()).unwrap();
    }

    // `BENCH_ONLY=raw|core|raw_thread|blocking|text|response_text` runs one sequential loop and
    // nothing else, for an instruction count under `valgrind --tool=callgrind` (repeatable where
    // timings are not): raw and core each on their own runtime's worker, raw `block_on` from this
    // thread, core `call_blocking` (a JSON value), and blocking calls answered as Node's output
    // text (`into_text`) or C's response text (`into_response_text`).
    if let Ok(only) = std::env::var("BENCH_ONLY") {
        match only.as_str() {
            "raw" => raw_on_worker(&runtime, &sdk, calls),
            "core" => core_on_worker(&core, &input, calls),
            "raw_thread" => raw_from_thread(&runtime, &sdk, calls),
            "blocking" => core_blocking(&core, &input, calls),
            "text" | "response_text" => core_text(&core, &input, calls, only == "text"),
            other => panic!(
                "BENCH_ONLY={other}: expected raw, core, raw_thread, blocking, text or response_text"
            ),
        }
        return;
    }

    println!(
        "endpoint {} · {calls} GetChannel calls per measurement · {rounds} rounds",
        server.url
    );
    let caller = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let per_task = calls / IN_FLIGHT;
    let mut rows = [
        Row::new("sequential, on the runtime's worker", true),
        Row::new("sequential, blocking from a thread", true),
        Row::new("64 in flight, on the runtime", false),
        Row::new("core from a foreign executor, seq.", false),
        Row::new("raw, SDK default settings, seq.", false),
    ];
    for round in 0..rounds {
        let raw = measure(calls, || raw_on_worker(&runtime, &sdk, calls));
        let ours = measure(calls, || core_on_worker(&core, &input, calls));
        rows[0].rounds.push((raw, ours));
        let raw_thread = measure(calls, || raw_from_thread(&runtime, &sdk, calls));
        let blocking = measure(calls, || core_blocking(&core, &input, calls));
        rows[1].rounds.push((raw_thread, blocking));
        let raw64 = measure(per_task * IN_FLIGHT, || {
            runtime.block_on(async {
                let tasks = (0..IN_FLIGHT).map(|_| {
                    let sdk = sdk.clone();
                    tokio::spawn(async move {
                        for _ in 0..per_task {
                            sdk.get_channel().arn(ARN).send().await.unwrap();
                        }
                    })
                });
                join_all(tasks).await;
            })
        });
        let core64 = measure(per_task * IN_FLIGHT, || {
            libivs_core::runtime::block_on(async {
                let tasks = (0..IN_FLIGHT).map(|_| {
                    let core = core.clone();
                    let input = input.clone();
                    tokio::spawn(async move {
                        for _ in 0..per_task {
                            core.call("GetChannel", input.clone()).await.unwrap();
                        }
                    })
                });
                join_all(tasks).await;
            })
            .unwrap()
        });
        rows[2].rounds.push((raw64, core64));
        let foreign = measure(calls, || {
            caller.block_on(async {
                for _ in 0..calls {
                    core.call("GetChannel", input.clone()).await.unwrap();
                }
            })
        });
        rows[3].rounds.push((raw, foreign));
        let defaults = measure(calls, || raw_on_worker(&runtime, &sdk_defaults, calls));
        rows[4].rounds.push((raw, defaults));
        eprintln!("round {} of {rounds} done", round + 1);
    }

    println!(
        "{:<38} {:>9} {:>9} {:>8} {:>8} {:>8} {:>8}",
        "measurement (medians of rounds)", "raw/s", "other/s", "speed", "raw µs", "other µs", "CPU"
    );
    let mut met = true;
    for row in &rows {
        // Ratios per round: each round's two sides ran back to back on the same machine state.
        let cpu = row.median(|(r, c)| c.cpu_micros_per_call / r.cpu_micros_per_call);
        met &= !row.gated || cpu <= 1.10;
        println!(
            "{:<38} {:>9.0} {:>9.0} {:>7.3}× {:>8.1} {:>8.1} {:>7.3}×{}",
            row.name,
            row.median(|(r, _)| r.calls_per_second),
            row.median(|(_, c)| c.calls_per_second),
            row.median(|(r, c)| c.calls_per_second / r.calls_per_second),
            row.median(|(r, _)| r.cpu_micros_per_call),
            row.median(|(_, c)| c.cpu_micros_per_call),
            cpu,
            if row.gated {
                "  (target ≤ 1.10×)"
            } else {
                ""
            }
        );
    }
    println!(
        "Target, the core's CPU per sequential call at most 10% over raw aws-sdk-ivs: {}",
        if met { "met" } else { "NOT met" }
    );
}

fn raw_on_worker(runtime: &tokio::runtime::Runtime, sdk: &aws_sdk_ivs::Client, calls: usize) {
    let sdk = sdk.clone();
    let task = runtime.spawn(async move {
        for _ in 0..calls {
            sdk.get_channel().arn(ARN).send().await.unwrap();
        }
    });
    runtime.block_on(task).unwrap();
}

fn core_on_worker(core: &Client, input: &serde_json::Value, calls: usize) {
    let core = core.clone();
    let input = input.clone();
    let task = libivs_core::runtime::runtime().spawn(async move {
        for _ in 0..calls {
            core.call("GetChannel", input.clone()).await.unwrap();
        }
    });
    libivs_core::runtime::block_on(task).unwrap().unwrap();
}

/// As a `#[tokio::main]` program or a synchronous caller does: the baseline for blocking calls.
fn raw_from_thread(runtime: &tokio::runtime::Runtime, sdk: &aws_sdk_ivs::Client, calls: usize) {
    runtime.block_on(async {
        for _ in 0..calls {
            sdk.get_channel().arn(ARN).send().await.unwrap();
        }
    })
}

fn core_blocking(core: &Client, input: &serde_json::Value, calls: usize) {
    for _ in 0..calls {
        core.call_blocking("GetChannel", input.clone()).unwrap();
    }
}

/// Blocking calls answered as JSON text: the output's (Node) or the whole response's (C).
fn core_text(core: &Client, input: &serde_json::Value, calls: usize, output_only: bool) {
    for _ in 0..calls {
        let answer = core
            .prepare("GetChannel", input.clone())
            .unwrap()
            .run_blocking(None)
            .unwrap();
        if output_only {
            std::hint::black_box(answer.into_text().unwrap());
        } else {
            std::hint::black_box(answer.into_response_text().unwrap());
        }
    }
}
