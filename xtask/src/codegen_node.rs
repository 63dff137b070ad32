//! Generated files of the node face. Each entry is (path relative to the repo root, content).
//!
//! - `node/generated.js`: the operation table, modeled errors and where outputs hold
//!   timestamps; `node/index.js` builds the 46 methods, 46 `*Command` classes, 9 `paginate*`
//!   functions and the error classes from it at load time.
//! - `node/index.d.ts`: every input/output shape, string-literal enums, the client, commands,
//!   paginators and errors.
//! - `node/index.mjs`: the ESM entry, naming every export of the CommonJS entry.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Value};

use crate::docs::operation_doc;
use crate::model::{
    generated_header, header_members, is_header, members, required, Model, Operation,
};

/// The CommonJS entry, whose own (not generated) exports `node/index.mjs` names first.
const INDEX_JS: &str = "node/index.js";

/// `CreateChannel` → `createChannel`.
fn method_name(operation: &str) -> String {
    let mut chars = operation.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

pub fn outputs(root: &Path, model: &Model) -> Result<Vec<(String, String)>, String> {
    let index_path = root.join(INDEX_JS);
    let index_js = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("{}: {e}", index_path.display()))?;
    Ok(vec![
        ("node/generated.js".to_string(), generated_js(model)),
        ("node/index.d.ts".to_string(), typescript(model)),
        (
            "node/index.mjs".to_string(),
            esm_entry(model, &own_exports(&index_js)?),
        ),
    ])
}

/// Where a value of `shape` holds timestamps: `1` for a timestamp, a structure's name (listed
/// in the table), `["L", d]` for lists and `["M", d]` for maps; `None` when it holds none.
fn timestamp_descriptor(
    model: &Model,
    shape: &str,
    table: &mut BTreeMap<String, Value>,
    visiting: &mut BTreeSet<String>,
) -> Option<Value> {
    let spec = model.shape(shape);
    match spec["type"].as_str()? {
        "timestamp" => Some(json!(1)),
        "list" => timestamp_descriptor(model, spec["member"]["shape"].as_str()?, table, visiting)
            .map(|d| json!(["L", d])),
        "map" => timestamp_descriptor(model, spec["value"]["shape"].as_str()?, table, visiting)
            .map(|d| json!(["M", d])),
        "structure" => {
            if table.contains_key(shape) || visiting.contains(shape) {
                return Some(json!(shape));
            }
            visiting.insert(shape.to_string());
            let mut found = serde_json::Map::new();
            for (member, member_spec) in members(spec) {
                let target = member_spec["shape"].as_str().expect("member shape");
                if let Some(d) = timestamp_descriptor(model, target, table, visiting) {
                    found.insert(member.clone(), d);
                }
            }
            visiting.remove(shape);
            if found.is_empty() {
                None
            } else {
                table.insert(shape.to_string(), Value::Object(found));
                Some(json!(shape))
            }
        }
        _ => None,
    }
}

