//! The viewers' side: each channel's playback URL path answers an HLS master playlist while the
//! channel is live, and private (`authorized`) channels want a playback token checked as IVS
//! checks it. Viewers do not sign their requests, so nothing here looks at SigV4.
//!
//! The checks, in order: the channel exists; for a private channel, the `token` query parameter
//! is a well-formed ES384 JWT whose signature verifies with one of the imported playback key
//! pairs, its `aws:channel-arn` is the channel, its `exp` is in the future, its origin rules
//! (`aws:access-control-allow-origin`, `aws:strict-origin-enforcement`) admit the request's
//! `Origin`; then the channel's playback restriction policy's origin rules; for a private
//! channel again, its `aws:single-use-uuid` has not been used and no viewer-session revocation
//! covers it; finally the channel is live. Only a playlist actually served uses up a single-use
//! token.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Response, StatusCode, Uri};
use http_body_util::Full;
use libivs_token::TokenErrorKind;
use serde_json::{json, Value};

use crate::auth::percent_decode;
use crate::response::HttpResponse;
use crate::shared::Shared;
use crate::state::{ResourceKind, State};

/// Where playback URLs' paths start: `/api/video/v1/<region>.<account>.channel.<id>.m3u8`.
pub const PLAYBACK_PATH_PREFIX: &str = "/api/video/v1/";
const PLAYLIST_SUFFIX: &str = ".m3u8";

/// One rung of the transcoding ladder a master playlist offers.
struct Rendition {
    name: &'static str,
    width: u32,
    height: u32,
    bandwidth: u64,
    codecs: &'static str,
}

/// What a STANDARD channel offers for the simulated 1080p30 source, best first.
const LADDER: &[Rendition] = &[
    Rendition {
        name: "1080p30",
        width: 1920,
        height: 1080,
        bandwidth: 6_500_000,
        codecs: "avc1.64002A,mp4a.40.2",
    },
    Rendition {
        name: "720p30",
        width: 1280,
        height: 720,
        bandwidth: 3_000_000,
        codecs: "avc1.4D401F,mp4a.40.2",
    },
    Rendition {
        name: "480p30",
        width: 852,
        height: 480,
        bandwidth: 1_500_000,
        codecs: "avc1.4D401E,mp4a.40.2",
    },
    Rendition {
        name: "360p30",
        width: 640,
        height: 360,
        bandwidth: 630_000,
        codecs: "avc1.4D401E,mp4a.40.2",
    },
    Rendition {
        name: "160p30",
        width: 284,
        height: 160,
        bandwidth: 230_000,
        codecs: "avc1.4D400C,mp4a.40.2",
    },
];

/// Whether a request path is a playback URL's (and so not an IVS operation).
pub fn is_playback_path(path: &str) -> bool {
    path.starts_with(PLAYBACK_PATH_PREFIX)
}

/// Why a viewer is not served: the status, a stable code and a message saying which check failed.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
}

fn forbidden(code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        status: StatusCode::FORBIDDEN,
        code,
        message: message.into(),
    }
}

fn not_found(code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        status: StatusCode::NOT_FOUND,
        code,
        message: message.into(),
    }
}

/// The origins a rule admits: any (`*`) or a list.
enum Origins {
    Any,
    List(Vec<String>),
}

impl Origins {
    fn parse_claim(claim: &str) -> Origins {
        let list: Vec<String> = claim
            .split(',')
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(str::to_string)
            .collect();
        if list.is_empty() || list.iter().any(|origin| origin == "*") {
            Origins::Any
        } else {
            Origins::List(list)
        }
    }

    fn allows(&self, origin: &str) -> bool {
        let normal = |text: &str| text.trim().trim_end_matches('/').to_ascii_lowercase();
        match self {
            Origins::Any => true,
            Origins::List(list) => list.iter().any(|allowed| normal(allowed) == normal(origin)),
        }
    }
}

/// What a served playlist needs beyond the channel: the renditions and the CORS answer.
struct Playback {
    renditions: Vec<&'static Rendition>,
    allow_origin: Option<String>,
}

