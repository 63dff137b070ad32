/* Every IVS operation through its generated C function: libivs.so -> core -> aws-sdk-ivs ->
 * HTTP -> the emulator, asserting on what comes back. */
#include "support.h"

typedef ivs_status (*operation_fn)(const ivs_client *, const char *, char **, ivs_error **);

static const char *called[64];
static int called_count = 0;

static void record(const char *name) {
    for (int i = 0; i < called_count; i++)
        if (strcmp(called[i], name) == 0) return;
    called[called_count++] = name;
}

static ivs_client *client;

static char *run(operation_fn fn, const char *name, const char *request) {
    record(name);
    char *response = NULL;
    ivs_error *error = NULL;
    if (fn(client, request, &response, &error) != IVS_OK)
        FAIL("%s failed: %s: %s", name, ivs_error_code(error), ivs_error_message(error));
    CHECK(response != NULL && error == NULL);
    CHECK(strstr(response, "\"ResponseMetadata\":{") != NULL);
    return response;
}

static ivs_error *fails(operation_fn fn, const char *name, const char *request, const char *code) {
    record(name);
    char *response = NULL;
    ivs_error *error = NULL;
    if (fn(client, request, &response, &error) != IVS_ERROR)
        FAIL("%s should have failed with %s: %s", name, code, response);
    CHECK(response == NULL);
    CHECK_STR(ivs_error_code(error), code);
    CHECK(ivs_error_kind(error) == IVS_ERROR_KIND_SERVICE);
    return error;
}

#define RUN(Name, snake, request) run(ivs_##snake, #Name, request)
#define FAILS(Name, snake, request, code) fails(ivs_##snake, #Name, request, code)
/* Runs and frees at once. */
#define DO(Name, snake, request) ivs_string_free(RUN(Name, snake, request))

static const char *PUBLIC_KEY =
    "-----BEGIN PUBLIC KEY-----\\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEAi4B58bxmwfj6J+ETYzRk24SvsxD2zfN\\n"
    "MYwdaQoPtbsjmYHf9J0p35+AQkt9m/eMggvELm0Dk5Vj1XVoQF1xjch+BRnP8aKS\\n"
    "y+fBlcfAKSlFMyfgQMTUE/qQM7PSA4BM\\n"
    "-----END PUBLIC KEY-----\\n";