fn generated_js(model: &Model) -> String {
    let mut out = generated_header("//");
    out.push_str("'use strict';\n\n");
    out.push_str(
        "/** Every IVS operation, sorted by name: [name, method, input shape, output shape, paginator]. */\n",
    );
    out.push_str("exports.OPERATIONS = [\n");
    for op in &model.operations {
        let paginator = match op.paginator {
            Some(p) => json!({
                "inputToken": p["input_token"], "outputToken": p["output_token"],
                "limitKey": p["limit_key"], "resultKey": p["result_key"],
            })
            .to_string(),
            None => "null".into(),
        };
        let _ = writeln!(
            out,
            "  [{}, {}, {}, {}, {paginator}],",
            json!(op.name),
            json!(method_name(op.name)),
            json!(op.input),
            json!(op.output)
        );
    }
    out.push_str("];\n\n");
    out.push_str("/** The modeled errors: [name, HTTP status, fault]. */\nexports.ERRORS = [\n");
    for error in model.errors() {
        let _ = writeln!(
            out,
            "  [{}, {}, {}],",
            json!(error.name),
            error.status,
            json!(fault(error.client_fault))
        );
    }
    out.push_str("];\n\n");
    out.push_str(
        "/** The members each modeled error binds to response headers: [member, header (lower case)]. */\n\
         exports.ERROR_HEADER_MEMBERS = {\n",
    );
    for error in model.errors() {
        let pairs: Vec<Value> = header_members(model.shape(error.name))
            .into_iter()
            .map(|(member, header)| json!([member, header.to_ascii_lowercase()]))
            .collect();
        if !pairs.is_empty() {
            let _ = writeln!(out, "  {}: {},", json!(error.name), Value::from(pairs));
        }
    }
    out.push_str("};\n\n");
    let mut table = BTreeMap::new();
    for op in &model.operations {
        if let Some(output) = op.output {
            timestamp_descriptor(model, output, &mut table, &mut BTreeSet::new());
        }
    }
    out.push_str(
        "/** Where outputs hold timestamps: structure → member → 1 (a timestamp), a structure\n * \
         listed here, [\"L\", d] (a list) or [\"M\", d] (a map). */\nexports.TIMESTAMPS = {\n",
    );
    for (name, members) in &table {
        let _ = writeln!(out, "  {}: {members},", json!(name));
    }
    out.push_str("};\n");
    out
}

/// The `$fault` of a modeled error.
fn fault(client_fault: bool) -> &'static str {
    if client_fault {
        "client"
    } else {
        "server"
    }
}

/// The names `node/index.js` exports itself: the plain entries of its `module.exports = { ... }`
/// (the `...` spreads there are the generated names, which [`export_names`] adds).
fn own_exports(index_js: &str) -> Result<Vec<String>, String> {
    let start = index_js
        .find("module.exports = {")
        .ok_or_else(|| format!("{INDEX_JS} has no `module.exports = {{`"))?;
    let body = &index_js[start + "module.exports = {".len()..];
    let end = body
        .find("};")
        .ok_or_else(|| format!("{INDEX_JS}: `module.exports = {{` is not closed"))?;
    Ok(body[..end]
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty() && !entry.starts_with("..."))
        .map(|entry| entry.split(':').next().unwrap_or(entry).trim().to_string())
        .collect())
}

/// All names exported by `node/index.js`: its own, then the generated commands, paginators and
/// error classes.
fn export_names(model: &Model, own: &[String]) -> Vec<String> {
    let mut names = own.to_vec();
    for op in &model.operations {
        names.push(format!("{}Command", op.name));
    }
    for op in model.paginated() {
        names.push(format!("paginate{}", op.name));
    }
    for error in model.errors() {
        names.push(error.name.to_string());
    }
    names
}

fn esm_entry(model: &Model, own: &[String]) -> String {
    let mut out = generated_header("//");
    out.push_str(
        "// The ESM entry: the same objects as the CommonJS entry, so `instanceof` agrees.\n",
    );
    out.push_str("import libivs from './index.js';\n\nexport const {\n");
    for name in export_names(model, own) {
        let _ = writeln!(out, "  {name},");
    }
    out.push_str("} = libivs;\n\nexport default libivs;\n");
    out
}

/// The TypeScript type of a member whose shape is `shape`.
fn ts_type(model: &Model, shape: &str) -> String {
    let spec = model.shape(shape);
    match spec["type"].as_str().unwrap_or("") {
        "string" if spec.get("enum").is_some() => shape.to_string(),
        "string" => "string".into(),
        "integer" | "long" | "float" | "double" => "number".into(),
        "boolean" => "boolean".into(),
        "timestamp" => "Date".into(),
        "blob" => "Uint8Array".into(),
        "list" => {
            let member = ts_type(model, spec["member"]["shape"].as_str().unwrap());
            if member.contains(' ') {
                format!("Array<{member}>")
            } else {
                format!("{member}[]")
            }
        }
        "map" => format!(
            "Record<{}, {}>",
            ts_type(model, spec["key"]["shape"].as_str().unwrap()),
            ts_type(model, spec["value"]["shape"].as_str().unwrap())
        ),
        _ => shape.to_string(),
    }
}