pub fn handle(shared: &Shared, method: &Method, uri: &Uri, headers: &HeaderMap) -> HttpResponse {
    if method != Method::GET && method != Method::HEAD {
        let mut response = refusal_response(&Refusal {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "method_not_allowed",
            message: format!("Playback URLs answer GET and HEAD, not {method}"),
        });
        response
            .headers_mut()
            .insert(http::header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let token = query_parameter(uri, "token");
    let origin = headers
        .get(http::header::ORIGIN)
        .and_then(|value| value.to_str().ok());
    let outcome = {
        let mut state = shared.state.lock_state();
        authorize(&mut state, uri.path(), token.as_deref(), origin)
    };
    match outcome {
        Ok(playback) => playlist_response(&playback),
        Err(refusal) => refusal_response(&refusal),
    }
}

fn query_parameter(uri: &Uri, name: &str) -> Option<String> {
    uri.query()?
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(key, _)| percent_decode(key) == name)
        .map(|(_, value)| percent_decode(value).into_owned())
}

/// The ARN of the channel a playback path names, as
/// `/api/video/v1/<region>.<account>.channel.<id>.m3u8`.
fn channel_arn_of(path: &str) -> Option<String> {
    let name = path
        .strip_prefix(PLAYBACK_PATH_PREFIX)?
        .strip_suffix(PLAYLIST_SUFFIX)?;
    if name.contains('/') {
        return None;
    }
    let (scope, id) = name.rsplit_once(".channel.")?;
    let (region, account) = scope.split_once('.')?;
    Some(format!("arn:aws:ivs:{region}:{account}:channel/{id}"))
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs_f64())
        .unwrap_or(0.0)
}

