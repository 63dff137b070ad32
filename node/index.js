'use strict';
// libivs for Node: Amazon IVS (API 2020-07-14) through the libivs core, shaped like
// `@aws-sdk/client-ivs`. Everything per operation comes from the generated table in
// `generated.js`; this file only translates values and errors.

const { OPERATIONS, ERRORS, TIMESTAMPS } = require('./generated.js');

// The addon: LIBIVS_NODE_BINARY when set, else a build beside this file (`make build-node`), else
// the platform package that npm installed from `optionalDependencies` (napi-rs's layout).
const PLATFORM_PACKAGES = { 'linux-x64-gnu': '@libivs/linux-x64-gnu' };

function platformKey() {
  const report = process.report && process.report.getReport ? process.report.getReport() : null;
  const glibc = report && report.header && report.header.glibcVersionRuntime;
  return `${process.platform}-${process.arch}${process.platform === 'linux' ? (glibc ? '-gnu' : '-musl') : ''}`;
}

function loadNative() {
  if (process.env.LIBIVS_NODE_BINARY) return require(process.env.LIBIVS_NODE_BINARY);
  const local = `${__dirname}/libivs.node`;
  if (require('fs').existsSync(local)) return require(local);
  const key = platformKey();
  const platformPackage = PLATFORM_PACKAGES[key];
  try {
    if (!platformPackage) throw new Error(`no prebuilt libivs addon for ${key}`);
    return require(platformPackage);
  } catch (error) {
    if (!platformPackage || (error && error.code === 'MODULE_NOT_FOUND')) {
      error.message = `libivs: the native addon for ${key} is missing: install the package ${
        platformPackage || '(none is published for this platform)'
      } (npm installs it with libivs unless optional dependencies are omitted), or build it from source with \`make build-node\``;
    }
    throw error;
  }
}
const native = loadNative();

// ---------------------------------------------------------------------------------------------
// Errors

class IvsError extends Error {
  constructor(options = {}) {
    super(options.message ?? '');
    this.name = new.target.name;
    this.code = options.code ?? new.target.name;
    this.kind = options.kind ?? 'internal';
    this.retryable = options.retryable ?? false;
    this.$fault = options.$fault ?? 'client';
    this.$metadata = options.$metadata ?? {};
  }
}

class IvsServiceException extends IvsError {
  constructor(options = {}) {
    super({ kind: 'service', ...options });
    if (options.name) this.name = options.name;
    this.code = options.code ?? this.name;
    this.exceptionMessage = options.exceptionMessage ?? options.message;
    if (this.retryable) this.$retryable = { throttling: this.code.includes('Throttl') };
  }
}

const ERROR_CLASSES = Object.create(null);
const FAULTS = Object.create(null);
for (const [name, status, fault] of ERRORS) {
  // A named class per modeled error, all under IvsServiceException.
  const cls = {
    [name]: class extends IvsServiceException {
      constructor(options = {}) {
        super({ $fault: fault, ...options, name, code: name });
      }
    },
  }[name];
  Object.defineProperty(cls, 'httpStatusCode', { value: status });
  ERROR_CLASSES[name] = cls;
  FAULTS[name] = fault;
}

function kindClass(kind, name) {
  return {
    [name]: class extends IvsError {
      constructor(options = {}) {
        super({ kind, ...options });
      }
    },
  }[name];
}
const ParamValidationError = kindClass('validation', 'ParamValidationError');
const CredentialsError = kindClass('credentials', 'CredentialsError');
const TimeoutError = kindClass('timeout', 'TimeoutError');
const NetworkError = kindClass('network', 'NetworkError');
const ConfigError = kindClass('config', 'ConfigError');
const InvalidArgumentError = kindClass('invalid_argument', 'InvalidArgumentError');
const InternalError = kindClass('internal', 'InternalError');
/** A playback key, claims or token is not valid (see `PLAYBACK_TOKEN_CODES`). */
class PlaybackTokenError extends InvalidArgumentError {}
const PLAYBACK_TOKEN_CODES = new Set([
  'InvalidPlaybackKey',
  'InvalidPlaybackClaims',
  'MalformedPlaybackToken',
  'PlaybackTokenSignatureMismatch',
  'PlaybackTokenExpired',
]);
const KIND_CLASSES = {
  validation: ParamValidationError,
  credentials: CredentialsError,
  timeout: TimeoutError,
  network: NetworkError,
  config: ConfigError,
  invalid_argument: InvalidArgumentError,
  internal: InternalError,
};