fn interface_body(model: &Model, spec: &Value) -> String {
    let required = required(spec);
    let mut out = String::new();
    for (member, member_spec) in members(spec) {
        let target = member_spec["shape"].as_str().unwrap();
        let optional = if required.contains(&member.as_str()) {
            ""
        } else {
            "?"
        };
        let sensitive = model.shape(target)["sensitive"] == json!(true);
        if is_header(member_spec) {
            let header = member_spec["locationName"].as_str().unwrap_or(member);
            let _ = writeln!(out, "  /** The `{header}` response header. */");
        } else if sensitive {
            out.push_str("  /** Sensitive: never logged by libivs. */\n");
        }
        let _ = writeln!(out, "  {member}{optional}: {};", ts_type(model, target));
    }
    out
}

const TS_PRELUDE: &str = r#"
/** Static AWS credentials. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Resolved lazily (before the first call) when given as a function. */
export type Provider<T> = () => Promise<T> | T;

/**
 * What libivs reads of a WHATWG `URL` (Node's global or the DOM's), declared here so that the
 * types need neither the DOM lib nor `@types/node`.
 */
export interface UrlLike {
  readonly href: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
}

/** What libivs uses of an `AbortSignal` (Node's global, the DOM's, or a polyfill). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * What `new IvsClient(config)` takes; every key is optional. Unset values come from the AWS
 * environment as with the AWS SDK: `AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL_IVS`,
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, `AWS_MAX_ATTEMPTS`,
 * `AWS_RETRY_MODE`, the shared config/credentials files and the rest of the default chain.
 */
export interface IvsClientConfig {
  region?: string | Provider<string>;
  /** `http://127.0.0.1:4566`, a `URL`, or `{ protocol, hostname, port, path }`. */
  endpoint?: string | UrlLike | { protocol?: string; hostname: string; port?: number; path?: string };
  credentials?: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  /** A profile of the shared config files. */
  profile?: string;
  /** Attempts including the first (default 3). */
  maxAttempts?: number | Provider<number>;
  retryMode?: "standard" | "adaptive" | "legacy" | Provider<string>;
  /** Milliseconds one HTTP attempt may wait for the response. */
  requestTimeout?: number;
  /** Milliseconds to wait for a connection. */
  connectionTimeout?: number;
  /** Milliseconds for the whole call, retries included. */
  operationTimeout?: number;
  /** As the AWS SDK's `requestHandler` options: `{ requestTimeout, connectionTimeout }`. */
  requestHandler?: { requestTimeout?: number; connectionTimeout?: number };
  /** Appended to the User-Agent as `app/<id>`. */
  userAgentAppId?: string;
  /** Check inputs against the model before sending (default true). */
  validateInput?: boolean;
  /**
   * Receives this client's log records, as the JS SDK's `logger` does: each call's attempts
   * (`libivs.http`: status, request id), retries (`libivs.retry`: delay) and outcome
   * (`libivs.client`: error code, duration), and the SDK underneath's (`libivs.sdk`), as
   * `logger.debug("libivs.client: ...", { logger, operation, status, requestId, ... })`. Levels
   * follow the functions present (`trace` only when defined; `console` gets up to `debug`).
   * No record holds a secret. Without a logger nothing is recorded; `LIBIVS_LOG=debug` writes to
   * stderr instead.
   */
  logger?: Logger;
}

/** The JS SDK's `Logger`: the functions a client's records are given to. */
export interface Logger {
  trace?: (...content: any[]) => void;
  debug: (...content: any[]) => void;
  info: (...content: any[]) => void;
  warn: (...content: any[]) => void;
  error: (...content: any[]) => void;
}

