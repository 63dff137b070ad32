/* The C face's reliability and security suite (issue #16): a host with the default SIGPIPE
 * disposition survives a server that closes mid-request, hostile arguments and absurd
 * configuration are typed errors, retries are counted exactly, secrets never reach error text,
 * and freeing a client with calls in flight neither crashes nor leaks (valgrind, ASan). */
#include <signal.h>

#include "support.h"

static const char *SECRET = "SENTINEL-secret-key-0001";
static const char *TOKEN = "SENTINEL-session-token-0002";
static const char *METADATA = "SENTINEL-metadata-0003";

static void expect_kind(ivs_error *error, ivs_error_kind_t kind) {
    CHECK(error != NULL);
    if (ivs_error_kind(error) != kind)
        FAIL("kind %s (%s: %s), expected %s", ivs_error_kind_name(ivs_error_kind(error)),
             ivs_error_code(error), ivs_error_message(error), ivs_error_kind_name(kind));
}

static void expect_no_secret(ivs_error *error) {
    char *json = ivs_error_json(error);
    const char *message = ivs_error_message(error);
    const char *secrets[] = {SECRET, TOKEN, METADATA};
    for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++) {
        if (strstr(message, secrets[i]) || strstr(json, secrets[i]))
            FAIL("a secret is shown: %s", json);
    }
    ivs_string_free(json);
}

/* A request body of several megabytes that the emulator refuses (413) and closes on, while
 * libivs is still writing: the write fails with EPIPE, and the host is not killed. */
static void sigpipe_never_kills_the_host(ivs_emulator *emulator) {
    CHECK(signal(SIGPIPE, SIG_DFL) != SIG_ERR);
    ivs_client *client = client_for(emulator, "\"validate_input\":false,\"max_attempts\":2");
    size_t size = 5u * 1024 * 1024;
    char *request = malloc(size + 64);
    strcpy(request, "{\"arn\":\"");
    memset(request + 8, 'a', size);
    strcpy(request + 8 + size, "\"}");
    for (int round = 0; round < 3; round++) {
        char *response = NULL;
        ivs_error *error = NULL;
        CHECK(ivs_call(client, "GetChannel", request, &response, &error) == IVS_ERROR);
        CHECK(response == NULL);
        /* Either the 413 arrived or the connection broke first: both are typed. */
        ivs_error_kind_t kind = ivs_error_kind(error);
        CHECK(kind == IVS_ERROR_KIND_SERVICE || kind == IVS_ERROR_KIND_NETWORK);
        CHECK(strstr(ivs_error_message(error), "aaaaaaaaaaaa") == NULL);
        ivs_error_free(error);
    }
    free(request);
    /* The host's disposition is as it was. */
    struct sigaction now;
    CHECK(sigaction(SIGPIPE, NULL, &now) == 0);
    CHECK(now.sa_handler == SIG_DFL);
    sigset_t pending;
    sigpending(&pending);
    CHECK(!sigismember(&pending, SIGPIPE));
    ivs_client_free(client);
    PASS("SIGPIPE never kills the host and its disposition stays");
}

