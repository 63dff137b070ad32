'use strict';
// libivs for Node: Amazon IVS (API 2020-07-14) through the libivs core, shaped like
// `@aws-sdk/client-ivs`. Everything per operation comes from the generated table in
// `generated.js`; this file only translates values and errors.

const { inspect } = require('node:util');
const { OPERATIONS, ERRORS, ERROR_HEADER_MEMBERS, TIMESTAMPS } = require('./generated.js');

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
const PLAYBACK_TOKEN_CODES = new Set(native.playbackTokenErrorCodes());
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
    totalRetryDelay: outcome.totalRetryDelay,
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
    // The error shape's members bound to response headers, as the JS SDK sets them (read from
    // the headers the outcome carries for `$response`: no copy of their values).
    const bound = ERROR_HEADER_MEMBERS[code];
    if (bound && outcome.headers) {
      for (const [member, header] of bound) {
        const value = outcome.headers[header];
        if (value !== undefined) error[member] = value;
      }
    }
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

// The core's limit on nesting (libivs_core::MAX_INPUT_DEPTH; the input object is level 1) and
// its wording (libivs_core::too_deep_message), so every face answers a deep or self-containing
// value alike.
const MAX_INPUT_DEPTH = 32;
const tooDeepMessage = (path) =>
  `Invalid value for parameter ${path}: nested more than ${MAX_INPUT_DEPTH} levels deep (or a structure that contains itself)`;

/** A value JSON cannot carry faithfully, found by `checkValue`; `keys` grows while unwinding. */
class BadValue {
  constructor(problem) {
    this.problem = problem;
    this.keys = [];
  }

  path(root) {
    let path = '';
    for (let i = this.keys.length - 1; i >= 0; i--) {
      const key = this.keys[i];
      path += typeof key === 'number' ? `[${key}]` : path ? `.${key}` : key;
    }
    return path || root;
  }
}

/**
 * Refuses what `JSON.stringify` would silently turn into `null` or drop (NaN, Infinity,
 * functions, symbols) or throw a native error on (BigInt, cycles, deep nesting). A plain
 * recursion bounded by MAX_INPUT_DEPTH (a cycle hits the bound too): cheaper per call than a
 * `JSON.stringify` replacer, and it builds a path only when something is wrong.
 */
function checkValue(value, depth) {
  const type = typeof value;
  if (type === 'object') {
    if (value === null) return;
    if (depth > MAX_INPUT_DEPTH) throw new BadValue('deep');
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        try {
          checkValue(value[i], depth + 1);
        } catch (bad) {
          if (bad instanceof BadValue) bad.keys.push(i);
          throw bad;
        }
      }
    } else {
      for (const key in value) {
        try {
          checkValue(value[key], depth + 1);
        } catch (bad) {
          if (bad instanceof BadValue) bad.keys.push(key);
          throw bad;
        }
      }
    }
  } else if (type === 'number') {
    if (!Number.isFinite(value)) throw new BadValue('a finite number is required');
  } else if (type === 'bigint') {
    throw new BadValue('a BigInt cannot be sent; use a number');
  } else if (type === 'function' || type === 'symbol') {
    throw new BadValue(`a ${type} cannot be sent`);
  }
}

/** `value` as JSON text for the core; anything JSON cannot carry is a ParamValidationError. */
function jsonText(value, root) {
  try {
    checkValue(value, 1);
    // Date members become ISO-8601 strings; undefined members are left out, as the SDK does.
    return JSON.stringify(value);
  } catch (error) {
    let message;
    if (error instanceof BadValue) {
      const path = error.path(root);
      message = error.problem === 'deep' ? tooDeepMessage(path) : `Invalid value for parameter ${path}: ${error.problem}`;
    } else if (error instanceof RangeError) {
      // The stack ran out inside JSON.stringify (a toJSON answering ever deeper values).
      message = tooDeepMessage(root);
    } else {
      // A throwing getter, Proxy trap or toJSON: its error may quote the value, so it only
      // travels as `cause`.
      message = `The ${root} could not be read (a getter, Proxy or toJSON threw)`;
    }
    const failure = new ParamValidationError({ code: 'ParamValidationError', message });
    if (!(error instanceof BadValue)) Object.defineProperty(failure, 'cause', { value: error, enumerable: false });
    throw failure;
  }
}