/** As the AWS SDK's `$metadata`. */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
  cfId?: string;
  /** HTTP attempts made (1 without retries). */
  attempts?: number;
  /** Milliseconds waited between attempts. */
  totalRetryDelay?: number;
}

export interface MetadataBearer {
  $metadata: ResponseMetadata;
}

/** Per-call options. An aborted signal cancels the call (the promise rejects with `AbortError`). */
export interface HttpHandlerOptions {
  abortSignal?: AbortSignalLike;
  requestTimeout?: number;
}

/** The base of the `*Command` classes: `client.send(new GetChannelCommand({ arn }))`. */
export declare class IvsCommand<Input extends object, Output extends MetadataBearer> {
  readonly input: Input;
  /** The IVS operation name, e.g. `"GetChannel"`. */
  static readonly operation: string;
  constructor(input: Input);
  /** Type-only: the output this command resolves with. */
  protected readonly __output?: Output;
}

/** What `paginate*` functions take, as the AWS SDK's `PaginationConfiguration`. */
export interface IvsPaginationConfiguration {
  client: IvsClient;
  /** Items per request (`maxResults`). */
  pageSize?: number;
  /** A service `nextToken`, or a `resumeToken` from an earlier run. */
  startingToken?: string;
  /** Stop after this many items in all; `resumeToken` then says where to go on. */
  maxItems?: number;
  /** Accepted for compatibility: libivs always stops when the service repeats a token. */
  stopOnSameToken?: boolean;
}

/**
 * Pages of a paginated operation: `for await (const page of paginateListChannels({ client }, {}))`.
 * Pages are fetched one at a time as they are asked for, so breaking out early stops fetching.
 */
export declare class IvsPaginator<Page extends MetadataBearer, Item> implements AsyncIterableIterator<Page> {
  /** The output member that holds the items, e.g. `"channels"`. */
  readonly resultKey: string;
  /** After `maxItems` cut the pages: the `startingToken` of a later run. */
  readonly resumeToken: string | undefined;
  next(): Promise<IteratorResult<Page, undefined>>;
  return(): Promise<IteratorResult<Page, undefined>>;
  [Symbol.asyncIterator](): IvsPaginator<Page, Item>;
  /** The same pages, one item at a time. */
  items(): AsyncIterableIterator<Item>;
}

/** The kinds of failure, as `IvsError.kind`. */
export type IvsErrorKind =
  | "service"
  | "validation"
  | "credentials"
  | "timeout"
  | "network"
  | "config"
  | "invalid_argument"
  | "internal"
  | "aborted";

/** The base of every libivs error. */
export declare class IvsError extends Error {
  /** The error code: the service's (`ConflictException`) or libivs's (`ParamValidationError`...). */
  readonly code: string;
  readonly kind: IvsErrorKind;
  readonly retryable: boolean;
  readonly $fault: "client" | "server";
  readonly $metadata: ResponseMetadata;
  constructor(options: { message?: string; code?: string; kind?: IvsErrorKind; retryable?: boolean; $fault?: "client" | "server"; $metadata?: ResponseMetadata });
}

/** An error the service answered with; `message` is IVS's `exceptionMessage`. */
export declare class IvsServiceException extends IvsError {
  readonly kind: "service";
  /** IVS's text, also in `message`. */
  readonly exceptionMessage?: string;
  readonly $retryable?: { throttling?: boolean };
  /** The HTTP response the error came from, as the JS SDK's (its body already read). */
  readonly $response?: { statusCode?: number; headers: Record<string, string> };
}

/** `client.config.endpoint()`: the JS SDK's `Endpoint`. */
export interface IvsEndpoint {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string>;
}