function metadataOf(outcome) {
  return {
    httpStatusCode: outcome.status,
    requestId: outcome.requestId,
    extendedRequestId: undefined,
    cfId: undefined,
    attempts: outcome.attempts,
    totalRetryDelay: undefined,
  };
}

/** An `IvsError` from a native outcome's `error`. */
function errorFrom(outcome) {
  const { kind, code, message, retryable } = outcome.error;
  const $metadata = metadataOf(outcome);
  if (kind === 'service') {
    const cls = ERROR_CLASSES[code];
    const error = cls
      ? new cls({ message, retryable, $metadata, exceptionMessage: message })
      : new IvsServiceException({ name: code, code, message, retryable, $metadata, $fault: outcome.status >= 500 ? 'server' : 'client' });
    // The JS SDK's `$response`: the HTTP response the error came from (its body is consumed).
    Object.defineProperty(error, '$response', {
      value: { statusCode: outcome.status, headers: { ...(outcome.headers || {}) } },
      enumerable: false,
      writable: true,
      configurable: true,
    });
    return error;
  }
  const cls = KIND_CLASSES[kind] || InternalError;
  return new cls({ code, message, retryable, $metadata });
}

/** Errors thrown by synchronous native functions carry `libivs:<kind>:<code>:<message>`. */
function rethrow(error) {
  const text = error && typeof error.message === 'string' ? error.message : String(error);
  const match = /^libivs:([a-z_]+):([^:]*):([\s\S]*)$/.exec(text);
  if (match) {
    const cls = PLAYBACK_TOKEN_CODES.has(match[2])
      ? PlaybackTokenError
      : KIND_CLASSES[match[1]] || InternalError;
    return new cls({ code: match[2], message: match[3] });
  }
  if (error instanceof IvsError) return error;
  return new InternalError({ code: 'InternalError', message: text });
}

// ---------------------------------------------------------------------------------------------
// Values

/** Turns the ISO-8601 timestamps of an output into `Date`s, where the model says they are. */
function reviveDates(value, descriptor) {
  if (value === null || value === undefined) return value;
  if (descriptor === 1) return typeof value === 'string' ? new Date(value) : value;
  if (typeof descriptor === 'string') {
    const members = TIMESTAMPS[descriptor];
    for (const key in members) {
      if (value[key] != null) value[key] = reviveDates(value[key], members[key]);
    }
    return value;
  }
  const inner = descriptor[1];
  if (descriptor[0] === 'L') {
    for (let i = 0; i < value.length; i++) value[i] = reviveDates(value[i], inner);
  } else {
    for (const key in value) value[key] = reviveDates(value[key], inner);
  }
  return value;
}

function outputFrom(operation, outcome) {
  const output = JSON.parse(outcome.output);
  const shape = operation.output;
  if (shape && TIMESTAMPS[shape]) reviveDates(output, shape);
  output.$metadata = metadataOf(outcome);
  return output;
}

function inputText(input) {
  if (input === undefined || input === null) return '{}';
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ParamValidationError({
      code: 'ParamValidationError',
      message: 'The input must be an object of parameters',
    });
  }
  // Date members become ISO-8601 strings; undefined members are left out, as the SDK does.
  return JSON.stringify(input);
}

// ---------------------------------------------------------------------------------------------
// The operation table

const BY_NAME = new Map();
for (const [name, method, input, output, paginator] of OPERATIONS) {
  BY_NAME.set(name, { name, method, input, output, paginator });
}