static void hostile_arguments_are_typed_errors(ivs_client *client) {
    char *response = NULL;
    ivs_error *error = NULL;
    /* Bad UTF-8, a NULL operation, a NULL out-pointer, a NULL client. */
    CHECK(ivs_call(client, "GetChannel", "{\"arn\":\"\xff\xfe\"}", &response, &error) == IVS_ERROR);
    expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT);
    ivs_error_free(error);
    error = NULL;
    CHECK(ivs_call(client, NULL, "{}", &response, &error) == IVS_ERROR);
    expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT);
    ivs_error_free(error);
    error = NULL;
    CHECK(ivs_call(client, "GetChannel", "{}", NULL, &error) == IVS_ERROR);
    expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT);
    ivs_error_free(error);
    error = NULL;
    CHECK(ivs_call(NULL, "GetChannel", "{}", &response, &error) == IVS_ERROR);
    expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT);
    ivs_error_free(error);
    /* No error slot at all: still no crash. */
    CHECK(ivs_call(client, "GetChannel", "{", &response, NULL) == IVS_ERROR);

    /* Nesting: past the limit (and past serde_json's 128) is a validation error naming it. */
    const int depths[] = {40, 1000, 100000};
    for (size_t d = 0; d < sizeof depths / sizeof *depths; d++) {
        int depth = depths[d];
        char *deep = malloc((size_t)depth * 6 + 64);
        size_t n = (size_t)sprintf(deep, "{\"tags\":");
        for (int i = 0; i < depth; i++) n += (size_t)sprintf(deep + n, "{\"a\":");
        n += (size_t)sprintf(deep + n, "1");
        for (int i = 0; i < depth; i++) deep[n++] = '}';
        strcpy(deep + n, "}");
        error = NULL;
        CHECK(ivs_call(client, "CreateChannel", deep, &response, &error) == IVS_ERROR);
        expect_kind(error, IVS_ERROR_KIND_VALIDATION);
        CHECK(strstr(ivs_error_message(error), "levels deep") != NULL);
        ivs_error_free(error);
        free(deep);
    }

    /* A 50 MB string: refused by the length check, not quoted back. */
    size_t size = 50u * 1024 * 1024;
    char *huge = malloc(size + 32);
    strcpy(huge, "{\"name\":\"");
    memset(huge + 9, 'n', size);
    strcpy(huge + 9 + size, "\"}");
    error = call_fails(client, "CreateChannel", huge, "ParamValidationError");
    CHECK(strlen(ivs_error_message(error)) < 2000);
    ivs_error_free(error);
    free(huge);

    /* Wrong types, unknown members, numbers out of range, not an object. */
    const char *bad[] = {"{\"name\":5}", "{\"unknownMember\":1}", "{\"maxResults\":1e300}",
                         "[1,2]", "{\"maxResults\":-1}", "{\"maxResults\":18446744073709551616}"};
    const char *ops[] = {"CreateChannel", "CreateChannel", "ListChannels",
                         "ListChannels", "ListChannels", "ListChannels"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        error = call_fails(client, ops[i], bad[i], "ParamValidationError");
        ivs_error_free(error);
    }
    PASS("hostile arguments are typed errors");
}

static void absurd_configuration_is_a_config_error(void) {
    const char *configs[] = {
        "{\"region\":\"us-west-2\",\"read_timeout\":1e-300}",
        "{\"region\":\"us-west-2\",\"connect_timeout\":1e30}",
        "{\"region\":\"us-west-2\",\"operation_timeout\":18446744073709551616}",
        "{\"region\":\"us-west-2\",\"max_attempts\":1e30}",
        "{\"region\":\"us-west-2\",\"endpoint_url\":\"\"}",
        "{\"region\":\"us-west-2\",\"endpoint_url\":\"not a url\"}",
        "{\"region\":\"\"}",
        "{\"region\":\"us-west-2\",\"retry_mode\":\"sometimes\"}",
        "{\"region\":\"us-west-2\",\"unknown\":1}",
    };
    for (size_t i = 0; i < sizeof configs / sizeof *configs; i++) {
        ivs_error *error = NULL;
        ivs_client *client = ivs_client_new(configs[i], &error);
        if (client) FAIL("accepted %s", configs[i]);
        expect_kind(error, IVS_ERROR_KIND_CONFIG);
        ivs_error_free(error);
    }
    /* An invalid endpoint with static credentials: refused at creation, nothing secret shown. */
    char *config = format("{\"region\":\"us-west-2\",\"endpoint_url\":\"not a url\","
                          "\"access_key_id\":\"AKIDEXAMPLE\",\"secret_access_key\":\"%s\","
                          "\"session_token\":\"%s\"}", SECRET, TOKEN);
    ivs_error *error = NULL;
    CHECK(ivs_client_new(config, &error) == NULL);
    expect_kind(error, IVS_ERROR_KIND_CONFIG);
    expect_no_secret(error);
    ivs_error_free(error);
    free(config);
    PASS("absurd configuration is a config error");
}

/* Arms `count` faults of `status` on `operation` (as named in the fault), calls ListChannels with
 * `attempts` ("\"max_attempts\":N") and answers its error; the emulator is reset afterwards. */
static ivs_error *failed_list_channels(ivs_emulator *emulator, const char *operation, int count,
                                       int status, const char *attempts) {
    char *fault = format("{\"operation\":\"%s\",\"count\":%d,\"status\":%d}", operation, count, status);
    CHECK_OK(ivs_emulator_inject_fault(emulator, fault, error));
    free(fault);
    ivs_client *client = client_for(emulator, attempts);
    char *response = NULL;
    ivs_error *error = NULL;
    CHECK(ivs_call(client, "ListChannels", "{}", &response, &error) == IVS_ERROR);
    ivs_client_free(client);
    CHECK_OK(ivs_emulator_reset(emulator, error));
    return error;
}

