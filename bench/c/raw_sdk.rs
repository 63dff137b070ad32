//! The raw aws-sdk-ivs side of `make bench-c`: GetChannel against the same loopback endpoint as
//! the C API, on a 1-worker tokio runtime (as libivs's own): sequentially from `block_on` (as
//! `#[tokio::main]` code does) and as one task on the worker, and with 64 calls in flight.
//! Prints one JSON line per measurement.
//!
//! `raw_sdk_bench <endpoint-url> <calls>` (built by `bench/c/run.sh`, release profile).

use std::time::Instant;

use aws_sdk_ivs::config::{BehaviorVersion, Credentials, Region};

const ARN: &str = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234";
const IN_FLIGHT: usize = 64;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .expect("usage: raw_sdk_bench <endpoint-url> <calls>")
        .clone();
    let calls: usize = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(20_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    // The settings libivs gives its clients (standard retries, 3 attempts, its timeouts), so
    // that the comparison is of the C API's own cost, not of timers the SDK's defaults leave out.
    let config = aws_sdk_ivs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .http_client(libivs_core::sdk_http_client())
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("test", "test", None, None, "bench"))
        .endpoint_url(url)
        .retry_config(libivs_core::sdk_retry_config(&Default::default()).expect("retry settings"))
        .timeout_config(libivs_core::sdk_timeout_config(&Default::default()))
        .build();
    let sdk = aws_sdk_ivs::Client::from_conf(config);
    runtime.block_on(async {
        for _ in 0..500 {
            sdk.get_channel().arn(ARN).send().await.expect("GetChannel");
        }
    });

    let started = start();
    runtime.block_on(async {
        for _ in 0..calls {
            sdk.get_channel().arn(ARN).send().await.expect("GetChannel");
        }
    });
    report("sequential_block_on", calls, started);

    // The same loop as one task on the runtime's worker: no thread hop per I/O event, the
    // fastest sequential shape (the C API's baseline is the better of the two).
    let started = start();
    let worker_sdk = sdk.clone();
    let task = runtime.spawn(async move {
        for _ in 0..calls {
            worker_sdk
                .get_channel()
                .arn(ARN)
                .send()
                .await
                .expect("GetChannel");
        }
    });
    runtime.block_on(task).expect("the sequential task");
    report("sequential_on_worker", calls, started);

    let started = start();
    runtime.block_on(async {
        let lanes: Vec<_> = (0..IN_FLIGHT)
            .map(|lane| {
                let sdk = sdk.clone();
                let share = calls / IN_FLIGHT + usize::from(lane < calls % IN_FLIGHT);
                tokio::spawn(async move {
                    for _ in 0..share {
                        sdk.get_channel().arn(ARN).send().await.expect("GetChannel");
                    }
                })
            })
            .collect();
        for lane in lanes {
            lane.await.expect("a lane");
        }
    });
    report("in_flight_64", calls, started);
}

/// Process CPU time (user + system, all threads) in seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

struct Started {
    wall: Instant,
    cpu: f64,
}

fn start() -> Started {
    Started {
        wall: Instant::now(),
        cpu: cpu_seconds(),
    }
}

fn report(mode: &str, calls: usize, started: Started) {
    let seconds = started.wall.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - started.cpu;
    println!(
        "{{\"side\":\"raw_rust\",\"mode\":\"{mode}\",\"calls\":{calls},\"calls_per_second\":{:.1},\"cpu_us_per_call\":{:.1}}}",
        calls as f64 / seconds,
        cpu * 1e6 / calls as f64
    );
}
