/* The C face's logging (issue #13): ivs_set_logger's callback receives the records of a call, a
 * retried call and a failed call (from the calling thread and from runtime threads), levels
 * filter them, NULL stops them, and no secret reaches a record at IVS_LOG_TRACE. */
#include <pthread.h>

#include "support.h"

#define SECRET_KEY "SENTINEL-c-log-secret-key-0001"
#define SESSION_TOKEN "SENTINEL-c-log-session-token-0002"
#define METADATA "SENTINEL-c-log-metadata-0003"

/* Every record received, one "LEVEL|logger|message\n" line each; callbacks may come from any
 * thread, so the buffer is locked. */
static pthread_mutex_t records_lock = PTHREAD_MUTEX_INITIALIZER;
static char *records = NULL;
static size_t records_len = 0;
static int callbacks_seen = 0;

static void collect(ivs_log_level level, const char *target, const char *message, void *user_data) {
    CHECK(user_data == &callbacks_seen);
    CHECK(level >= IVS_LOG_ERROR && level <= IVS_LOG_TRACE);
    char *line = format("%d|%s|%s\n", (int)level, target, message);
    pthread_mutex_lock(&records_lock);
    size_t n = strlen(line);
    records = realloc(records, records_len + n + 1);
    memcpy(records + records_len, line, n + 1);
    records_len += n;
    callbacks_seen++;
    pthread_mutex_unlock(&records_lock);
    free(line);
}

/* Takes what was collected so far (free with free). */
static char *take_records(void) {
    pthread_mutex_lock(&records_lock);
    char *taken = records ? records : format("%s", "");
    records = NULL;
    records_len = 0;
    pthread_mutex_unlock(&records_lock);
    return taken;
}

static void a_call_is_logged(ivs_client *client) {
    ivs_set_logger(IVS_LOG_DEBUG, collect, &callbacks_seen);
    char *created = call_ok(client, "CreateChannel", "{\"name\":\"logged\"}");
    char *request_id = json_string(created, "RequestId");
    char *seen = take_records();
    char *attempt = format("4|libivs.http|CreateChannel attempt 1: HTTP 200, request id %s", request_id);
    CHECK(strstr(seen, attempt) != NULL);
    CHECK(strstr(seen, "4|libivs.client|CreateChannel succeeded: HTTP 200") != NULL);
    CHECK(strstr(seen, "operation=CreateChannel") != NULL);
    /* Nothing more verbose than the level asked for. */
    CHECK(strstr(seen, "\n5|") == NULL && strncmp(seen, "5|", 2) != 0);
    free(attempt);
    free(seen);
    free(request_id);
    ivs_string_free(created);
    PASS("a call's attempt and outcome are logged with status and request id");
}

static void a_failed_call_is_logged(ivs_client *client) {
    ivs_set_logger(IVS_LOG_DEBUG, collect, &callbacks_seen);
    ivs_error *error = call_fails(client, "GetChannel",
                                  "{\"arn\":\"arn:aws:ivs:us-west-2:123456789012:channel/missing\"}",
                                  "ResourceNotFoundException");
    ivs_error_free(error);
    char *seen = take_records();
    CHECK(strstr(seen, "libivs.http|GetChannel attempt 1: HTTP 404") != NULL);
    CHECK(strstr(seen, "libivs.client|GetChannel failed: ResourceNotFoundException (HTTP 404)") != NULL);
    CHECK(strstr(seen, "error_code=ResourceNotFoundException") != NULL);
    free(seen);
    PASS("a failed call is logged with its error code");
}

static void a_retried_call_is_logged(ivs_emulator *emulator) {
    CHECK_OK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"ListChannels\",\"count\":2,\"status\":503}", error));
    ivs_client *client = client_for(emulator, "\"max_attempts\":3");
    /* At INFO: the retries, not the DEBUG records of each attempt. */
    ivs_set_logger(IVS_LOG_INFO, collect, &callbacks_seen);
    char *listed = call_ok(client, "ListChannels", "{}");
    char *seen = take_records();
    CHECK(count_of(seen, "3|libivs.retry|retrying ListChannels: attempt ") == 2);
    CHECK(strstr(seen, "attempt 3 after waiting") != NULL);
    CHECK(strstr(seen, "libivs.http") == NULL);
    CHECK(json_int(listed, "RetryAttempts", -1) == 2);
    CHECK(json_int(listed, "TotalRetryDelay", -1) > 0);
    free(seen);
    ivs_string_free(listed);
    ivs_client_free(client);
    CHECK_OK(ivs_emulator_reset(emulator, error));
    PASS("a retried call logs each retry; the response says the total retry delay");
}

static void on_done(void *user_data, ivs_status status, char *response, ivs_error *error) {
    CHECK(status == IVS_OK);
    ivs_string_free(response);
    ivs_error_free(error);
    __atomic_add_fetch((int *)user_data, 1, __ATOMIC_SEQ_CST);
}