function operationNamed(name) {
  const operation = BY_NAME.get(name);
  if (!operation) {
    throw new InvalidArgumentError({
      code: 'InvalidArgument',
      message: `Unknown operation ${JSON.stringify(name)}`,
    });
  }
  return operation;
}

// ---------------------------------------------------------------------------------------------
// Configuration

function envNumber(name) {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function endpointText(endpoint) {
  if (endpoint === undefined || endpoint === null) return undefined;
  if (typeof endpoint === 'string') return endpoint;
  if (endpoint instanceof URL) return endpoint.href.replace(/\/$/, '');
  if (typeof endpoint === 'object' && endpoint.hostname) {
    const protocol = (endpoint.protocol || 'https:').replace(/:?$/, ':');
    const port = endpoint.port ? `:${endpoint.port}` : '';
    return `${protocol}//${endpoint.hostname}${port}${endpoint.path && endpoint.path !== '/' ? endpoint.path : ''}`;
  }
  throw new ConfigError({ code: 'ConfigError', message: 'endpoint must be a URL string, a URL or { hostname, ... }' });
}

const seconds = (ms) => (ms === undefined || ms === null ? undefined : Number(ms) / 1000);

/** The core's configuration keys from the AWS SDK's (values already resolved). */
function coreConfig(config) {
  const handler = config.requestHandler || {};
  const core = {
    region: config.region,
    endpoint_url: endpointText(config.endpoint),
    profile: config.profile,
    max_attempts: config.maxAttempts ?? envNumber('AWS_MAX_ATTEMPTS'),
    retry_mode: config.retryMode ?? (process.env.AWS_RETRY_MODE || undefined),
    read_timeout: seconds(config.requestTimeout ?? handler.requestTimeout),
    connect_timeout: seconds(config.connectionTimeout ?? handler.connectionTimeout),
    operation_timeout: seconds(config.operationTimeout),
    user_agent_suffix: config.userAgentAppId,
    validate_input: config.validateInput,
  };
  const credentials = config.credentials;
  if (credentials) {
    core.access_key_id = credentials.accessKeyId;
    core.secret_access_key = credentials.secretAccessKey;
    core.session_token = credentials.sessionToken;
  }
  for (const key of Object.keys(core)) if (core[key] === undefined || core[key] === null) delete core[key];
  return JSON.stringify(core);
}

const isProvider = (value) => typeof value === 'function';

// ---------------------------------------------------------------------------------------------
// The client

function abortError(signal) {
  const error = new IvsError({ code: 'AbortError', kind: 'aborted', message: 'The call was aborted' });
  error.name = 'AbortError';
  if (signal && signal.reason !== undefined) error.cause = signal.reason;
  return error;
}

let nextCancelId = 1;

/** Starts the native call; an aborting signal rejects at once and cancels the request. */
function callNative(nativeClient, operation, text, signal) {
  if (!signal) return nativeClient.call(operation, text);
  if (signal.aborted) return Promise.reject(abortError(signal));
  const id = nextCancelId;
  nextCancelId = nextCancelId >= 0xffffffff ? 1 : nextCancelId + 1;
  const promise = nativeClient.call(operation, text, id);
  // Once settled, the id is forgotten (cancel() of a finished call only does that).
  promise.then(() => nativeClient.cancel(id), () => nativeClient.cancel(id));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      nativeClient.cancel(id);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

class IvsClient {
  constructor(config = {}) {
    if (config === null || typeof config !== 'object') {
      throw new ConfigError({ code: 'ConfigError', message: 'The configuration must be an object' });
    }
    this._input = config;
    this._native = undefined;
    this._pending = undefined;
    if (![config.region, config.credentials, config.maxAttempts, config.retryMode].some(isProvider)) {
      try {
        this._native = new native.NativeClient(coreConfig(config));
      } catch (error) {
        throw rethrow(error);
      }
    }
    const client = this;
    // The JS SDK's resolved-config functions: each answers a promise, as `client.config.region()`
    // does there.
    const region = async () => {
      const outcome = await (await client._ready()).region();
      if (outcome.error) throw errorFrom(outcome);
      return outcome.output;
    };
    this.config = {
      region,
      /** `{ protocol, hostname, port, path, query }` of the endpoint calls go to. */
      async endpoint() {
        const text = endpointText(config.endpoint) ?? `https://ivs.${await region()}.amazonaws.com`;
        const url = new URL(text);
        return {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port ? Number(url.port) : undefined,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
        };
      },
      /**
       * The credentials given to the constructor (a provider is called). Credentials that the
       * core finds itself (environment, profiles, SSO, IMDS) stay inside it: this rejects with a
       * CredentialsError rather than answer something other than what calls sign with.
       */
      async credentials() {
        const given = isProvider(config.credentials) ? await config.credentials() : config.credentials;
        if (given) return { ...given };
        throw new CredentialsError({
          code: 'CredentialsError',
          message: 'libivs resolves the default credential chain inside its core and does not hand it out; pass `credentials` to read them here',
        });
      },
    };
  }

  /** The native client, built once the providers among the configuration have answered. */
  _ready() {
    if (this._native) return Promise.resolve(this._native);
    if (!this._pending) {
      this._pending = (async () => {
        const resolved = { ...this._input };
        for (const key of ['region', 'credentials', 'maxAttempts', 'retryMode']) {
          if (isProvider(resolved[key])) resolved[key] = await resolved[key]();
        }
        try {
          this._native = new native.NativeClient(coreConfig(resolved));
        } catch (error) {
          throw rethrow(error);
        }
        return this._native;
      })();
      this._pending.catch(() => {
        this._pending = undefined;
      });
    }
    return this._pending;
  }

  async _call(operation, input, options) {
    const text = inputText(input);
    const nativeClient = this._native || (await this._ready());
    const signal = options && options.abortSignal;
    let outcome;
    try {
      outcome = await callNative(nativeClient, operation.name, text, signal);
    } catch (error) {
      throw rethrow(error);
    }
    if (outcome.error) throw errorFrom(outcome);
    return outputFrom(operation, outcome);
  }

  /** `client.send(new GetChannelCommand({ arn }))`; also takes `@aws-sdk/client-ivs` commands. */
  send(command, optionsOrCallback, callback) {
    let promise;
    try {
      promise = this._call(commandOperation(command), command.input, typeof optionsOrCallback === 'object' ? optionsOrCallback : undefined);
    } catch (error) {
      promise = Promise.reject(error);
    }
    return settle(promise, typeof optionsOrCallback === 'function' ? optionsOrCallback : callback);
  }

  /** Releases pooled connections; the client stays usable. */
  destroy() {
    if (this._native) this._native.close();
  }
}

function settle(promise, callback) {
  if (typeof callback !== 'function') return promise;
  promise.then(
    (data) => callback(null, data),
    (error) => callback(error),
  );
  return undefined;
}

for (const operation of BY_NAME.values()) {
  Object.defineProperty(IvsClient.prototype, operation.method, {
    configurable: true,
    writable: true,
    value: {
      [operation.method](input, optionsOrCallback, callback) {
        let promise;
        try {
          promise = this._call(operation, input, typeof optionsOrCallback === 'object' ? optionsOrCallback : undefined);
        } catch (error) {
          promise = Promise.reject(error);
        }
        return settle(promise, typeof optionsOrCallback === 'function' ? optionsOrCallback : callback);
      },
    }[operation.method],
  });
}

/** The AWS SDK's aggregated class name for the same client. */
class Ivs extends IvsClient {}

// ---------------------------------------------------------------------------------------------
// Commands

class IvsCommand {
  constructor(input) {
    this.input = input === undefined ? {} : input;
  }
}

const COMMANDS = Object.create(null);
for (const operation of BY_NAME.values()) {
  const className = `${operation.name}Command`;
  const cls = { [className]: class extends IvsCommand {} }[className];
  Object.defineProperty(cls, 'operation', { value: operation.name });
  COMMANDS[className] = cls;
}

function commandOperation(command) {
  if (command instanceof IvsCommand) return operationNamed(command.constructor.operation);
  // A command of @aws-sdk/client-ivs (or any object named like one) with an `input`.
  const name = command && command.constructor && command.constructor.name;
  if (typeof name === 'string' && name.endsWith('Command') && command.input !== undefined) {
    return operationNamed(name.slice(0, -'Command'.length));
  }
  throw new InvalidArgumentError({
    code: 'InvalidArgument',
    message: 'send() takes a command such as new GetChannelCommand({ arn })',
  });
}

// ---------------------------------------------------------------------------------------------
// Paginators

class IvsPaginator {
  constructor(config, operation, input) {
    if (!config || !(config.client instanceof IvsClient)) {
      throw new InvalidArgumentError({
        code: 'InvalidArgument',
        message: `paginate${operation.name} needs { client } with an IvsClient`,
      });
    }
    this._client = config.client;
    this._operation = operation;
    this._input = inputText(input);
    this._config = JSON.stringify({
      PageSize: config.pageSize ?? null,
      MaxItems: config.maxItems ?? null,
      StartingToken: config.startingToken ?? null,
    });
    this._native = undefined;
    this._done = false;
    this.resultKey = operation.paginator.resultKey;
  }

  get resumeToken() {
    return (this._native && this._native.resumeToken) || undefined;
  }

  async next() {
    if (this._done) return { done: true, value: undefined };
    try {
      if (!this._native) {
        const nativeClient = this._client._native || (await this._client._ready());
        try {
          this._native = nativeClient.paginate(this._operation.name, this._input, this._config);
        } catch (error) {
          throw rethrow(error);
        }
      }
      let outcome;
      try {
        outcome = await this._native.nextPage();
      } catch (error) {
        throw rethrow(error);
      }
      if (outcome.error) throw errorFrom(outcome);
      if (outcome.output === undefined || outcome.output === null) {
        this._done = true;
        return { done: true, value: undefined };
      }
      return { done: false, value: outputFrom(this._operation, outcome) };
    } catch (error) {
      this._done = true;
      throw error;
    }
  }

  /** Called by `for await` when the loop is left early: no further page is fetched. */
  async return(value) {
    this._done = true;
    return { done: true, value };
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** The same pages, one item at a time. */
  async *items() {
    for await (const page of this) {
      const items = page[this.resultKey];
      if (items) yield* items;
    }
  }
}

const PAGINATORS = Object.create(null);
for (const operation of BY_NAME.values()) {
  if (!operation.paginator) continue;
  const name = `paginate${operation.name}`;
  PAGINATORS[name] = {
    [name](config, input) {
      return new IvsPaginator(config, operation, input);
    },
  }[name];
}

// ---------------------------------------------------------------------------------------------
// Presigning

/** As the AWS SDK's `getSignedUrl(client, command, { expiresIn })`: a URL that runs the command. */
async function getSignedUrl(client, command, options = {}) {
  if (!(client instanceof IvsClient)) {
    throw new InvalidArgumentError({ code: 'InvalidArgument', message: 'getSignedUrl needs an IvsClient' });
  }
  const operation = commandOperation(command);
  const text = inputText(command.input);
  const nativeClient = client._native || (await client._ready());
  let outcome;
  try {
    outcome = await nativeClient.presign(operation.name, text, Number(options.expiresIn ?? 900), options.method ?? null);
  } catch (error) {
    throw rethrow(error);
  }
  if (outcome.error) throw errorFrom(outcome);
  return outcome.output;
}

// ---------------------------------------------------------------------------------------------
// The emulator

class Emulator {
  constructor(options = {}) {
    try {
      this._native = new native.NativeEmulator(JSON.stringify(options));
    } catch (error) {
      throw rethrow(error);
    }
    this.url = this._native.url;
    this.rtmpUrl = this._native.rtmpUrl;
    this.rtmpsUrl = this._native.rtmpsUrl;
    this.region = this._native.region;
    this.accountId = this._native.accountId;
    this.accessKeyId = this._native.accessKeyId;
    Object.defineProperty(this, 'secretAccessKey', { value: this._native.secretAccessKey, enumerable: false });
  }

  get clientConfig() {
    return {
      region: this.region,
      endpoint: this.url,
      credentials: { accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey },
    };
  }

  _run(body) {
    return runSync(body);
  }

  startStream(streamKey) {
    return this._run(() => JSON.parse(this._native.startStream(String(streamKey))));
  }

  /** A channel's `playbackUrl` as this emulator serves it: fetch it to play (`?token=` for private channels). */
  playbackUrl(playbackUrl) {
    return this._run(() => this._native.localPlaybackUrl(String(playbackUrl)));
  }

  stopStream(channelArn) {
    this._run(() => this._native.stopStream(String(channelArn)));
  }

  /** The EventBridge events from cursor `since` on: `{ events, cursor }`. */
  events({ since = 0 } = {}) {
    return this._run(() => JSON.parse(this._native.events(Number(since))));
  }

  injectFault(fault = {}) {
    this._run(() => this._native.injectFault(JSON.stringify(fault)));
  }

  reset() {
    this._run(() => this._native.reset());
  }

  stop() {
    this._run(() => this._native.stop());
  }
}

// ---------------------------------------------------------------------------------------------
// Playback tokens for private channels (signed and verified in the Rust core, RustCrypto p384)

const CLAIM_KEYS = {
  channelArn: 'channel_arn',
  accessControlAllowOrigin: 'access_control_allow_origin',
  strictOriginEnforcement: 'strict_origin_enforcement',
  singleUseUuid: 'single_use_uuid',
  viewerId: 'viewer_id',
  viewerSessionVersion: 'viewer_session_version',
  maximumResolution: 'maximum_resolution',
  expiresIn: 'expires_in',
};

function runSync(body) {
  try {
    return body();
  } catch (error) {
    throw rethrow(error);
  }
}

/**
 * Signs an ES384 playback token. `claims`: `{ channelArn, viewerId?, viewerSessionVersion?,
 * singleUseUuid?, accessControlAllowOrigin?, strictOriginEnforcement?, maximumResolution?,
 * expiresAt? (Date or Unix seconds), expiresIn? (seconds, default 600) }`.
 */
function signPlaybackToken(privateKeyPem, claims = {}) {
  const wire = {};
  for (const [key, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    if (key === 'expiresAt') {
      wire.expires_at = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
    } else {
      wire[CLAIM_KEYS[key] || key] = value;
    }
  }
  return runSync(() => native.signPlaybackToken(String(privateKeyPem), JSON.stringify(wire)));
}

/** Verifies a token's signature and expiry; returns its claims (`aws:channel-arn`, `exp`...). */
function verifyPlaybackToken(publicKeyPem, token) {
  return runSync(() => JSON.parse(native.verifyPlaybackToken(String(publicKeyPem), String(token))));
}

/** A new P-384 key pair; `privateKeyPem` is not enumerable, so logging the pair does not show it. */
function generatePlaybackKeyPair() {
  const [privateKeyPem, publicKeyPem] = runSync(() => native.generatePlaybackKeyPair());
  const pair = { publicKeyPem };
  Object.defineProperty(pair, 'privateKeyPem', { value: privateKeyPem, enumerable: false });
  return pair;
}

/** Starts the embedded emulator on a free loopback port (or `options.port`). */
function startEmulator(options) {
  return new Emulator(options);
}

module.exports = {
  IvsClient,
  Ivs,
  IvsCommand,
  IvsPaginator,
  IvsError,
  IvsServiceException,
  ParamValidationError,
  CredentialsError,
  TimeoutError,
  NetworkError,
  ConfigError,
  InvalidArgumentError,
  InternalError,
  PlaybackTokenError,
  signPlaybackToken,
  verifyPlaybackToken,
  generatePlaybackKeyPair,
  getSignedUrl,
  startEmulator,
  Emulator,
  OPERATIONS,
  ERRORS,
  ...COMMANDS,
  ...PAGINATORS,
  ...ERROR_CLASSES,
};
Object.defineProperty(module.exports, '_native', { value: native, enumerable: false });