function inputText(input) {
  if (input === undefined || input === null) return '{}';
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ParamValidationError({
      code: 'ParamValidationError',
      message: 'The input must be an object of parameters',
    });
  }
  return jsonText(input, 'input');
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

/**
 * A number of the configuration, checked here because `JSON.stringify` would turn NaN and
 * Infinity into `null` (read by the core as "not set"). Ranges are the core's to check.
 */
function configNumber(name, value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError({ code: 'ConfigError', message: `${name} must be a finite number` });
  }
  return value;
}

const seconds = (name, ms) => {
  const value = configNumber(name, ms);
  return value === undefined ? undefined : value / 1000;
};

/**
 * The core's configuration keys from the AWS SDK's (values already resolved). AWS_MAX_ATTEMPTS
 * and AWS_RETRY_MODE are the core's to read, with the same checks in every face.
 */
function coreConfig(config) {
  try {
    return coreConfigText(config);
  } catch (error) {
    if (error instanceof IvsError) throw error;
    // A throwing getter or Proxy, or a BigInt: the native error may quote the value.
    throw new ConfigError({ code: 'ConfigError', message: 'The configuration could not be read (a getter or Proxy threw, or a value is not JSON)' });
  }
}

function coreConfigText(config) {
  const handler = config.requestHandler || {};
  const core = {
    region: config.region,
    endpoint_url: endpointText(config.endpoint),
    profile: config.profile,
    max_attempts: configNumber('maxAttempts', config.maxAttempts),
    retry_mode: config.retryMode,
    read_timeout: seconds('requestTimeout', config.requestTimeout ?? handler.requestTimeout),
    connect_timeout: seconds('connectionTimeout', config.connectionTimeout ?? handler.connectionTimeout),
    operation_timeout: seconds('operationTimeout', config.operationTimeout),
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
// Logging and tracing

/**
 * The most verbose native level (1 error ... 5 trace) a JS SDK-style `logger`
 * (`{ trace?, debug, info, warn, error }`) takes, or undefined without one. `console.trace`
 * prints a stack trace, so `console` as a logger gets records up to debug.
 */
function logLevelOf(logger) {
  if (!logger || typeof logger !== 'object') return undefined;
  if (typeof logger.trace === 'function' && logger !== console) return 5;
  if (typeof logger.debug === 'function') return 4;
  if (typeof logger.info === 'function') return 3;
  if (typeof logger.warn === 'function') return 2;
  if (typeof logger.error === 'function') return 1;
  return undefined;
}

/** Hands a call's records to its client's logger: `logger.debug("libivs.client: ...", fields)`. */
function deliverLogs(logger, records) {
  for (const record of records) {
    const log = logger[record.level];
    if (typeof log !== 'function') continue;
    try {
      log.call(logger, `${record.logger}: ${record.message}`, { logger: record.logger, ...record.fields });
    } catch {
      // A throwing logger must not turn a finished call into a failed one.
    }
  }
}

// OpenTelemetry, where the host has `@opentelemetry/api` (optional: never required).
let otel;
try {
  otel = require('@opentelemetry/api');
} catch {
  otel = undefined;
}

let version;
/** This package's version (read once, when the first span is made). */
const packageVersion = () => (version ??= require('./package.json').version);

/**
 * A CLIENT span `ivs.<Operation>` (the AWS SDK instrumentation's name and attributes), child of
 * the active context, or undefined when the API is absent or no tracer provider is set.
 */
function startSpan(operationName, region) {
  if (!otel) return undefined;
  const provider = otel.trace.getTracerProvider();
  const delegate = typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider;
  if (!delegate || delegate.constructor.name === 'NoopTracerProvider') return undefined;
  const attributes = { 'rpc.system': 'aws-api', 'rpc.service': 'ivs', 'rpc.method': operationName };
  if (typeof region === 'string') attributes['aws.region'] = region;
  const tracer = provider.getTracer('libivs', packageVersion());
  return tracer.startSpan(`ivs.${operationName}`, { kind: otel.SpanKind.CLIENT, attributes }, otel.context.active());
}

/** Ends `span` with what the outcome says (request id, status, one event per retry) and the error. */
function endSpan(span, outcome, error) {
  if (!span) return;
  if (outcome) {
    if (outcome.requestId) {
      span.setAttribute('aws.request_id', outcome.requestId);
      span.setAttribute('aws.request.id', outcome.requestId);
    }
    if (outcome.status) {
      span.setAttribute('http.status_code', outcome.status);
      span.setAttribute('http.response.status_code', outcome.status);
    }
    const retries = Math.max(0, (outcome.attempts || 0) - 1);
    span.setAttribute('retry_attempts', retries);
    for (let attempt = 2; attempt <= retries + 1; attempt++) span.addEvent('retry', { attempt });
    if (retries) span.setAttribute('aws.retry.total_delay_ms', outcome.totalRetryDelay || 0);
  }
  if (error) {
    const type = error.code || error.name || 'Error';
    span.setAttribute('error.type', type);
    span.setStatus({ code: otel.SpanStatusCode.ERROR, message: type });
  }
  span.end();
}

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
function callNative(nativeClient, operation, text, signal, logLevel) {
  if (!signal) return nativeClient.call(operation, text, undefined, logLevel);
  if (signal.aborted) return Promise.reject(abortError(signal));
  const id = nextCancelId;
  nextCancelId = nextCancelId >= 0xffffffff ? 1 : nextCancelId + 1;
  const promise = nativeClient.call(operation, text, id, logLevel);
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

/** What `util.inspect` shows of a client, paginator or emulator: never a credential. */
function publicView(tag, fields) {
  const view = { ...fields };
  for (const key of Object.keys(view)) if (view[key] === undefined) delete view[key];
  Object.defineProperty(view, Symbol.toStringTag, { value: tag });
  return view;
}

// Reaches a client's private native half from the paginators and `getSignedUrl` (set in a static block).
let nativeClientOf;

class IvsClient {
  // The configuration as given (credentials included) stays in private fields, which neither
  // `util.inspect` nor `JSON.stringify` nor `Object.keys` can see.
  #input;
  #native = undefined;
  #pending = undefined;
  #logger = undefined;
  #logLevel = undefined;

  constructor(config = {}) {
    if (config === null || typeof config !== 'object') {
      throw new ConfigError({ code: 'ConfigError', message: 'The configuration must be an object' });
    }
    this.#input = config;
    this.#logLevel = logLevelOf(config.logger);
    if (this.#logLevel !== undefined) this.#logger = config.logger;
    // Static values are checked now; providers (functions) are resolved at the first call.
    if (![config.region, config.credentials, config.maxAttempts, config.retryMode].some(isProvider)) {
      try {
        this.#native = new native.NativeClient(coreConfig(config));
      } catch (error) {
        throw rethrow(error);
      }
    }
    const client = this;
    // The JS SDK's resolved-config functions: each answers a promise, as `client.config.region()`
    // does there.
    const region = async () => {
      const outcome = await (await nativeClientOf(client)).region();
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

  static {
    nativeClientOf = (client) => client.#native || client.#ready();
  }

  /** The native client, built once the providers among the configuration have answered. */
  #ready() {
    if (this.#native) return Promise.resolve(this.#native);
    if (!this.#pending) {
      this.#pending = (async () => {
        const resolved = { ...this.#input };
        for (const key of ['region', 'credentials', 'maxAttempts', 'retryMode']) {
          if (isProvider(resolved[key])) resolved[key] = await resolved[key]();
        }
        try {
          this.#native = new native.NativeClient(coreConfig(resolved));
        } catch (error) {
          throw rethrow(error);
        }
        return this.#native;
      })();
      this.#pending.catch(() => {
        this.#pending = undefined;
      });
    }
    return this.#pending;
  }

  async _call(operation, input, options) {
    const text = inputText(input);
    const nativeClient = this.#native || (await this.#ready());
    const signal = options && options.abortSignal;
    const span = otel && startSpan(operation.name, this.#input.region);
    let outcome;
    try {
      outcome = await callNative(nativeClient, operation.name, text, signal, this.#logLevel);
    } catch (error) {
      const failure = rethrow(error);
      endSpan(span, undefined, failure);
      throw failure;
    }
    if (outcome.logs) deliverLogs(this.#logger, outcome.logs);
    if (outcome.error) {
      const failure = errorFrom(outcome);
      endSpan(span, outcome, failure);
      throw failure;
    }
    endSpan(span, outcome);
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
    if (this.#native) this.#native.close();
  }

  /** Only the region (when given as a value) and the endpoint: never credentials. */
  toJSON() {
    const region = this.#input.region;
    return { region: typeof region === 'string' ? region : undefined, endpoint: this.config.endpoint };
  }

  [inspect.custom](depth, options, inspectValue) {
    return `${this.constructor.name} ${(inspectValue || inspect)(publicView('config', this.toJSON()), options)}`;
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
    this.#client = config.client;
    this.#operation = operation;
    this.#input = inputText(input);
    this.#config = jsonText(
      {
        PageSize: config.pageSize ?? null,
        MaxItems: config.maxItems ?? null,
        StartingToken: config.startingToken ?? null,
      },
      'paginator configuration',
    );
    this.resultKey = operation.paginator.resultKey;
  }

  // Private: the input may hold request data, and the client its credentials.
  #client;
  #operation;
  #input;
  #config;
  #native = undefined;
  #done = false;

  get resumeToken() {
    return (this.#native && this.#native.resumeToken) || undefined;
  }

  async next() {
    if (this.#done) return { done: true, value: undefined };
    try {
      if (!this.#native) {
        const nativeClient = await nativeClientOf(this.#client);
        try {
          this.#native = nativeClient.paginate(this.#operation.name, this.#input, this.#config);
        } catch (error) {
          throw rethrow(error);
        }
      }
      let outcome;
      try {
        outcome = await this.#native.nextPage();
      } catch (error) {
        throw rethrow(error);
      }
      if (outcome.error) throw errorFrom(outcome);
      if (outcome.output === undefined || outcome.output === null) {
        this.#done = true;
        return { done: true, value: undefined };
      }
      return { done: false, value: outputFrom(this.#operation, outcome) };
    } catch (error) {
      this.#done = true;
      throw error;
    }
  }

  /** Called by `for await` when the loop is left early: no further page is fetched. */
  async return(value) {
    this.#done = true;
    return { done: true, value };
  }

  toJSON() {
    return { operation: this.#operation.name, resultKey: this.resultKey, done: this.#done };
  }

  [inspect.custom](depth, options, inspectValue) {
    return `${this.constructor.name} ${(inspectValue || inspect)(publicView('paginator', this.toJSON()), options)}`;
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
  const nativeClient = await nativeClientOf(client);
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
      this.#native = new native.NativeEmulator(jsonText(options, 'emulator options'));
    } catch (error) {
      throw rethrow(error);
    }
    this.url = this.#native.url;
    this.rtmpUrl = this.#native.rtmpUrl;
    this.rtmpsUrl = this.#native.rtmpsUrl;
    this.region = this.#native.region;
    this.accountId = this.#native.accountId;
    this.accessKeyId = this.#native.accessKeyId;
    Object.defineProperty(this, 'secretAccessKey', { value: this.#native.secretAccessKey, enumerable: false });
  }

  // Private: the native emulator answers the secret key.
  #native;

  toJSON() {
    return { url: this.url, region: this.region, accountId: this.accountId };
  }

  [inspect.custom](depth, options, inspectValue) {
    return `Emulator ${(inspectValue || inspect)(publicView('emulator', this.toJSON()), options)}`;
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
    return this._run(() => JSON.parse(this.#native.startStream(String(streamKey))));
  }

  /** A channel's `playbackUrl` as this emulator serves it: fetch it to play (`?token=` for private channels). */
  playbackUrl(playbackUrl) {
    return this._run(() => this.#native.localPlaybackUrl(String(playbackUrl)));
  }

  stopStream(channelArn) {
    this._run(() => this.#native.stopStream(String(channelArn)));
  }

  /** The EventBridge events from cursor `since` on: `{ events, cursor }`. */
  events({ since = 0 } = {}) {
    return this._run(() => JSON.parse(this.#native.events(Number(since))));
  }

  injectFault(fault = {}) {
    this._run(() => this.#native.injectFault(jsonText(fault, 'fault')));
  }

  reset() {
    this._run(() => this.#native.reset());
  }

  stop() {
    this._run(() => this.#native.stop());
  }
}

// ---------------------------------------------------------------------------------------------
// Playback tokens for private channels (signed and verified in the Rust core, RustCrypto p384)

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
  // The core reads the claims by these camelCase names (and IVS's own); only Dates change here.
  const wire = {};
  for (const [key, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    wire[key] = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
  }
  return runSync(() => native.signPlaybackToken(String(privateKeyPem), jsonText(wire, 'claims')));
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
