//! The core's cost per call against raw `aws-sdk-ivs`, both on a 1-worker runtime, against the
//! fixed-response `bench-server` on loopback, measured in one run. Reports calls/s, process CPU
//! per call (the server runs in another process) and the ratios.
//!
//! `cargo run --release -p libivs-bench --bin core_vs_sdk` (BENCH_CALLS sets the count).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_ivs::config::{BehaviorVersion, Credentials, Region};
use futures::future::join_all;
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

/// Process CPU time (user + system) from /proc, in clock ticks of 10 ms.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let after_name = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
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

fn main() {
    let calls: usize = std::env::var("BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let server = start_server();
    println!(
        "endpoint {} · {calls} GetChannel calls per measurement",
        server.url
    );

    let runtime = one_worker_runtime();
    let sdk = runtime.block_on(async {
        let shared = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new("us-west-2"))
            .credentials_provider(Credentials::new("test", "test", None, None, "bench"))
            .endpoint_url(&server.url)
            .load()
            .await;
        aws_sdk_ivs::Client::new(&shared)
    });
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

    // Warm both up: connections, credentials caches, the lazily parsed model.
    runtime.block_on(async {
        for _ in 0..500 {
            sdk.get_channel().arn(ARN).send().await.unwrap();
        }
    });
    for _ in 0..500 {
        core.call_blocking("GetChannel", input.clone()).unwrap();
    }

    // `BENCH_ONLY=raw|core` runs one sequential loop on the worker and nothing else, for an
    // instruction count under `valgrind --tool=callgrind` (repeatable where timings are not).
    if let Ok(only) = std::env::var("BENCH_ONLY") {
        let task = match only.as_str() {
            "raw" => {
                let sdk = sdk.clone();
                runtime.spawn(async move {
                    for _ in 0..calls {
                        sdk.get_channel().arn(ARN).send().await.unwrap();
                    }
                })
            }
            _ => {
                let core = core.clone();
                let input = input.clone();
                runtime.spawn(async move {
                    for _ in 0..calls {
                        core.call("GetChannel", input.clone()).await.unwrap();
                    }
                })
            }
        };
        runtime.block_on(task).unwrap();
        return;
    }

    // Both loops run as a task on their runtime's worker, as an async Rust caller would.
    let raw_sequential = measure(calls, || {
        let sdk = sdk.clone();
        let task = runtime.spawn(async move {
            for _ in 0..calls {
                sdk.get_channel().arn(ARN).send().await.unwrap();
            }
        });
        runtime.block_on(task).unwrap();
    });
    // The same loop driven from a plain thread with block_on, as a `#[tokio::main]` program or
    // a synchronous caller does: the baseline for libivs's blocking calls.
    let raw_from_thread = measure(calls, || {
        runtime.block_on(async {
            for _ in 0..calls {
                sdk.get_channel().arn(ARN).send().await.unwrap();
            }
        })
    });
    let core_blocking = measure(calls, || {
        for _ in 0..calls {
            core.call_blocking("GetChannel", input.clone()).unwrap();
        }
    });
    let core_native = measure(calls, || {
        let core = core.clone();
        let input = input.clone();
        let task = libivs_core::runtime::runtime().spawn(async move {
            for _ in 0..calls {
                core.call("GetChannel", input.clone()).await.unwrap();
            }
        });
        libivs_core::runtime::block_on(task).unwrap().unwrap();
    });
    let caller = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let core_async = measure(calls, || {
        caller.block_on(async {
            for _ in 0..calls {
                core.call("GetChannel", input.clone()).await.unwrap();
            }
        })
    });
    let per_task = calls / IN_FLIGHT;
    let raw_concurrent = measure(per_task * IN_FLIGHT, || {
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
    let core_concurrent_native = measure(per_task * IN_FLIGHT, || {
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
    let core_concurrent = measure(per_task * IN_FLIGHT, || {
        caller.block_on(async {
            let tasks = (0..IN_FLIGHT).map(|_| {
                let core = core.clone();
                let input = input.clone();
                async move {
                    for _ in 0..per_task {
                        core.call("GetChannel", input.clone()).await.unwrap();
                    }
                }
            });
            join_all(tasks).await;
        })
    });

    println!(
        "{:<40} {:>12} {:>14} {:>12} {:>12}",
        "measurement", "calls/s", "CPU µs/call", "speed ×raw", "CPU ×raw"
    );
    let row = |name: &str, m: Measure, raw: Measure| {
        println!(
            "{:<40} {:>12.0} {:>14.1} {:>12.3} {:>12.3}",
            name,
            m.calls_per_second,
            m.cpu_micros_per_call,
            m.calls_per_second / raw.calls_per_second,
            m.cpu_micros_per_call / raw.cpu_micros_per_call
        )
    };
    row(
        "raw aws-sdk-ivs, sequential",
        raw_sequential,
        raw_sequential,
    );
    row(
        "core call on its runtime, seq.",
        core_native,
        raw_sequential,
    );
    row(
        "raw aws-sdk-ivs, block_on from a thread",
        raw_from_thread,
        raw_from_thread,
    );
    row("core call_blocking, seq.", core_blocking, raw_from_thread);
    row(
        "core call from a foreign exec., seq.",
        core_async,
        raw_sequential,
    );
    row(
        "raw aws-sdk-ivs, 64 in flight",
        raw_concurrent,
        raw_concurrent,
    );
    row(
        "core call on its runtime, 64",
        core_concurrent_native,
        raw_concurrent,
    );
    row(
        "core call from a foreign exec., 64",
        core_concurrent,
        raw_concurrent,
    );
}
