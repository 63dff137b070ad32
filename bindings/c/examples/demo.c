/* The main job in C on the embedded emulator, as the Rust and Python demos do it: create a
 * channel, broadcast to it, read the stream and its session, page through channels, stop the
 * stream, delete every channel. `make demo-c`.
 *
 * Responses are JSON strings (boto3's shapes); this demo reads a few fields with strstr, a real
 * program would use its JSON library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ivs.h"

/* Stops the demo with the error's details. */
static void check(ivs_status status, ivs_error *error, const char *what) {
    if (status == IVS_ERROR) {
        fprintf(stderr, "[c] %s failed: %s (%s, HTTP %u): %s\n", what, ivs_error_code(error),
                ivs_error_kind_name(ivs_error_kind(error)), ivs_error_http_status(error),
                ivs_error_message(error));
        ivs_error_free(error);
        exit(1);
    }
}

/* The string value of the first "key":"..." in json (malloc'd). */
static char *field(const char *json, const char *key) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *at = strstr(json, pattern);
    if (!at) return NULL;
    at += strlen(pattern);
    size_t n = strcspn(at, "\"");
    char *out = malloc(n + 1);
    memcpy(out, at, n);
    out[n] = '\0';
    return out;
}

int main(void) {
    ivs_error *error = NULL;
    ivs_emulator *emulator = NULL;
    check(ivs_emulator_start(NULL, &emulator, &error), error, "ivs_emulator_start");
    ivs_client *client = ivs_client_new(ivs_emulator_client_config(emulator), &error);
    if (!client) check(IVS_ERROR, error, "ivs_client_new");
    printf("[c] emulator at %s\n", ivs_emulator_url(emulator));

    char *created = NULL;
    check(ivs_create_channel(client, "{\"name\":\"c-demo\",\"latencyMode\":\"LOW\",\"tags\":{\"lang\":\"c\"}}",
                             &created, &error),
          error, "CreateChannel");
    char *channel_arn = field(created, "arn");
    char *stream_key = field(strstr(created, "\"streamKey\""), "value");
    ivs_string_free(created);
    printf("[c] created %s\n", channel_arn);

    /* A simulated broadcaster goes live with the channel's stream key. */
    char *live = NULL;
    check(ivs_emulator_start_stream(emulator, stream_key, &live, &error), error, "start_stream");
    ivs_string_free(live);
    char by_channel[256];
    snprintf(by_channel, sizeof by_channel, "{\"channelArn\":\"%s\"}", channel_arn);
    char *stream = NULL;
    check(ivs_get_stream(client, by_channel, &stream, &error), error, "GetStream");
    char *stream_id = field(stream, "streamId"), *state = field(stream, "state"), *health = field(stream, "health");
    printf("[c] stream \"%s\" is \"%s\" (\"%s\")\n", stream_id, state, health);
    free(stream_id);
    free(state);
    free(health);
    ivs_string_free(stream);
    char *session = NULL;
    check(ivs_get_stream_session(client, by_channel, &session, &error), error, "GetStreamSession");
    int events = 0;
    for (const char *at = strstr(session, "\"truncatedEvents\""); at && (at = strstr(at, "\"eventTime\"")); at++) events++;
    printf("[c] session has %d events\n", events);
    ivs_string_free(session);

    for (int i = 0; i < 4; i++) {
        char request[64], *extra = NULL;
        snprintf(request, sizeof request, "{\"name\":\"c-extra-%d\"}", i);
        check(ivs_create_channel(client, request, &extra, &error), error, "CreateChannel");
        ivs_string_free(extra);
    }

    /* Pages of two channels. */
    ivs_paginator *pages = NULL;
    check(ivs_paginator_new(client, "ListChannels", NULL, "{\"PageSize\":2}", &pages, &error), error,
          "ivs_paginator_new");
    char *page = NULL;
    int count = 0;
    ivs_status status;
    while ((status = ivs_paginator_next_page(pages, &page, &error)) == IVS_OK) {
        printf("[c] page %d: [", ++count);
        const char *at = page;
        for (int n = 0; (at = strstr(at, "\"name\":\"")); n++) {
            at += 8;
            printf("%s\"%.*s\"", n ? ", " : "", (int)strcspn(at, "\""), at);
        }
        printf("]\n");
        ivs_string_free(page);
    }
    check(status, error, "ListChannels");
    ivs_paginator_free(pages);

    char *stopped = NULL;
    check(ivs_stop_stream(client, by_channel, &stopped, &error), error, "StopStream");
    ivs_string_free(stopped);

    /* Every channel, one item at a time, deleted. */
    ivs_paginator *items = NULL;
    check(ivs_paginator_new(client, "ListChannels", NULL, NULL, &items, &error), error, "ivs_paginator_new");
    char *channel = NULL;
    int deleted = 0;
    while ((status = ivs_paginator_next_item(items, &channel, &error)) == IVS_OK) {
        char *arn = field(channel, "arn"), request[256], *gone = NULL;
        snprintf(request, sizeof request, "{\"arn\":\"%s\"}", arn);
        check(ivs_delete_channel(client, request, &gone, &error), error, "DeleteChannel");
        ivs_string_free(gone);
        ivs_string_free(channel);
        free(arn);
        deleted++;
    }
    check(status, error, "ListChannels");
    ivs_paginator_free(items);
    printf("[c] deleted %d channels; done\n", deleted);

    /* An error, as the caller sees it. */
    char *missing = NULL;
    if (ivs_get_channel(client, "{\"arn\":\"arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234\"}", &missing,
                        &error) == IVS_ERROR) {
        printf("[c] GetChannel of a deleted channel: %s (HTTP %u)\n", ivs_error_code(error),
               ivs_error_http_status(error));
        ivs_error_free(error);
    }

    free(channel_arn);
    free(stream_key);
    ivs_client_free(client);
    ivs_emulator_stop(emulator);
    return 0;
}