fn authorize(
    state: &mut State,
    path: &str,
    token: Option<&str>,
    origin: Option<&str>,
) -> Result<Playback, Refusal> {
    let unknown = || not_found("channel_not_found", format!("No channel plays at {path}"));
    let channel_arn = channel_arn_of(path).ok_or_else(unknown)?;
    let channel = state
        .get(ResourceKind::Channel, &channel_arn)
        .map_err(|_| unknown())?;
    let authorized = channel.body["authorized"] == true;
    let channel_type = channel.body["type"]
        .as_str()
        .unwrap_or("STANDARD")
        .to_string();
    let policy_arn = channel.body["playbackRestrictionPolicyArn"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let mut origin_rules = Vec::new();
    let mut maximum_height = u32::MAX;
    let claims = if authorized {
        let claims = verified_claims(state, &channel_arn, token)?;
        let token_origins = match &claims["aws:access-control-allow-origin"] {
            Value::String(claim) => Origins::parse_claim(claim),
            _ => Origins::Any,
        };
        if claims["aws:strict-origin-enforcement"] == true {
            enforce_origin(
                &token_origins,
                origin,
                "token_origin_not_allowed",
                "the playback token's aws:access-control-allow-origin (aws:strict-origin-enforcement is true)",
            )?;
        }
        origin_rules.push(token_origins);
        match &claims["aws:maximum-resolution"] {
            Value::Null => {}
            Value::String(resolution) => {
                maximum_height = match resolution.as_str() {
                    "SD" => 480,
                    "HD" => 720,
                    "FULL_HD" => 1080,
                    other => {
                        return Err(forbidden(
                            "invalid_claim",
                            format!(
                                "The playback token's aws:maximum-resolution must be SD, HD or FULL_HD, not {other:?}"
                            ),
                        ))
                    }
                }
            }
            _ => {
                return Err(forbidden(
                    "invalid_claim",
                    "The playback token's aws:maximum-resolution must be a string",
                ))
            }
        }
        Some(claims)
    } else {
        None
    };

    if let Ok(policy) = state.get(ResourceKind::PlaybackRestrictionPolicy, &policy_arn) {
        let allowed: Vec<String> = policy.body["allowedOrigins"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        if !allowed.is_empty() {
            let policy_origins = Origins::List(allowed);
            if policy.body["enableStrictOriginEnforcement"] == true {
                enforce_origin(
                    &policy_origins,
                    origin,
                    "policy_origin_not_allowed",
                    &format!("the allowedOrigins of the channel's playback restriction policy {policy_arn} (enableStrictOriginEnforcement is true)"),
                )?;
            }
            origin_rules.push(policy_origins);
        }
    }

    let mut single_use_uuid = None;
    if let Some(claims) = &claims {
        if let Some(uuid) = claims["aws:single-use-uuid"].as_str() {
            if state.used_single_use_uuids.contains(uuid) {
                return Err(forbidden(
                    "single_use_token_reused",
                    format!(
                        "The playback token's aws:single-use-uuid {uuid} has already been used"
                    ),
                ));
            }
            single_use_uuid = Some(uuid.to_string());
        }
        check_revocations(state, &channel_arn, claims)?;
    }

    let Some(live) = state.live.get_mut(&channel_arn) else {
        return Err(not_found(
            "channel_offline",
            format!("Channel: {channel_arn} is not currently online"),
        ));
    };
    // A served playlist is a viewer for GetStream's viewerCount.
    live.record_view(std::time::Instant::now());
    let renditions: Vec<&'static Rendition> = ladder(&channel_type)
        .iter()
        .filter(|rendition| rendition.height <= maximum_height)
        .collect();
    if renditions.is_empty() {
        return Err(forbidden(
            "resolution_unavailable",
            format!(
                "No rendition of this {channel_type} channel is within the token's aws:maximum-resolution"
            ),
        ));
    }
    if let Some(uuid) = single_use_uuid {
        state.used_single_use_uuids.insert(uuid);
    }
    Ok(Playback {
        renditions,
        allow_origin: allow_origin(&origin_rules, origin),
    })
}

/// The renditions a channel type transcodes the 1080p30 source to: BASIC passes the source
/// through, ADVANCED_SD and ADVANCED_HD top out at 480p and 720p.
fn ladder(channel_type: &str) -> &'static [Rendition] {
    match channel_type {
        "BASIC" => &LADDER[..1],
        "ADVANCED_SD" => &LADDER[2..],
        "ADVANCED_HD" => &LADDER[1..],
        _ => LADDER,
    }
}

/// Checks the token's form and signature against every imported playback key pair, then its
/// channel and expiry; answers its claims.
fn verified_claims(
    state: &State,
    channel_arn: &str,
    token: Option<&str>,
) -> Result<Value, Refusal> {
    let token = token.filter(|token| !token.is_empty()).ok_or_else(|| {
        forbidden(
            "missing_token",
            format!(
                "Channel: {channel_arn} is private: a playback token is required in the token query parameter"
            ),
        )
    })?;
    let mut claims = None;
    for public_key_pem in state.playback_public_keys.values() {
        match libivs_token::decode_verified(public_key_pem, token) {
            Ok(verified) => {
                claims = Some(verified);
                break;
            }
            Err(error) if error.kind == TokenErrorKind::MalformedToken => {
                return Err(forbidden(
                    "malformed_token",
                    format!("The playback token is not a well-formed ES384 JWT: {error}"),
                ));
            }
            Err(_) => {}
        }
    }
    let claims = claims.ok_or_else(|| {
        let why = if state.playback_public_keys.is_empty() {
            "no playback key pair has been imported"
        } else {
            "it was not signed by the private key of any imported playback key pair"
        };
        forbidden(
            "invalid_signature",
            format!("The playback token's signature does not verify: {why}"),
        )
    })?;
    let token_channel = claims["aws:channel-arn"].as_str().unwrap_or_default();
    if token_channel != channel_arn {
        return Err(forbidden(
            "channel_mismatch",
            format!(
                "The playback token's aws:channel-arn is {token_channel:?}, not this channel ({channel_arn})"
            ),
        ));
    }
    let exp = claims["exp"].as_f64().ok_or_else(|| {
        forbidden(
            "malformed_token",
            "The playback token has no numeric exp claim",
        )
    })?;
    if exp <= unix_now() {
        return Err(forbidden(
            "token_expired",
            format!("The playback token expired at {exp} (seconds since 1970)"),
        ));
    }
    Ok(claims)
}

/// Strict origin enforcement: the request must carry an `Origin` that `origins` admits.
fn enforce_origin(
    origins: &Origins,
    origin: Option<&str>,
    code: &'static str,
    rule: &str,
) -> Result<(), Refusal> {
    match origin {
        None => Err(forbidden(
            code,
            format!("The request has no Origin header, which {rule} requires"),
        )),
        Some(origin) if !origins.allows(origin) => Err(forbidden(
            code,
            format!("Origin {origin} is not allowed by {rule}"),
        )),
        Some(_) => Ok(()),
    }
}

/// Revocations cover tokens with the same channel and `aws:viewer-id` whose
/// `aws:viewer-session-version` (0 when absent) is at most the revoked version.
fn check_revocations(state: &State, channel_arn: &str, claims: &Value) -> Result<(), Refusal> {
    let Some(viewer_id) = claims["aws:viewer-id"].as_str() else {
        return Ok(());
    };
    let version = claims["aws:viewer-session-version"].as_i64().unwrap_or(0);
    let revoked = state.revocations.iter().find(|revocation| {
        revocation.channel_arn == channel_arn
            && revocation.viewer_id == viewer_id
            && i128::from(version) <= i128::from(revocation.versions_up_to)
    });
    match revoked {
        Some(revocation) => Err(forbidden(
            "viewer_session_revoked",
            format!(
                "Viewer {viewer_id}'s sessions up to version {} on channel {channel_arn} have been revoked (the token's aws:viewer-session-version is {version})",
                revocation.versions_up_to
            ),
        )),
        None => Ok(()),
    }
}

/// The `Access-Control-Allow-Origin` answer: `*` when no rule restricts origins, the request's
/// origin when every rule admits it, and none otherwise (the browser then refuses).
fn allow_origin(rules: &[Origins], origin: Option<&str>) -> Option<String> {
    if rules.iter().all(|rule| matches!(rule, Origins::Any)) {
        return Some("*".to_string());
    }
    let origin = origin?;
    rules
        .iter()
        .all(|rule| rule.allows(origin))
        .then(|| origin.to_string())
}

fn master_playlist(renditions: &[&Rendition]) -> String {
    let mut playlist = String::from("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for rendition in renditions {
        playlist.push_str(&format!(
            "#EXT-X-STREAM-INF:BANDWIDTH={},RESOLUTION={}x{},CODECS=\"{}\"\nrendition/{}.m3u8\n",
            rendition.bandwidth,
            rendition.width,
            rendition.height,
            rendition.codecs,
            rendition.name
        ));
    }
    playlist
}

fn playlist_response(playback: &Playback) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from(master_playlist(
        &playback.renditions,
    ))));
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.apple.mpegurl"),
    );
    headers.insert(
        http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    );
    if let Some(allow) = playback
        .allow_origin
        .as_deref()
        .and_then(|allow| HeaderValue::from_str(allow).ok())
    {
        let echoes_origin = allow != "*";
        headers.insert(http::header::ACCESS_CONTROL_ALLOW_ORIGIN, allow);
        if echoes_origin {
            headers.insert(http::header::VARY, HeaderValue::from_static("Origin"));
        }
    }
    response
}