static void async_calls_log_from_runtime_threads(ivs_client *client) {
    ivs_set_logger(IVS_LOG_DEBUG, collect, &callbacks_seen);
    int done = 0;
    for (int i = 0; i < 4; i++) CHECK(ivs_call_async(client, "ListChannels", "{}", on_done, &done) == IVS_OK);
    CHECK_OK(ivs_client_wait(client, -1, error));
    CHECK(done == 4);
    char *seen = take_records();
    CHECK(count_of(seen, "libivs.client|ListChannels succeeded") == 4);
    free(seen);
    PASS("async calls are logged from runtime threads");
}

static void levels_and_null_turn_logging_off(ivs_client *client) {
    ivs_set_logger(IVS_LOG_DEBUG, NULL, &callbacks_seen);
    char *listed = call_ok(client, "ListChannels", "{}");
    ivs_string_free(listed);
    ivs_set_logger(0, collect, &callbacks_seen); /* below IVS_LOG_ERROR: off */
    listed = call_ok(client, "ListChannels", "{}");
    ivs_string_free(listed);
    char *seen = take_records();
    CHECK(strcmp(seen, "") == 0);
    free(seen);
    /* Out of range above: as IVS_LOG_TRACE (the SDK's own TRACE records arrive). */
    ivs_set_logger((ivs_log_level)99, collect, &callbacks_seen);
    listed = call_ok(client, "ListChannels", "{}");
    ivs_string_free(listed);
    seen = take_records();
    CHECK(strstr(seen, "5|libivs.sdk|") != NULL);
    free(seen);
    ivs_set_logger(IVS_LOG_DEBUG, NULL, NULL);
    PASS("NULL and out-of-range levels are handled");
}

static void no_secret_reaches_a_record(void) {
    ivs_emulator *emulator = NULL;
    CHECK_OK(ivs_emulator_start("{\"secret_access_key\":\"" SECRET_KEY "\"}", &emulator, error));
    const char *base = ivs_emulator_client_config(emulator);
    CHECK(strstr(base, SECRET_KEY) != NULL);
    char *config = format("%.*s,\"session_token\":\"%s\"}", (int)strlen(base) - 1, base, SESSION_TOKEN);
    ivs_error *error = NULL;
    ivs_client *client = ivs_client_new(config, &error);
    CHECK(client != NULL);
    free(config);
    ivs_set_logger(IVS_LOG_TRACE, collect, &callbacks_seen);
    char *created = call_ok(client, "CreateChannel", "{\"name\":\"secret-test\"}");
    char *stream_key = json_string(created, "value");
    char *passphrase = json_string(created, "passphrase");
    char *arn = json_string(created, "arn");
    CHECK(stream_key != NULL && strncmp(stream_key, "sk_", 3) == 0);
    char *request = format("{\"channelArn\":\"%s\",\"metadata\":\"%s\"}", arn, METADATA);
    ivs_error_free(call_fails(client, "PutMetadata", request, "ChannelNotBroadcasting"));
    char *key_request = format("{\"channelArn\":\"%s\"}", arn);
    char *keys = call_ok(client, "ListStreamKeys", key_request);
    char *key_arn = json_string(keys, "arn");
    char *get_key = format("{\"arn\":\"%s\"}", key_arn);
    char *got = call_ok(client, "GetStreamKey", get_key);
    CHECK(strstr(got, stream_key) != NULL);
    ivs_set_logger(IVS_LOG_TRACE, NULL, NULL);
    char *seen = take_records();
    CHECK(strstr(seen, "5|libivs.sdk|") != NULL);
    CHECK(strstr(seen, "libivs.client|GetStreamKey succeeded") != NULL);
    const char *secrets[] = {SECRET_KEY, SESSION_TOKEN, METADATA, stream_key, passphrase};
    for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++) {
        if (secrets[i] && strstr(seen, secrets[i])) FAIL("a record holds the secret %s", secrets[i]);
    }
    free(seen);
    ivs_string_free(got);
    free(get_key);
    free(key_arn);
    ivs_string_free(keys);
    free(key_request);
    free(request);
    free(arn);
    free(passphrase);
    free(stream_key);
    ivs_string_free(created);
    ivs_client_free(client);
    ivs_emulator_stop(emulator);
    PASS("no secret reaches a record at IVS_LOG_TRACE");
}

int main(void) {
    ivs_emulator *emulator = start_emulator();
    ivs_client *client = client_for(emulator, NULL);
    a_call_is_logged(client);
    a_failed_call_is_logged(client);
    a_retried_call_is_logged(emulator);
    async_calls_log_from_runtime_threads(client);
    levels_and_null_turn_logging_off(client);
    no_secret_reaches_a_record();
    ivs_set_logger(IVS_LOG_ERROR, NULL, NULL);
    ivs_client_free(client);
    ivs_emulator_stop(emulator);
    free(take_records());
    return finish();
}