/** The input failed the model's checks; nothing was sent. */
export declare class ParamValidationError extends IvsError {
  readonly kind: "validation";
}
/** No credentials were found, or the credential provider failed (`code` "NoCredentialsError"). */
export declare class CredentialsError extends IvsError {
  readonly kind: "credentials";
}
/** A connect, read or operation timeout (`code` "TimeoutError"). */
export declare class TimeoutError extends IvsError {
  readonly kind: "timeout";
}
/** The connection failed or the response could not be read (`code` "EndpointConnectionError"...). */
export declare class NetworkError extends IvsError {
  readonly kind: "network";
}
/** The client configuration is invalid (`code` "ConfigError" or "NoRegionError"). */
export declare class ConfigError extends IvsError {
  readonly kind: "config";
}
/** An argument to libivs itself is invalid (unknown operation, bad command...). */
export declare class InvalidArgumentError extends IvsError {
  readonly kind: "invalid_argument";
}
/** A bug in libivs (a caught panic); please report it. */
export declare class InternalError extends IvsError {
  readonly kind: "internal";
}

/** As the AWS SDK's `getSignedUrl` (from `@aws-sdk/s3-request-presigner`). */
export declare function getSignedUrl<Input extends object, Output extends MetadataBearer>(
  client: IvsClient,
  command: IvsCommand<Input, Output>,
  options?: { expiresIn?: number; method?: string }
): Promise<string>;

export interface EmulatorOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Plain RTMP ingest (insecureIngest channels); 0 (the default) picks a free port. */
  rtmpPort?: number;
  /** RTMPS ingest (self-signed certificate); 0 (the default) picks a free port. */
  rtmpsPort?: number;
  region?: string;
  accountId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** From StopStream or a publisher leaving to the stream's end (default 0). */
  streamEndDelayMs?: number;
  /** How long a recording configuration stays CREATING (default 0). */
  recordingConfigurationDelayMs?: number;
  /** Enforce IVS's API rate quotas (ThrottlingException). */
  quotas?: boolean;
  /** An http:// URL each EventBridge event is POSTed to. */
  eventsWebhookUrl?: string;
}