int main(void) {
    ivs_emulator *emulator = start_emulator();
    client = client_for(emulator, NULL);
    char *r, *req;

    /* Configurations a channel can refer to. */
    r = RUN(CreateRecordingConfiguration, create_recording_configuration,
            "{\"name\":\"rec\",\"destinationConfiguration\":{\"s3\":{\"bucketName\":\"rec-bucket\"}},"
            "\"thumbnailConfiguration\":{\"recordingMode\":\"INTERVAL\",\"targetIntervalSeconds\":30},"
            "\"recordingReconnectWindowSeconds\":60}");
    char *recording_arn = json_string(r, "arn");
    CHECK(strncmp(recording_arn, "arn:aws:ivs:us-west-2:123456789012:recording-configuration/", 59) == 0);
    CHECK(strstr(r, "\"state\":\"ACTIVE\"") && strstr(r, "\"bucketName\":\"rec-bucket\""));
    CHECK(json_int(r, "recordingReconnectWindowSeconds", 0) == 60);
    CHECK(json_int(r, "HTTPStatusCode", 0) == 200);
    ivs_string_free(r);
    req = format("{\"arn\":\"%s\"}", recording_arn);
    r = RUN(GetRecordingConfiguration, get_recording_configuration, req);
    CHECK(strstr(r, "\"name\":\"rec\""));
    ivs_string_free(r);
    free(req);
    r = RUN(ListRecordingConfigurations, list_recording_configurations, "{}");
    CHECK(strstr(r, recording_arn));
    ivs_string_free(r);
    PASS("recording configurations");

    r = RUN(CreatePlaybackRestrictionPolicy, create_playback_restriction_policy,
            "{\"name\":\"policy\",\"allowedCountries\":[\"US\",\"CA\"],\"allowedOrigins\":[\"https://example.com\"]}");
    char *policy_arn = json_string(r, "arn");
    ivs_string_free(r);
    req = format("{\"arn\":\"%s\",\"allowedCountries\":[\"GB\"],\"enableStrictOriginEnforcement\":true}", policy_arn);
    r = RUN(UpdatePlaybackRestrictionPolicy, update_playback_restriction_policy, req);
    CHECK(strstr(r, "\"allowedCountries\":[\"GB\"]") && strstr(r, "\"enableStrictOriginEnforcement\":true"));
    ivs_string_free(r);
    free(req);
    req = format("{\"arn\":\"%s\"}", policy_arn);
    r = RUN(GetPlaybackRestrictionPolicy, get_playback_restriction_policy, req);
    CHECK(strstr(r, "\"name\":\"policy\""));
    ivs_string_free(r);
    free(req);
    r = RUN(ListPlaybackRestrictionPolicies, list_playback_restriction_policies, NULL);
    CHECK(count_of(r, "\"arn\":") == 1);
    ivs_string_free(r);
    PASS("playback restriction policies");

    r = RUN(CreateAdConfiguration, create_ad_configuration,
            "{\"name\":\"ads\",\"mediaTailorPlaybackConfigurations\":[{\"playbackConfigurationArn\":"
            "\"arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/demo\"}]}");
    char *ad_arn = json_string(r, "arn");
    ivs_string_free(r);
    req = format("{\"arn\":\"%s\",\"name\":\"ads2\"}", ad_arn);
    r = RUN(UpdateAdConfiguration, update_ad_configuration, req);
    CHECK(strstr(r, "\"name\":\"ads2\""));
    ivs_string_free(r);
    free(req);
    req = format("{\"arn\":\"%s\"}", ad_arn);
    r = RUN(GetAdConfiguration, get_ad_configuration, req);
    CHECK(strstr(r, "playbackConfiguration/demo"));
    ivs_string_free(r);
    free(req);
    r = RUN(ListAdConfigurations, list_ad_configurations, "{}");
    CHECK(strstr(r, ad_arn));
    ivs_string_free(r);
    PASS("ad configurations");

    r = RUN(CreateFailoverSlateConfiguration, create_failover_slate_configuration,
            "{\"name\":\"slate\",\"activationThresholdSeconds\":3}");
    char *slate_arn = json_string(r, "arn");
    ivs_string_free(r);
    req = format("{\"arn\":\"%s\",\"activationThresholdSeconds\":5}", slate_arn);
    r = RUN(UpdateFailoverSlateConfiguration, update_failover_slate_configuration, req);
    CHECK(json_int(r, "activationThresholdSeconds", 0) == 5);
    ivs_string_free(r);
    free(req);
    req = format("{\"arn\":\"%s\"}", slate_arn);
    r = RUN(GetFailoverSlateConfiguration, get_failover_slate_configuration, req);
    CHECK(strstr(r, "\"name\":\"slate\""));
    ivs_string_free(r);
    free(req);
    r = RUN(ListFailoverSlateConfigurations, list_failover_slate_configurations, "{}");
    CHECK(count_of(r, "\"arn\":") == 1);
    ivs_string_free(r);
    PASS("failover slate configurations");

    /* A channel and its stream key. */
    req = format("{\"name\":\"main\",\"latencyMode\":\"NORMAL\",\"type\":\"STANDARD\","
                 "\"recordingConfigurationArn\":\"%s\",\"playbackRestrictionPolicyArn\":\"%s\","
                 "\"adConfigurationArn\":\"%s\",\"tags\":{\"team\":\"video\"}}",
                 recording_arn, policy_arn, ad_arn);
    r = RUN(CreateChannel, create_channel, req);
    free(req);
    char *channel_arn = json_string(r, "arn");
    CHECK(strncmp(channel_arn, "arn:aws:ivs:us-west-2:123456789012:channel/", 43) == 0);
    CHECK(strstr(r, "\"latencyMode\":\"NORMAL\"") && strstr(r, "\"tags\":{\"team\":\"video\"}"));
    char *request_id = json_string(r, "RequestId");
    CHECK(request_id && strlen(request_id) > 0);
    free(request_id);
    char *playback_url = json_string(r, "playbackUrl");
    CHECK(strstr(playback_url, ".m3u8") != NULL);
    free(playback_url);
    const char *key_part = strstr(r, "\"streamKey\":");
    CHECK(key_part);
    char *key_arn = json_string(key_part, "arn");
    char *key_value = json_string(key_part, "value");
    CHECK(strncmp(key_value, "sk_us-west-2_", 13) == 0);
    ivs_string_free(r);
    PASS("create channel");

    req = format("{\"arn\":\"%s\"}", channel_arn);
    r = RUN(GetChannel, get_channel, req);
    CHECK(strstr(r, "\"name\":\"main\""));
    ivs_string_free(r);
    free(req);
    req = format("{\"arn\":\"%s\",\"name\":\"renamed\",\"latencyMode\":\"LOW\"}", channel_arn);
    r = RUN(UpdateChannel, update_channel, req);
    CHECK(strstr(r, "\"name\":\"renamed\"") && strstr(r, "\"latencyMode\":\"LOW\""));
    ivs_string_free(r);
    free(req);
    r = RUN(ListChannels, list_channels, "{\"filterByName\":\"renamed\"}");
    CHECK(strstr(r, channel_arn) && count_of(r, "\"arn\":") == 1);
    ivs_string_free(r);
    req = format("{\"arns\":[\"%s\",\"%sx\"]}", channel_arn, channel_arn);
    r = RUN(BatchGetChannel, batch_get_channel, req);
    CHECK(strstr(r, "\"code\":\"ResourceNotFoundException\""));
    /* Members bound to response headers, with the emulator's (IVS's) values. */
    CHECK(strstr(r, "\"accessControlAllowOrigin\":\"*\"") && strstr(r, "\"xContentTypeOptions\":\"nosniff\""));
    CHECK(strstr(r, "\"cacheControl\":\"no-store, no-cache, must-revalidate\"") &&
          strstr(r, "\"strictTransportSecurity\":\"max-age=47304000; includeSubDomains\""));
    ivs_string_free(r);
    free(req);
    PASS("channels");

    req = format("{\"arn\":\"%s\"}", key_arn);
    r = RUN(GetStreamKey, get_stream_key, req);
    CHECK(strstr(r, key_value));
    ivs_string_free(r);
    free(req);
    req = format("{\"channelArn\":\"%s\"}", channel_arn);
    r = RUN(ListStreamKeys, list_stream_keys, req);
    CHECK(strstr(r, key_arn) && !strstr(r, key_value));
    ivs_string_free(r);
    ivs_error *e = FAILS(CreateStreamKey, create_stream_key, req, "ServiceQuotaExceededException");
    CHECK(ivs_error_http_status(e) == 402);
    ivs_error_free(e);
    free(req);
    req = format("{\"arns\":[\"%s\"]}", key_arn);
    r = RUN(BatchGetStreamKey, batch_get_stream_key, req);
    CHECK(strstr(r, key_value));
    ivs_string_free(r);
    free(req);
    req = format("{\"arn\":\"%s\"}", key_arn);
    r = RUN(DeleteStreamKey, delete_stream_key, req);
    CHECK(json_int(r, "HTTPStatusCode", 0) == 204);
    ivs_string_free(r);
    free(req);
    req = format("{\"channelArn\":\"%s\"}", channel_arn);
    r = RUN(CreateStreamKey, create_stream_key, req);
    free(req);
    free(key_arn);
    free(key_value);
    key_arn = json_string(r, "arn");
    key_value = json_string(r, "value");
    ivs_string_free(r);
    PASS("stream keys");

    req = format("{\"resourceArn\":\"%s\",\"tags\":{\"env\":\"test\",\"tier\":\"gold\"}}", channel_arn);
    DO(TagResource, tag_resource, req);
    free(req);
    req = format("{\"resourceArn\":\"%s\",\"tagKeys\":[\"tier\"]}", channel_arn);
    DO(UntagResource, untag_resource, req);
    free(req);
    req = format("{\"resourceArn\":\"%s\"}", channel_arn);
    r = RUN(ListTagsForResource, list_tags_for_resource, req);
    CHECK(strstr(r, "\"env\":\"test\"") && strstr(r, "\"team\":\"video\"") && !strstr(r, "tier"));
    ivs_string_free(r);
    free(req);
    PASS("tags");

    req = format("{\"publicKeyMaterial\":\"%s\",\"name\":\"kp\"}", PUBLIC_KEY);
    r = RUN(ImportPlaybackKeyPair, import_playback_key_pair, req);
    char *pair_arn = json_string(r, "arn");
    char *fingerprint = json_string(r, "fingerprint");
    CHECK(fingerprint && strlen(fingerprint) > 0);
    free(fingerprint);
    ivs_string_free(r);
    ivs_error_free(FAILS(ImportPlaybackKeyPair, import_playback_key_pair, req, "ConflictException"));
    free(req);
    req = format("{\"arn\":\"%s\"}", pair_arn);
    r = RUN(GetPlaybackKeyPair, get_playback_key_pair, req);
    CHECK(strstr(r, "\"name\":\"kp\""));
    ivs_string_free(r);
    r = RUN(ListPlaybackKeyPairs, list_playback_key_pairs, "{}");
    CHECK(strstr(r, pair_arn));
    ivs_string_free(r);
    DO(DeletePlaybackKeyPair, delete_playback_key_pair, req);
    free(req);
    free(pair_arn);
    PASS("playback key pairs");

    /* Streams, driven by the emulator's simulated broadcaster. */
    char *by_channel = format("{\"channelArn\":\"%s\"}", channel_arn);
    e = FAILS(GetStream, get_stream, by_channel, "ChannelNotBroadcasting");
    CHECK(ivs_error_http_status(e) == 404);
    CHECK(strlen(ivs_error_message(e)) > 0);
    ivs_error_free(e);
    char *started = NULL;
    CHECK_OK(ivs_emulator_start_stream(emulator, key_value, &started, error));
    char *stream_id = json_string(started, "streamId");
    ivs_string_free(started);
    r = RUN(GetStream, get_stream, by_channel);
    CHECK(strstr(r, "\"state\":\"LIVE\"") && strstr(r, stream_id));
    char *start_time = json_string(r, "startTime");
    CHECK(start_time && start_time[strlen(start_time) - 1] == 'Z');
    free(start_time);
    ivs_string_free(r);
    r = RUN(ListStreams, list_streams, "{\"filterBy\":{\"health\":\"HEALTHY\"}}");
    CHECK(strstr(r, channel_arn));
    ivs_string_free(r);
    r = RUN(GetStreamSession, get_stream_session, by_channel);
    CHECK(strstr(r, stream_id));
    ivs_string_free(r);
    r = RUN(ListStreamSessions, list_stream_sessions, by_channel);
    CHECK(strstr(r, stream_id));
    ivs_string_free(r);
    req = format("{\"channelArn\":\"%s\",\"metadata\":\"{\\\"score\\\": 1}\"}", channel_arn);
    r = RUN(PutMetadata, put_metadata, req);
    CHECK(json_int(r, "HTTPStatusCode", 0) == 204);
    ivs_string_free(r);
    free(req);
    req = format("{\"channelArn\":\"%s\",\"durationSeconds\":30}", channel_arn);
    r = RUN(InsertAdBreak, insert_ad_break, req);
    char *ad_break = json_string(r, "adBreakId");
    CHECK(ad_break && strlen(ad_break) == 12);
    free(ad_break);
    ivs_string_free(r);
    free(req);
    req = format("{\"channelArn\":\"%s\",\"viewerId\":\"viewer-1\"}", channel_arn);
    DO(StartViewerSessionRevocation, start_viewer_session_revocation, req);
    free(req);
    req = format("{\"viewerSessions\":[{\"channelArn\":\"%s\",\"viewerId\":\"viewer-2\","
                 "\"viewerSessionVersionsLessThanOrEqualTo\":3}]}", channel_arn);
    r = RUN(BatchStartViewerSessionRevocation, batch_start_viewer_session_revocation, req);
    CHECK(strstr(r, "\"errors\":[]"));
    ivs_string_free(r);
    free(req);
    DO(StopStream, stop_stream, by_channel);
    r = RUN(GetStreamSession, get_stream_session, by_channel);
    CHECK(strstr(r, "\"endTime\":\""));
    ivs_string_free(r);
    free(stream_id);
    free(by_channel);
    PASS("streams");

    /* In use -> Conflict; then delete everything. */
    req = format("{\"arn\":\"%s\"}", recording_arn);
    ivs_error_free(FAILS(DeleteRecordingConfiguration, delete_recording_configuration, req,
                         "ConflictException"));
    char *by_arn = format("{\"arn\":\"%s\"}", channel_arn);
    r = RUN(DeleteChannel, delete_channel, by_arn);
    CHECK(json_int(r, "HTTPStatusCode", 0) == 204);
    ivs_string_free(r);
    free(by_arn);
    by_arn = format("{\"arn\":\"%s\"}", key_arn);
    ivs_error_free(FAILS(GetStreamKey, get_stream_key, by_arn, "ResourceNotFoundException"));
    free(by_arn);
    DO(DeleteRecordingConfiguration, delete_recording_configuration, req);
    free(req);
    req = format("{\"arn\":\"%s\"}", policy_arn);
    DO(DeletePlaybackRestrictionPolicy, delete_playback_restriction_policy, req);
    free(req);
    req = format("{\"arn\":\"%s\"}", ad_arn);
    DO(DeleteAdConfiguration, delete_ad_configuration, req);
    free(req);
    req = format("{\"arn\":\"%s\"}", slate_arn);
    DO(DeleteFailoverSlateConfiguration, delete_failover_slate_configuration, req);
    free(req);
    r = RUN(ListChannels, list_channels, "{}");
    CHECK(strstr(r, "\"channels\":[]"));
    ivs_string_free(r);
    PASS("deletes");

    /* Every operation was driven through its own function. */
    CHECK(ivs_operation_count() == 46);
    for (size_t i = 0; i < ivs_operation_count(); i++) {
        const char *name = ivs_operation_name(i);
        int found = 0;
        for (int j = 0; j < called_count; j++) found |= strcmp(called[j], name) == 0;
        if (!found) FAIL("operation %s was not exercised", name);
    }
    CHECK(ivs_operation_name(46) == NULL);
    PASS("all 46 operations exercised");

    /* The generic entry point takes snake_case names too. */
    r = call_ok(client, "list_channels", NULL);
    CHECK(strstr(r, "\"channels\":[]"));
    ivs_string_free(r);
    PASS("ivs_call by snake_case name");

    free(recording_arn);
    free(policy_arn);
    free(ad_arn);
    free(slate_arn);
    free(channel_arn);
    free(key_arn);
    free(key_value);
    ivs_client_free(client);
    ivs_emulator_stop(emulator);
    return finish();
}
