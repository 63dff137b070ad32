//! A minimal fixed-response IVS endpoint on loopback for benchmarks: `POST /GetChannel` answers
//! one channel, `POST /ListChannels` answers `--pages` pages of `--page-size` channels. It checks
//! no signature and keeps no state, so its own cost (a few µs per request) does not hide the
//! clients' costs. Prints its URL as the first line of stdout.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

const CHANNEL_ARN: &str = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234";

fn channel_json(index: usize) -> String {
    format!(
        r#"{{"arn":"{CHANNEL_ARN}{index}","name":"bench-{index}","latencyMode":"LOW","type":"STANDARD","recordingConfigurationArn":"","ingestEndpoint":"abcdef012345.global-contribute.live-video.net","playbackUrl":"https://abcdef012345.us-west-2.playback.live-video.net/api/video/v1/us-west-2.123456789012.channel.abcdABCD1234.m3u8","authorized":false,"tags":{{}},"insecureIngest":false,"preset":"","playbackRestrictionPolicyArn":"","containerFormat":"TS","multitrackInputConfiguration":{{"enabled":false,"policy":"ALLOW","maximumResolution":"FULL_HD"}}}}"#
    )
}

struct Answers {
    get_channel: Bytes,
    pages: Vec<Bytes>,
}

fn answers(pages: usize, page_size: usize) -> Answers {
    let get_channel = Bytes::from(format!(r#"{{"channel":{}}}"#, channel_json(0)));
    let pages = (0..pages)
        .map(|page| {
            let channels: Vec<String> = (0..page_size)
                .map(|i| {
                    // Summaries carry fewer members than channels; close enough for cost.
                    channel_json(page * page_size + i)
                })
                .collect();
            let next = if page + 1 < pages {
                format!(r#","nextToken":"page{}""#, page + 1)
            } else {
                String::new()
            };
            Bytes::from(format!(r#"{{"channels":[{}]{next}}}"#, channels.join(",")))
        })
        .collect();
    Answers { get_channel, pages }
}

fn reply(status: u16, body: Bytes, error_type: Option<&str>) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-amzn-requestid", "00000000-0000-0000-0000-000000000000");
    if let Some(code) = error_type {
        builder = builder.header("x-amzn-errortype", code);
    }
    builder.body(Full::new(body)).expect("a valid response")
}

async fn handle(
    answers: &'static Answers,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().to_owned();
    let body = request
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    Ok(match path.as_str() {
        "/GetChannel" => reply(200, answers.get_channel.clone(), None),
        "/ListChannels" => {
            // The token is "pageN"; find it without a JSON parse to keep the server cheap.
            let text = std::str::from_utf8(&body).unwrap_or_default();
            let page = text
                .find("\"page")
                .and_then(|at| {
                    let digits: String = text[at + 5..]
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    digits.parse::<usize>().ok()
                })
                .unwrap_or(0);
            match answers.pages.get(page) {
                Some(body) => reply(200, body.clone(), None),
                None => reply(
                    400,
                    Bytes::from_static(br#"{"exceptionMessage":"bad token"}"#),
                    Some("ValidationException"),
                ),
            }
        }
        _ => reply(
            404,
            Bytes::from_static(br#"{"exceptionMessage":"not served by bench-server"}"#),
            Some("ResourceNotFoundException"),
        ),
    })
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let port = arg("--port", 0) as u16;
    let answers: &'static Answers =
        Box::leak(Box::new(answers(arg("--pages", 3), arg("--page-size", 10))));
    // One thread: the benchmarked client gets the other core.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .expect("bind");
        println!("http://{}", listener.local_addr().expect("address"));
        use std::io::Write;
        let _ = std::io::stdout().flush();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = service_fn(move |request| handle(answers, request));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}