/** An EventBridge event as IVS sends it ("IVS Stream State Change", "IVS Recording State Change"). */
export interface EmulatorEvent {
  version: string;
  id: string;
  "detail-type": string;
  source: "aws.ivs";
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type EmulatorFault =
  | { operation?: string; count?: number; status: number }
  | { operation?: string; count?: number; delayMs: number }
  | { operation?: string; count?: number; reset: true };

/** The embedded IVS emulator: real REST-JSON with SigV4 checks, on its own thread. */
export declare class Emulator {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `rtmp://127.0.0.1:PORT/app/`: publish to it with a stream key's value appended. */
  readonly rtmpUrl: string;
  /** `rtmps://127.0.0.1:PORT/app/` (TLS, self-signed certificate). */
  readonly rtmpsUrl: string;
  readonly region: string;
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** `{ region, endpoint, credentials }` for `new IvsClient(...)` (or `@aws-sdk/client-ivs`). */
  readonly clientConfig: { region: string; endpoint: string; credentials: AwsCredentialIdentity };
  /** A broadcaster connects with the stream key: the channel goes live. */
  startStream(streamKey: string): { channelArn: string; streamId: string };
  /** A channel's `playbackUrl` as this emulator serves it (`?token=` for private channels). */
  playbackUrl(playbackUrl: string): string;
  /** The broadcaster of a live channel disconnects. */
  stopStream(channelArn: string): void;
  /** The EventBridge events from cursor `since` (default 0) on, and the cursor to pass next. */
  events(options?: { since?: number }): { events: EmulatorEvent[]; cursor: number };
  /** The next `count` (default 1) calls of `operation` (default `"*"`) fail, stall or lose their connection. */
  injectFault(fault: EmulatorFault): void;
  /** Forgets every resource, stream and fault. */
  reset(): void;
  /** Stops serving. */
  stop(): void;
}

/** The claims of a playback token (`exp` from `expiresAt`, else now + `expiresIn`, 600 s by default). */
export interface PlaybackTokenClaims {
  channelArn: string;
  accessControlAllowOrigin?: string;
  strictOriginEnforcement?: boolean;
  singleUseUuid?: string;
  /** At most 40 characters; such tokens must expire within 10 minutes. */
  viewerId?: string;
  viewerSessionVersion?: number;
  maximumResolution?: 'SD' | 'HD' | 'FULL_HD';
  expiresAt?: Date | number;
  expiresIn?: number;
}

/** A bad playback key, claims or token: `code` is `InvalidPlaybackKey`, `InvalidPlaybackClaims`,
 * `MalformedPlaybackToken`, `PlaybackTokenSignatureMismatch` or `PlaybackTokenExpired`. */
export declare class PlaybackTokenError extends InvalidArgumentError {}

/** Signs an ES384 playback token for a private channel with a P-384 private key in PEM. */
export declare function signPlaybackToken(privateKeyPem: string, claims: PlaybackTokenClaims): string;
/** Verifies a playback token's signature and expiry; returns its claims by IVS's names. */
export declare function verifyPlaybackToken(publicKeyPem: string, token: string): Record<string, unknown>;
/** A new P-384 key pair (`publicKeyPem` is ready for importPlaybackKeyPair). */
export declare function generatePlaybackKeyPair(): { readonly privateKeyPem: string; readonly publicKeyPem: string };

/** Starts an emulator on a free loopback port. */
export declare function startEmulator(options?: EmulatorOptions): Emulator;

/** The operation table: [name, method, input shape, output shape, paginator]. */
export declare const OPERATIONS: ReadonlyArray<
  readonly [string, string, string | null, string | null, { inputToken: string; outputToken: string; limitKey: string; resultKey: string } | null]
>;
/** The modeled errors: [name, HTTP status, fault]. */
export declare const ERRORS: ReadonlyArray<readonly [string, number, "client" | "server"]>;
"#;

/// The TSDoc of an operation's method and command: its documentation, every request member's
/// type, whether it is required, its constraints and enum values, the errors and the AWS API
/// Reference page.
fn tsdoc(model: &Model, op: &Operation, indent: &str) -> String {
    let doc = operation_doc(model, model.docs, op);
    let mut lines = doc.markdown(op, 96);
    lines.push(String::new());
    lines.push(format!("@param input - {{@link {}CommandInput}}", op.name));
    lines.push(format!("@returns {{@link {}CommandOutput}}", op.name));
    if !doc.errors.is_empty() {
        let errors: Vec<String> = doc
            .errors
            .iter()
            .map(|e| format!("{{@link {e}}}"))
            .collect();
        lines.push(format!(
            "@throws {} (each an `IvsServiceException`); `ParamValidationError` before anything is sent",
            errors.join(", ")
        ));
    }
    lines.push(format!("@see {}", doc.url));
    let mut out = format!("{indent}/**\n");
    for line in lines {
        if line.is_empty() {
            let _ = writeln!(out, "{indent} *");
        } else {
            let _ = writeln!(out, "{indent} * {line}");
        }
    }
    let _ = writeln!(out, "{indent} */");
    out
}

fn typescript(model: &Model) -> String {
    let mut out = generated_header("//");
    out.push_str("// Types of the `libivs` package: Amazon IVS (API 2020-07-14) for Node.\n");
    out.push_str("/* eslint-disable */\n");
    out.push_str(TS_PRELUDE);
    let ops = &model.operations;

    // Shapes.
    out.push_str("\n// ---- Shapes ----\n\n");
    let exception_names: BTreeSet<&str> = model.errors().iter().map(|e| e.name).collect();
    for (name, spec) in model.shapes {
        match spec["type"].as_str().unwrap_or("") {
            "string" if spec.get("enum").is_some() => {
                let values: Vec<String> = spec["enum"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.to_string())
                    .collect();
                let _ = writeln!(out, "export type {name} = {};\n", values.join(" | "));
            }
            "structure" if !exception_names.contains(name.as_str()) => {
                let _ = writeln!(
                    out,
                    "export interface {name} {{\n{}}}\n",
                    interface_body(model, spec)
                );
            }
            _ => {}
        }
    }

    // Errors.
    out.push_str("// ---- Modeled errors ----\n\n");
    for error in model.errors() {
        let (name, fault) = (error.name, fault(error.client_fault));
        let _ = writeln!(
            out,
            "export declare class {name} extends IvsServiceException {{\n  readonly name: \"{name}\";\n  readonly $fault: \"{fault}\";\n{}}}\n",
            interface_body(model, model.shape(name)).replace("  exceptionMessage?: string;\n", "")
        );
    }

    // Commands.
    out.push_str("// ---- Commands ----\n\n");
    for op in ops {
        let name = op.name;
        match op.input {
            Some(input) => {
                let _ = writeln!(
                    out,
                    "export interface {name}CommandInput extends {input} {{}}"
                );
            }
            None => {
                let _ = writeln!(out, "export interface {name}CommandInput {{}}");
            }
        }
        match op.output {
            Some(output) => {
                let _ = writeln!(
                    out,
                    "export interface {name}CommandOutput extends {output}, MetadataBearer {{}}"
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "export interface {name}CommandOutput extends MetadataBearer {{}}"
                );
            }
        }
        let input_optional = op
            .input
            .map(|input| required(model.shape(input)).is_empty())
            .unwrap_or(true);
        out.push_str(&tsdoc(model, op, ""));
        let _ = writeln!(
            out,
            "export declare class {name}Command extends IvsCommand<{name}CommandInput, {name}CommandOutput> {{\n  static readonly operation: \"{name}\";\n  constructor(input{}: {name}CommandInput);\n}}\n",
            if input_optional { "?" } else { "" }
        );
    }

    // Paginators.
    out.push_str("// ---- Paginators ----\n\n");
    for op in model.paginated() {
        let item = ts_type(model, model.item_shape(op));
        let name = op.name;
        let _ = writeln!(
            out,
            "export declare function paginate{name}(config: IvsPaginationConfiguration, input?: {name}CommandInput): IvsPaginator<{name}CommandOutput, {item}>;"
        );
    }

    // The client.
    out.push_str(
        "\n// ---- The client ----\n\n/**\n * An Amazon IVS client, shaped like `@aws-sdk/client-ivs`: every operation as a camelCase method\n * (as on the SDK's aggregated `Ivs` class) and `send(new XCommand(input))`.\n */\nexport declare class IvsClient {\n  constructor(config?: IvsClientConfig);\n  /** Sends a command. */\n  send<Input extends object, Output extends MetadataBearer>(command: IvsCommand<Input, Output>, options?: HttpHandlerOptions): Promise<Output>;\n  send<Input extends object, Output extends MetadataBearer>(command: IvsCommand<Input, Output>, callback: (err: any, data?: Output) => void): void;\n  /** Releases pooled connections; the client stays usable. */\n  destroy(): void;\n  /** The client's resolved configuration. */\n  readonly config: {\n    region(): Promise<string>;\n    /** Where calls go: the configured endpoint, else IVS's for the region. */\n    endpoint(): Promise<IvsEndpoint>;\n    /** The credentials given to the constructor (rejects when the core resolves them itself). */\n    credentials(): Promise<AwsCredentialIdentity>;\n  };\n",
    );
    for op in ops {
        let name = op.name;
        let method = method_name(name);
        out.push_str(&tsdoc(model, op, "  "));
        let optional = op
            .input
            .map(|input| required(model.shape(input)).is_empty())
            .unwrap_or(true);
        let q = if optional { "?" } else { "" };
        let _ = writeln!(
            out,
            "  {method}(input{q}: {name}CommandInput, options?: HttpHandlerOptions): Promise<{name}CommandOutput>;\n  {method}(input: {name}CommandInput, callback: (err: any, data?: {name}CommandOutput) => void): void;"
        );
    }
    out.push_str("}\n\n/** The same client (the AWS SDK's aggregated class name). */\nexport declare class Ivs extends IvsClient {}\n");
    out
}