fn refusal_response(refusal: &Refusal) -> HttpResponse {
    let body = json!({
        "error": refusal.status.canonical_reason().unwrap_or("Error"),
        "code": refusal.code,
        "message": refusal.message,
    });
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = refusal.status;
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // Lets a browser player read why it was refused.
    headers.insert(
        http::header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playback_paths_name_channels() {
        assert_eq!(
            channel_arn_of("/api/video/v1/us-west-2.123456789012.channel.AbCd1234EfGh.m3u8")
                .as_deref(),
            Some("arn:aws:ivs:us-west-2:123456789012:channel/AbCd1234EfGh")
        );
        assert_eq!(channel_arn_of("/api/video/v1/us-west-2.123.m3u8"), None);
        assert_eq!(
            channel_arn_of("/api/video/v1/x/us-west-2.1.channel.a.m3u8"),
            None
        );
    }

    #[test]
    fn origin_rules_and_cors_answers() {
        let list = Origins::parse_claim("https://a.example, https://b.example/");
        assert!(list.allows("https://b.example"));
        assert!(list.allows("HTTPS://A.example"));
        assert!(!list.allows("https://c.example"));
        assert!(matches!(Origins::parse_claim("*"), Origins::Any));
        assert_eq!(allow_origin(&[], None).as_deref(), Some("*"));
        assert_eq!(
            allow_origin(&[list], Some("https://a.example")).as_deref(),
            Some("https://a.example")
        );
        let list = Origins::parse_claim("https://a.example");
        assert_eq!(allow_origin(&[list], Some("https://x.example")), None);
    }

    #[test]
    fn master_playlists_list_renditions() {
        let renditions: Vec<&Rendition> = LADDER.iter().collect();
        let playlist = master_playlist(&renditions);
        assert!(playlist.starts_with("#EXTM3U\n#EXT-X-VERSION:3\n"));
        assert_eq!(playlist.matches("#EXT-X-STREAM-INF:").count(), LADDER.len());
        assert!(playlist.contains("RESOLUTION=1920x1080"));
    }
}