/* Fails unless the error's metadata says `retries` retries were made. */
static void expect_retries(ivs_error *error, int status, long retries) {
    char *json = ivs_error_json(error);
    if (json_int(json, "RetryAttempts", -1) != retries) FAIL("%d: %s", status, json);
    ivs_string_free(json);
}

static void retries_are_counted_exactly(ivs_emulator *emulator) {
    const int retried[] = {500, 502, 503, 504, 429};
    for (size_t i = 0; i < sizeof retried / sizeof *retried; i++) {
        ivs_error *error = failed_list_channels(emulator, "list_channels", 4, retried[i], "\"max_attempts\":2");
        CHECK(ivs_error_http_status(error) == retried[i]);
        CHECK(ivs_error_retryable(error));
        CHECK(ivs_error_request_id(error) != NULL);
        expect_retries(error, retried[i], 1);
        ivs_error_free(error);
    }
    const int once[] = {400, 402, 403, 409};
    for (size_t i = 0; i < sizeof once / sizeof *once; i++) {
        ivs_error *error = failed_list_channels(emulator, "ListChannels", 3, once[i], "\"max_attempts\":3");
        CHECK(!ivs_error_retryable(error));
        expect_retries(error, once[i], 0);
        ivs_error_free(error);
    }
    /* An unknown fault name is refused, not accepted and never fired. */
    ivs_error *error = NULL;
    CHECK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"no_such_op\",\"status\":500}", &error) == IVS_ERROR);
    ivs_error_free(error);
    error = NULL;
    CHECK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"GetChannel\",\"delayMs\":1e300}", &error) == IVS_ERROR);
    ivs_error_free(error);
    PASS("retries are counted exactly and faults are checked");
}

static void secrets_never_reach_error_text(ivs_emulator *emulator) {
    ivs_client *client = client_for(emulator, NULL);
    char *created = call_ok(client, "CreateChannel", "{\"name\":\"secrets\"}");
    char *arn = json_string(created, "arn");
    char *request = format("{\"channelArn\":\"%s\",\"metadata\":[\"%s\"]}", arn, METADATA);
    ivs_error *error = call_fails(client, "PutMetadata", request, "ParamValidationError");
    expect_no_secret(error);
    ivs_error_free(error);
    free(request);
    /* Offline channel: the service error does not quote the metadata either. */
    request = format("{\"channelArn\":\"%s\",\"metadata\":\"%s\"}", arn, METADATA);
    error = call_fails(client, "PutMetadata", request, "ChannelNotBroadcasting");
    expect_no_secret(error);
    ivs_error_free(error);
    free(request);
    free(arn);
    ivs_string_free(created);
    ivs_client_free(client);
    PASS("secrets never reach error text");
}

static void on_done(void *user_data, ivs_status status, char *response, ivs_error *error) {
    (void)status;
    ivs_string_free(response);
    ivs_error_free(error);
    __atomic_add_fetch((int *)user_data, 1, __ATOMIC_SEQ_CST);
}

static void free_with_calls_in_flight(ivs_emulator *emulator) {
    CHECK_OK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"ListChannels\",\"count\":8,\"delayMs\":300}", error));
    ivs_client *client = client_for(emulator, NULL);
    int done = 0;
    for (int i = 0; i < 8; i++) {
        CHECK(ivs_call_async(client, "ListChannels", "{}", on_done, &done) == IVS_OK);
    }
    ivs_client_free(client); /* with eight calls waiting on the server: cancelled, waited for */
    CHECK(__atomic_load_n(&done, __ATOMIC_SEQ_CST) == 8);
    CHECK_OK(ivs_emulator_reset(emulator, error));
    PASS("freeing a client with calls in flight");
}

int main(void) {
    ivs_emulator *emulator = start_emulator();
    ivs_client *client = client_for(emulator, NULL);
    sigpipe_never_kills_the_host(emulator);
    hostile_arguments_are_typed_errors(client);
    absurd_configuration_is_a_config_error();
    retries_are_counted_exactly(emulator);
    secrets_never_reach_error_text(emulator);
    free_with_calls_in_flight(emulator);
    ivs_client_free(client);
    ivs_emulator_stop(emulator);
    return finish();
}
