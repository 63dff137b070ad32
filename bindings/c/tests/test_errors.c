/* Every error path of the C API: bad arguments never crash, and each kind of failure arrives
 * with its kind, code, message, HTTP status and request id. */
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support.h"

static const char *MISSING = "{\"arn\":\"arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234\"}";

/* A port with nothing listening on it. */
static int closed_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
    socklen_t len = sizeof addr;
    CHECK(getsockname(fd, (struct sockaddr *)&addr, &len) == 0);
    close(fd);
    return ntohs(addr.sin_port);
}

static void expect_kind(ivs_error *error, ivs_error_kind_t kind, const char *code) {
    CHECK(error != NULL);
    if (ivs_error_kind(error) != kind)
        FAIL("kind %s (%s: %s), expected %s", ivs_error_kind_name(ivs_error_kind(error)),
             ivs_error_code(error), ivs_error_message(error), ivs_error_kind_name(kind));
    CHECK_STR(ivs_error_code(error), code);
}

int main(void) {
    ivs_emulator *emulator = start_emulator();
    ivs_client *client = client_for(emulator, NULL);
    char *response = (char *)0x1; /* out-parameters are cleared even on failure */
    ivs_error *error = NULL;

    /* Service error: code, message, status, request id, JSON form. */
    CHECK(ivs_get_channel(client, MISSING, &response, &error) == IVS_ERROR);
    CHECK(response == NULL);
    expect_kind(error, IVS_ERROR_KIND_SERVICE, "ResourceNotFoundException");
    CHECK(ivs_error_http_status(error) == 404);
    CHECK(strlen(ivs_error_message(error)) > 0);
    CHECK(ivs_error_request_id(error) && strlen(ivs_error_request_id(error)) >= 16);
    CHECK(!ivs_error_retryable(error));
    char *as_json = ivs_error_json(error);
    CHECK(strstr(as_json, "\"Code\":\"ResourceNotFoundException\"") && strstr(as_json, "\"HTTPStatusCode\":404"));
    CHECK(strstr(as_json, ivs_error_request_id(error)));
    /* The error shape's members bound to response headers, at the top as in boto3's response. */
    CHECK(strstr(as_json, "\"accessControlAllowOrigin\":\"*\"") && strstr(as_json, "\"xFrameOptions\":\"DENY\""));
    CHECK(strstr(as_json, "\"xAmznErrorType\":\"ResourceNotFoundException\""));
    ivs_string_free(as_json);
    ivs_error_free(error);
    error = NULL;
    /* The error out-parameter may be NULL. */
    CHECK(ivs_get_channel(client, MISSING, &response, NULL) == IVS_ERROR);
    PASS("service errors");

    /* Validation happens before anything is sent. */
    error = call_fails(client, "CreateRecordingConfiguration",
                       "{\"destinationConfiguration\":{\"s3\":{}},\"bogus\":1}", "ParamValidationError");
    expect_kind(error, IVS_ERROR_KIND_VALIDATION, "ParamValidationError");
    CHECK(strstr(ivs_error_message(error), "bucketName") && strstr(ivs_error_message(error), "bogus"));
    CHECK(ivs_error_http_status(error) == 0 && ivs_error_request_id(error) == NULL);
    ivs_error_free(error);
    error = call_fails(client, "PutMetadata", "{\"channelArn\":\"x\",\"metadata\":4242}", "ParamValidationError");
    CHECK(strstr(ivs_error_message(error), "4242") == NULL); /* metadata is secret */
    ivs_error_free(error);
    error = call_fails(client, "GetChannel", "[1]", "ParamValidationError");
    ivs_error_free(error);
    PASS("validation errors");

    /* Invalid arguments: NULLs, bad UTF-8, malformed and deeply nested JSON, unknown names. */
    error = call_fails(client, "NoSuchOperation", "{}", "InvalidArgument");
    expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT, "InvalidArgument");
    ivs_error_free(error);
    CHECK(ivs_call(NULL, "ListChannels", "{}", &response, &error) == IVS_ERROR);
    expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT, "InvalidArgument");
    CHECK(strstr(ivs_error_message(error), "client"));
    ivs_error_free(error);
    CHECK(ivs_call(client, NULL, "{}", &response, &error) == IVS_ERROR);
    expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT, "InvalidArgument");
    ivs_error_free(error);
    CHECK(ivs_call(client, "ListChannels", "{}", NULL, &error) == IVS_ERROR);
    expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT, "InvalidArgument");
    ivs_error_free(error);
    CHECK(ivs_list_channels(NULL, "{}", &response, &error) == IVS_ERROR);
    expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT, "InvalidArgument");
    ivs_error_free(error);
    error = call_fails(client, "List\xff\xfe", "{}", "InvalidArgument");
    CHECK(strstr(ivs_error_message(error), "UTF-8"));
    ivs_error_free(error);
    error = call_fails(client, "CreateChannel", "{\"name\":\"\xc3\x28\"}", "InvalidArgument");
    CHECK(strstr(ivs_error_message(error), "UTF-8"));
    ivs_error_free(error);
    error = call_fails(client, "CreateChannel", "{\"name\": \"unterminated", "InvalidArgument");
    CHECK(strstr(ivs_error_message(error), "JSON"));
    ivs_error_free(error);
    {
        size_t depth = 100000;
        char *deep = malloc(2 * depth + 1);
        memset(deep, '[', depth);
        memset(deep + depth, ']', depth);
        deep[2 * depth] = '\0';
        /* Too deep is the one depth error of every face, not a JSON syntax error. */
        error = call_fails(client, "CreateChannel", deep, "ParamValidationError");
        CHECK(strstr(ivs_error_message(error), "levels deep"));
        ivs_error_free(error);
        memset(deep, '{', depth); /* unbalanced, deep objects */
        error = call_fails(client, "ListChannels", deep, "InvalidArgument");
        ivs_error_free(error);
        free(deep);
    }
    PASS("invalid arguments");

    /* NULL is accepted by every free and accessor. */
    ivs_string_free(NULL);
    ivs_error_free(NULL);
    ivs_client_free(NULL);
    ivs_paginator_free(NULL);
    ivs_emulator_stop(NULL);
    CHECK_STR(ivs_error_code(NULL), "");
    CHECK_STR(ivs_error_message(NULL), "");
    CHECK(ivs_error_kind(NULL) == IVS_ERROR_KIND_INVALID_ARGUMENT);
    CHECK(ivs_error_http_status(NULL) == 0 && ivs_error_request_id(NULL) == NULL);
    CHECK(ivs_error_json(NULL) == NULL && !ivs_error_retryable(NULL));
    CHECK_STR(ivs_error_kind_name(IVS_ERROR_KIND_PANIC), "panic");
    CHECK_STR(ivs_error_kind_name(99), "");
    CHECK_STR(ivs_emulator_url(NULL), "");
    CHECK_STR(ivs_client_region(NULL), "");
    CHECK(ivs_client_in_flight(NULL) == 0);
    CHECK(strlen(ivs_version()) > 0);
    PASS("NULL-safe frees and accessors");

    /* Configuration errors. */
    ivs_client *bad = ivs_client_new("{\"regoin\":\"us-west-2\"}", &error);
    CHECK(bad == NULL);
    expect_kind(error, IVS_ERROR_KIND_CONFIG, "ConfigError");
    CHECK(strstr(ivs_error_message(error), "regoin"));
    ivs_error_free(error);
    bad = ivs_client_new("{\"region\":\"us-west-2\",\"access_key_id\":\"only-half\"}", &error);
    CHECK(bad == NULL);
    expect_kind(error, IVS_ERROR_KIND_CONFIG, "ConfigError");
    ivs_error_free(error);
    bad = ivs_client_new("{\"max_attempts\": 0}", &error);
    expect_kind(error, IVS_ERROR_KIND_CONFIG, "ConfigError");
    ivs_error_free(error);
    bad = ivs_client_new("not json", &error);
    CHECK(bad == NULL);
    expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT, "InvalidArgument");
    ivs_error_free(error);
    char *agent = format("\"user_agent_suffix\":\"has spaces\"");
    {
        const char *base = ivs_emulator_client_config(emulator);
        char *config = format("%.*s,%s}", (int)strlen(base) - 1, base, agent);
        bad = ivs_client_new(config, &error);
        CHECK(bad == NULL);
        expect_kind(error, IVS_ERROR_KIND_CONFIG, "ConfigError");
        ivs_error_free(error);
        free(config);
    }
    free(agent);
    ivs_emulator *no_emulator = NULL;
    CHECK(ivs_emulator_start("{\"prot\":1}", &no_emulator, &error) == IVS_ERROR && no_emulator == NULL);
    expect_kind(error, IVS_ERROR_KIND_CONFIG, "ConfigError");
    ivs_error_free(error);
    PASS("configuration errors");

    /* Wrong secret: the emulator refuses the signature, and the secret is nowhere in the error. */
    {
        char *config = format("{\"region\":\"us-west-2\",\"endpoint_url\":\"%s\",\"access_key_id\":\"test\","
                              "\"secret_access_key\":\"wrong-secret-value\"}", ivs_emulator_url(emulator));
        ivs_client *wrong = ivs_client_new(config, &error);
        CHECK(wrong != NULL);
        free(config);
        error = call_fails(wrong, "ListChannels", "{}", "InvalidSignatureException");
        CHECK(ivs_error_http_status(error) == 403);
        char *text = ivs_error_json(error);
        CHECK(strstr(text, "wrong-secret-value") == NULL);
        ivs_string_free(text);
        ivs_error_free(error);
        ivs_client_free(wrong);
    }
    PASS("signature errors");

    /* No credentials anywhere: a credentials error. */
    {
        setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
        setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
        unsetenv("AWS_ACCESS_KEY_ID");
        unsetenv("AWS_SECRET_ACCESS_KEY");
        unsetenv("AWS_PROFILE");
        setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
        char *config = format("{\"region\":\"us-west-2\",\"endpoint_url\":\"%s\",\"max_attempts\":1}",
                              ivs_emulator_url(emulator));
        ivs_client *anonymous = ivs_client_new(config, &error);
        if (!anonymous) FAIL("%s: %s", ivs_error_code(error), ivs_error_message(error));
        free(config);
        error = call_fails(anonymous, "ListChannels", "{}", "NoCredentialsError");
        expect_kind(error, IVS_ERROR_KIND_CREDENTIALS, "NoCredentialsError");
        ivs_error_free(error);
        ivs_client_free(anonymous);
        /* NULL configuration: everything from the environment, which has no region here. */
        unsetenv("AWS_REGION");
        unsetenv("AWS_DEFAULT_REGION");
        ivs_client *nowhere = ivs_client_new(NULL, &error);
        CHECK(nowhere == NULL);
        expect_kind(error, IVS_ERROR_KIND_CONFIG, "NoRegionError");
        ivs_error_free(error);
    }
    PASS("credentials errors");

    /* Nothing listening: a network error, retryable. */
    {
        char *config = format("{\"region\":\"us-west-2\",\"endpoint_url\":\"http://127.0.0.1:%d\","
                              "\"access_key_id\":\"test\",\"secret_access_key\":\"test\",\"max_attempts\":1}",
                              closed_port());
        ivs_client *nowhere = ivs_client_new(config, &error);
        CHECK(nowhere != NULL);
        free(config);
        error = call_fails(nowhere, "ListChannels", "{}", "EndpointConnectionError");
        expect_kind(error, IVS_ERROR_KIND_NETWORK, "EndpointConnectionError");
        CHECK(ivs_error_retryable(error));
        ivs_error_free(error);
        ivs_client_free(nowhere);
    }
    PASS("network errors");

    /* A stalled call: a timeout error. */
    {
        CHECK_OK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"ListChannels\",\"count\":1,\"delayMs\":3000}", error));
        ivs_client *impatient = client_for(emulator, "\"operation_timeout\":0.3,\"max_attempts\":1");
        error = call_fails(impatient, "ListChannels", "{}", "TimeoutError");
        expect_kind(error, IVS_ERROR_KIND_TIMEOUT, "TimeoutError");
        ivs_error_free(error);
        ivs_client_free(impatient);
    }
    PASS("timeout errors");

    /* Retries: two 503s then success; throttling past the attempts is an error. */
    {
        ivs_client *patient = client_for(emulator, "\"max_attempts\":3,\"retry_mode\":\"standard\"");
        CHECK_OK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"ListChannels\",\"count\":2,\"status\":503}", error));
        char *listed = call_ok(patient, "ListChannels", "{}");
        CHECK(json_int(listed, "RetryAttempts", -1) == 2);
        ivs_string_free(listed);
        CHECK_OK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"*\",\"count\":5,\"status\":429}", error));
        ivs_client *twice = client_for(emulator, "\"max_attempts\":2");
        error = call_fails(twice, "ListChannels", "{}", "ThrottlingException");
        CHECK(ivs_error_http_status(error) == 429 && ivs_error_retryable(error));
        ivs_error_free(error);
        CHECK_OK(ivs_emulator_reset(emulator, error));
        CHECK_OK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"ListChannels\",\"reset\":true}", error));
        ivs_client *once = client_for(emulator, "\"max_attempts\":1");
        char *none = NULL;
        CHECK(ivs_call(once, "ListChannels", "{}", &none, &error) == IVS_ERROR && none == NULL);
        CHECK(ivs_error_kind(error) == IVS_ERROR_KIND_NETWORK);
        ivs_error_free(error);
        ivs_client_free(once);
        ivs_client_free(twice);
        ivs_client_free(patient);
        CHECK(ivs_emulator_inject_fault(emulator, "{\"count\":1}", &error) == IVS_ERROR);
        expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT, "EmulatorError");
        ivs_error_free(error);
    }
    PASS("retries and faults");

    /* Presigned URLs. */
    {
        char *url = NULL;
        CHECK_OK(ivs_presign(client, "ListTagsForResource",
                             "{\"resourceArn\":\"arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234\"}",
                             60, &url, error));
        CHECK(strncmp(url, ivs_emulator_url(emulator), strlen(ivs_emulator_url(emulator))) == 0);
        CHECK(strstr(url, "X-Amz-Signature=") && strstr(url, "X-Amz-Expires=60"));
        CHECK(strstr(url, "/tags/arn%3Aaws%3Aivs"));
        ivs_string_free(url);
        CHECK(ivs_presign(client, "ListTagsForResource", "{}", 0, &url, &error) == IVS_ERROR && url == NULL);
        expect_kind(error, IVS_ERROR_KIND_VALIDATION, "ParamValidationError");
        ivs_error_free(error);
        CHECK(ivs_presign(client, "GetChannel", "{\"arn\":\"x\"}", -5, &url, &error) == IVS_ERROR);
        ivs_error_free(error);
        CHECK(ivs_presign(client, "GetChannel", "{\"arn\":\"x\"}", 60, NULL, &error) == IVS_ERROR);
        expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT, "InvalidArgument");
        ivs_error_free(error);
    }
    PASS("presign");

    /* Emulator errors. */
    {
        char *result = NULL;
        CHECK(ivs_emulator_start_stream(emulator, "sk_us-west-2_nope", &result, &error) == IVS_ERROR);
        CHECK(result == NULL);
        expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT, "EmulatorError");
        CHECK(strstr(ivs_error_message(error), "ResourceNotFoundException (404)"));
        ivs_error_free(error);
        CHECK(ivs_emulator_start_stream(NULL, "k", &result, &error) == IVS_ERROR);
        expect_kind(error, IVS_ERROR_KIND_INVALID_ARGUMENT, "InvalidArgument");
        ivs_error_free(error);
    }
    PASS("emulator errors");

    ivs_client_free(client);
    ivs_emulator_stop(emulator);
    return finish();
}
