/* Paginators (pages, items, MaxItems and resume tokens, all 9 paginated operations), the
 * emulator's C API, and a presigned URL fetched over a plain socket. */
#include "support.h"

static ivs_client *client;

static char *channel_arns[5];

static ivs_paginator *paginate(const char *op, const char *request, const char *config) {
    ivs_paginator *p = NULL;
    CHECK_OK(ivs_paginator_new(client, op, request, config, &p, error));
    CHECK(p != NULL);
    return p;
}

int main(void) {
    ivs_emulator *emulator = start_emulator();
    client = client_for(emulator, NULL);
    for (int i = 0; i < 5; i++) {
        char *request = format("{\"name\":\"paged-%d\"}", i);
        char *created = call_ok(client, "CreateChannel", request);
        channel_arns[i] = json_string(created, "arn");
        ivs_string_free(created);
        free(request);
    }

    /* Pages of 2: 2, 2, 1, then done (and done again). */
    ivs_paginator *p = paginate("ListChannels", "{}", "{\"PageSize\":2}");
    CHECK_STR(ivs_paginator_result_key(p), "channels");
    int sizes[8], pages = 0, seen = 0;
    char *page = NULL;
    ivs_status status;
    while ((status = ivs_paginator_next_page(p, &page, NULL)) == IVS_OK) {
        CHECK(pages < 8);
        sizes[pages++] = count_of(page, "\"arn\":");
        CHECK(strstr(page, "\"ResponseMetadata\""));
        for (int i = 0; i < 5; i++) seen += strstr(page, channel_arns[i]) != NULL;
        ivs_string_free(page);
    }
    CHECK(status == IVS_DONE && page == NULL);
    CHECK(pages == 3 && sizes[0] == 2 && sizes[1] == 2 && sizes[2] == 1 && seen == 5);
    CHECK(ivs_paginator_next_page(p, &page, NULL) == IVS_DONE);
    CHECK(ivs_paginator_resume_token(p) == NULL);
    ivs_paginator_free(p);
    PASS("pages");

    /* MaxItems cuts inside a page and leaves a resume token that continues exactly there. */
    p = paginate("ListChannels", NULL, "{\"PageSize\":2,\"MaxItems\":3}");
    int items = 0;
    char *item = NULL;
    while ((status = ivs_paginator_next_item(p, &item, NULL)) == IVS_OK) {
        char *arn = json_string(item, "arn");
        CHECK_STR(arn, channel_arns[items]);
        free(arn);
        items++;
        ivs_string_free(item);
    }
    CHECK(status == IVS_DONE && items == 3);
    const char *token = ivs_paginator_resume_token(p);
    CHECK(token != NULL && strlen(token) > 0);
    char *config = format("{\"PageSize\":2,\"StartingToken\":\"%s\"}", token);
    ivs_paginator_free(p);
    p = paginate("ListChannels", "{}", config);
    free(config);
    items = 3;
    while ((status = ivs_paginator_next_item(p, &item, NULL)) == IVS_OK) {
        char *arn = json_string(item, "arn");
        CHECK(items < 5);
        CHECK_STR(arn, channel_arns[items]);
        free(arn);
        items++;
        ivs_string_free(item);
    }
    CHECK(status == IVS_DONE && items == 5);
    /* Items after items is fine; pages after items is refused. */
    ivs_error *error = NULL;
    CHECK(ivs_paginator_next_page(p, &page, &error) == IVS_ERROR);
    CHECK(ivs_error_kind(error) == IVS_ERROR_KIND_INVALID_ARGUMENT);
    ivs_error_free(error);
    ivs_paginator_free(p);
    PASS("items, MaxItems and resume tokens");

    /* Request members still apply; mixing: pages first, then items from the next page. */
    p = paginate("ListChannels", "{\"filterByName\":\"paged-4\"}", NULL);
    CHECK(ivs_paginator_next_item(p, &item, NULL) == IVS_OK);
    CHECK(strstr(item, channel_arns[4]));
    ivs_string_free(item);
    CHECK(ivs_paginator_next_item(p, &item, NULL) == IVS_DONE && item == NULL);
    ivs_paginator_free(p);
    p = paginate("ListChannels", "{}", "{\"PageSize\":3}");
    CHECK(ivs_paginator_next_page(p, &page, NULL) == IVS_OK);
    CHECK(count_of(page, "\"arn\":") == 3);
    ivs_string_free(page);
    CHECK(ivs_paginator_next_item(p, &item, NULL) == IVS_OK);
    CHECK(strstr(item, channel_arns[3]));
    ivs_string_free(item);
    ivs_paginator_free(p);
    PASS("filters, and pages then items");

    /* Errors: not paginated, bad config, NULLs, and an error ends the paginator. */
    ivs_paginator *none = (ivs_paginator *)0x1;
    CHECK(ivs_paginator_new(client, "GetChannel", "{\"arn\":\"arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234\"}", NULL, &none, &error) == IVS_ERROR);
    CHECK(none == NULL && ivs_error_kind(error) == IVS_ERROR_KIND_INVALID_ARGUMENT);
    ivs_error_free(error);
    CHECK(ivs_paginator_new(client, "ListChannels", "{}", "{\"PageSize\":0}", &none, &error) == IVS_ERROR);
    CHECK(ivs_error_kind(error) == IVS_ERROR_KIND_VALIDATION);
    ivs_error_free(error);
    CHECK(ivs_paginator_new(client, "ListChannels", "{}", "{\"Pagesize\":2}", &none, &error) == IVS_ERROR);
    ivs_error_free(error);
    CHECK(ivs_paginator_new(client, "ListChannels", "{", NULL, &none, &error) == IVS_ERROR);
    CHECK(ivs_error_kind(error) == IVS_ERROR_KIND_INVALID_ARGUMENT);
    ivs_error_free(error);
    CHECK(ivs_paginator_new(NULL, "ListChannels", "{}", NULL, &none, &error) == IVS_ERROR);
    ivs_error_free(error);
    CHECK(ivs_paginator_new(client, "ListChannels", "{}", NULL, NULL, &error) == IVS_ERROR);
    ivs_error_free(error);
    CHECK(ivs_paginator_next_page(NULL, &page, &error) == IVS_ERROR);
    CHECK(ivs_error_kind(error) == IVS_ERROR_KIND_INVALID_ARGUMENT);
    ivs_error_free(error);
    CHECK_OK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"ListChannels\",\"status\":500}", error));
    ivs_client *once = client_for(emulator, "\"max_attempts\":1");
    CHECK(ivs_paginator_new(once, "ListChannels", "{}", NULL, &p, &error) == IVS_OK);
    CHECK(ivs_paginator_next_page(p, &page, &error) == IVS_ERROR && page == NULL);
    CHECK_STR(ivs_error_code(error), "InternalServerException");
    CHECK(ivs_error_http_status(error) == 500);
    ivs_error_free(error);
    CHECK(ivs_paginator_next_page(p, &page, &error) == IVS_DONE && error == NULL);
    ivs_paginator_free(p);
    ivs_client_free(once);
    PASS("paginator errors");

    /* All 9 paginated operations page through the real stack. */
    {
        const char *ops[] = {"ListAdConfigurations", "ListChannels", "ListFailoverSlateConfigurations",
                             "ListPlaybackKeyPairs", "ListPlaybackRestrictionPolicies",
                             "ListRecordingConfigurations", "ListStreamKeys", "ListStreamSessions",
                             "ListStreams"};
        const char *keys[] = {"adConfigurations", "channels", "failoverSlateConfigurations", "keyPairs",
                              "playbackRestrictionPolicies", "recordingConfigurations", "streamKeys",
                              "streamSessions", "streams"};
        char *by_channel = format("{\"channelArn\":\"%s\"}", channel_arns[0]);
        for (int i = 0; i < 9; i++) {
            int needs_channel = strcmp(ops[i], "ListStreamKeys") == 0 || strcmp(ops[i], "ListStreamSessions") == 0;
            p = paginate(ops[i], needs_channel ? by_channel : "{}", "{\"PageSize\":1}");
            CHECK_STR(ivs_paginator_result_key(p), keys[i]);
            char *first = NULL;
            CHECK_OK(ivs_paginator_next_page(p, &first, error));
            char *pattern = format("\"%s\":[", keys[i]);
            if (!strstr(first, pattern)) FAIL("%s page: %s", ops[i], first);
            free(pattern);
            ivs_string_free(first);
            while ((status = ivs_paginator_next_page(p, &first, NULL)) == IVS_OK) ivs_string_free(first);
            CHECK(status == IVS_DONE);
            ivs_paginator_free(p);
        }
        /* The paginator outlives its client. */
        ivs_client *short_lived = client_for(emulator, NULL);
        CHECK(ivs_paginator_new(short_lived, "ListStreamKeys", by_channel, NULL, &p, &error) == IVS_OK);
        ivs_client_free(short_lived);
        CHECK(ivs_paginator_next_item(p, &item, NULL) == IVS_OK);
        CHECK(strstr(item, channel_arns[0]));
        ivs_string_free(item);
        ivs_paginator_free(p);
        free(by_channel);
    }
    PASS("all 9 paginated operations");

    /* The emulator: its URL, client config, simulated streams and reset. */
    {
        CHECK(strncmp(ivs_emulator_url(emulator), "http://127.0.0.1:", 17) == 0);
        CHECK(strstr(ivs_emulator_client_config(emulator), ivs_emulator_url(emulator)));
        CHECK_STR(ivs_client_region(client), "us-west-2");
        CHECK_STR(ivs_client_endpoint_url(client), ivs_emulator_url(emulator));
        char *get_key = format("{\"channelArn\":\"%s\"}", channel_arns[1]);
        char *keys = call_ok(client, "ListStreamKeys", get_key);
        char *key_arn = json_string(keys, "arn");
        ivs_string_free(keys);
        char *by_arn = format("{\"arn\":\"%s\"}", key_arn);
        char *key = call_ok(client, "GetStreamKey", by_arn);
        char *value = json_string(key, "value");
        ivs_string_free(key);
        char *started = NULL;
        CHECK_OK(ivs_emulator_start_stream(emulator, value, &started, error));
        CHECK(strstr(started, channel_arns[1]) && strstr(started, "\"streamId\":\"st-"));
        ivs_string_free(started);
        char *stream = call_ok(client, "GetStream", get_key);
        CHECK(strstr(stream, "\"state\":\"LIVE\""));
        ivs_string_free(stream);
        CHECK(ivs_emulator_start_stream(emulator, value, &started, &error) == IVS_ERROR);
        CHECK(ivs_error_kind(error) == IVS_ERROR_KIND_INVALID_ARGUMENT);
        CHECK(strcmp(ivs_error_code(error), "EmulatorError") == 0);
        ivs_error_free(error);
        CHECK_OK(ivs_emulator_stop_stream(emulator, channel_arns[1], error));
        ivs_error_free(call_fails(client, "GetStream", get_key, "ChannelNotBroadcasting"));
        free(value);
        free(by_arn);
        free(key_arn);
        free(get_key);

        /* A second emulator with its own settings. */
        ivs_emulator *other = NULL;
        CHECK_OK(ivs_emulator_start("{\"region\":\"eu-west-1\",\"account_id\":\"111122223333\"}", &other, error));
        ivs_client *there = client_for(other, NULL);
        char *created = call_ok(there, "CreateChannel", "{\"name\":\"elsewhere\"}");
        CHECK(strstr(created, "arn:aws:ivs:eu-west-1:111122223333:channel/"));
        ivs_string_free(created);
        CHECK_OK(ivs_emulator_reset(other, error));
        char *listed = call_ok(there, "ListChannels", "{}");
        CHECK(strstr(listed, "\"channels\":[]"));
        ivs_string_free(listed);
        ivs_client_free(there);
        ivs_emulator_stop(other);
    }
    PASS("emulator");

    /* A presigned URL is accepted by the emulator; a tampered one is not. */
    {
        char *tag = format("{\"resourceArn\":\"%s\",\"tags\":{\"k\":\"v\"}}", channel_arns[2]);
        ivs_string_free(call_ok(client, "TagResource", tag));
        free(tag);
        char *request = format("{\"resourceArn\":\"%s\"}", channel_arns[2]);
        char *url = NULL;
        CHECK_OK(ivs_presign(client, "ListTagsForResource", request, 60, &url, error));
        free(request);
        char *body = NULL;
        int code = http_get(url, &body);
        if (code != 200) FAIL("presigned GET answered %d: %s", code, body);
        CHECK(strstr(body, "\"k\":\"v\""));
        free(body);
        char *tampered = strdup(url);
        char *expires = strstr(tampered, "X-Amz-Expires=60");
        CHECK(expires);
        expires[strlen("X-Amz-Expires=6")] = '1';
        CHECK(http_get(tampered, &body) == 403);
        free(body);
        free(tampered);
        ivs_string_free(url);
    }
    PASS("presigned URL accepted by the emulator");

    for (int i = 0; i < 5; i++) free(channel_arns[i]);
    ivs_client_free(client);
    ivs_emulator_stop(emulator);
    return finish();
}
