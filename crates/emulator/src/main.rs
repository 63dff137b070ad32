//! `ivs-emulator`: runs the local Amazon IVS emulator until interrupted.

use std::time::Duration;

use libivs_emulator::{Emulator, EmulatorConfig};

const USAGE: &str = "Usage: ivs-emulator [options]

Serves the Amazon IVS API (2020-07-14) locally, for SDKs pointed at its URL.

Options:
  --host <host>                 address to listen on (default 127.0.0.1)
  --port <port>                 port to listen on; 0 picks a free one (default 4566)
  --rtmp-port <port>            plain RTMP ingest, for insecureIngest channels (default 1935)
  --rtmps-port <port>           RTMPS ingest, self-signed certificate (default 4443)
  --stream-end-delay-ms <ms>    from StopStream or a publisher leaving to the stream's end
                                (default 1000; 0 ends at once)
  --recording-configuration-delay-ms <ms>
                                how long a recording configuration is CREATING (default 1000)
  --quotas                      enforce IVS's API rate quotas (ThrottlingException)
  --events-webhook <url>        POST each EventBridge event to this http:// URL
  --region <region>             region it serves and accepts signatures for (default us-west-2)
  --account-id <id>             account in the ARNs it makes (default 123456789012)
  --access-key-id <id>          the access key it accepts (default test)
  --secret-access-key <secret>  the secret key it accepts (default test)
  --worker-threads <n>          runtime threads; 0 for one current-thread runtime
                                (default: the number of CPUs)
  -h, --help                    show this text";

fn parse_arguments() -> Result<EmulatorConfig, String> {
    let mut config = EmulatorConfig {
        port: 4566,
        rtmp_port: 1935,
        rtmps_port: 4443,
        stream_end_delay: Duration::from_millis(1000),
        recording_configuration_delay: Duration::from_millis(1000),
        worker_threads: std::thread::available_parallelism().map_or(1, usize::from),
        ..EmulatorConfig::default()
    };
    let mut arguments = std::env::args().skip(1);
    while let Some(flag) = arguments.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        if flag == "--quotas" {
            config.quotas = true;
            continue;
        }
        let value = arguments
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |value: &str| {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag} needs a number, not {value:?}"))
        };
        let port = |value: &str| {
            u16::try_from(number(value)?)
                .map_err(|_| format!("{flag} must be at most 65535, not {value}"))
        };
        let milliseconds = |value: &str| number(value).map(|ms| Duration::from_millis(ms as u64));
        match flag.as_str() {
            "--host" => config.host = value,
            "--port" => config.port = port(&value)?,
            "--rtmp-port" => config.rtmp_port = port(&value)?,
            "--rtmps-port" => config.rtmps_port = port(&value)?,
            "--stream-end-delay-ms" => config.stream_end_delay = milliseconds(&value)?,
            "--recording-configuration-delay-ms" => {
                config.recording_configuration_delay = milliseconds(&value)?
            }
            "--events-webhook" => config.events_webhook_url = Some(value),
            "--region" => config.region = value,
            "--account-id" => config.account_id = value,
            "--access-key-id" => config.access_key_id = value,
            "--secret-access-key" => config.secret_access_key = value,
            "--worker-threads" => config.worker_threads = number(&value)?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(config)
}

fn main() {
    let config = match parse_arguments() {
        Ok(config) => config,
        Err(problem) => {
            eprintln!("ivs-emulator: {problem}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let emulator = match Emulator::start(config) {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("ivs-emulator: cannot listen: {error}");
            std::process::exit(1);
        }
    };
    println!("ivs-emulator listening on {}", emulator.url());
    println!("  RTMP ingest  {}<stream key>", emulator.rtmp_url());
    println!("  RTMPS ingest {}<stream key>", emulator.rtmps_url());
    println!("  events       {}/_emulator/events", emulator.url());
    // The server runs on its own thread; this one only keeps the process alive until it is
    // interrupted.
    loop {
        std::thread::park();
    }
}
