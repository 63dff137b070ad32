//! `ivs-emulator`: runs the local Amazon IVS emulator until interrupted.

use libivs_emulator::{Emulator, EmulatorConfig};

const USAGE: &str = "Usage: ivs-emulator [options]

Serves the Amazon IVS API (2020-07-14) locally, for SDKs pointed at its URL.

Options:
  --host <host>                 address to listen on (default 127.0.0.1)
  --port <port>                 port to listen on; 0 picks a free one (default 4566)
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
        worker_threads: std::thread::available_parallelism().map_or(1, usize::from),
        ..EmulatorConfig::default()
    };
    let mut arguments = std::env::args().skip(1);
    while let Some(flag) = arguments.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = arguments
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |value: &str| {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag} needs a number, not {value:?}"))
        };
        match flag.as_str() {
            "--host" => config.host = value,
            "--port" => {
                config.port = u16::try_from(number(&value)?)
                    .map_err(|_| format!("--port must be at most 65535, not {value}"))?
            }
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
    // The server runs on its own thread; this one only keeps the process alive until it is
    // interrupted.
    loop {
        std::thread::park();
    }
}
