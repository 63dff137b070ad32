/* Private channels end to end in C: a generated key pair is imported, a token signed with
 * ivs_sign_playback_token plays the channel on the emulator (200), and a wrong key, an expired
 * token, another channel's ARN and a revoked viewer session are refused (403). */
#include "support.h"

static ivs_emulator *emulator;
static ivs_client *client;
static char *private_pem, *public_pem;

/* Creates a private channel, starts its stream, and returns its local playback URL. */
static char *live_private_channel(const char *name, char **arn) {
    char *request = format("{\"name\":\"%s\",\"authorized\":true}", name);
    char *created = call_ok(client, "CreateChannel", request);
    free(request);
    *arn = json_string(created, "arn");
    char *playback = json_string(created, "playbackUrl");
    char *key = json_string(created, "value");
    char *started = NULL, *local = NULL;
    CHECK_OK(ivs_emulator_start_stream(emulator, key, &started, error));
    CHECK_OK(ivs_emulator_playback_url(emulator, playback, &local, error));
    ivs_string_free(started);
    ivs_string_free(created);
    free(playback);
    free(key);
    return local;
}

static char *sign(const char *key_pem, const char *claims) {
    char *token = NULL;
    CHECK_OK(ivs_sign_playback_token(key_pem, claims, &token, error));
    CHECK(token != NULL && count_of(token, ".") == 2);
    return token;
}

static int play(const char *url, const char *token) {
    char *full = token ? format("%s?token=%s", url, token) : format("%s", url);
    char *body = NULL;
    int status = http_get(full, &body);
    if (status == 200) CHECK(strncmp(body, "#EXTM3U", 7) == 0);
    free(body);
    free(full);
    return status;
}

int main(void) {
    emulator = start_emulator();
    client = client_for(emulator, NULL);
    CHECK_OK(ivs_generate_playback_key_pair(&private_pem, &public_pem, error));
    CHECK(strstr(private_pem, "BEGIN PRIVATE KEY") && strstr(public_pem, "BEGIN PUBLIC KEY"));
    /* The PEM goes into JSON: escape its newlines. */
    size_t n = 0;
    char *escaped = malloc(strlen(public_pem) * 2 + 1);
    for (const char *c = public_pem; *c; c++) {
        if (*c == '\n') { escaped[n++] = '\\'; escaped[n++] = 'n'; } else escaped[n++] = *c;
    }
    escaped[n] = '\0';
    char *import = format("{\"publicKeyMaterial\":\"%s\"}", escaped);
    ivs_string_free(call_ok(client, "ImportPlaybackKeyPair", import));
    free(import);
    free(escaped);

    char *arn = NULL, *other_arn = NULL;
    char *url = live_private_channel("private", &arn);
    char *other_url = live_private_channel("other", &other_arn);

    char *claims = format("{\"channel_arn\":\"%s\"}", arn);
    char *token = sign(private_pem, claims);
    char *verified = NULL;
    CHECK_OK(ivs_verify_playback_token(public_pem, token, &verified, error));
    CHECK(strstr(verified, arn) != NULL);
    ivs_string_free(verified);
    CHECK(play(url, token) == 200);
    CHECK(play(url, NULL) == 403);
    PASS("a signed token plays a private channel; no token is refused");

    char *stranger_private = NULL, *stranger_public = NULL;
    CHECK_OK(ivs_generate_playback_key_pair(&stranger_private, &stranger_public, error));
    char *wrong = sign(stranger_private, claims);
    CHECK(play(url, wrong) == 403);
    ivs_error *mismatch = NULL;
    char *none = NULL;
    CHECK(ivs_verify_playback_token(stranger_public, token, &none, &mismatch) == IVS_ERROR);
    CHECK_STR(ivs_error_code(mismatch), "PlaybackTokenSignatureMismatch");
    CHECK(none == NULL);
    ivs_error_free(mismatch);
    PASS("a token signed with another key is refused");

    char *expired_claims = format("{\"channel_arn\":\"%s\",\"exp\":1000000000}", arn);
    char *expired = sign(private_pem, expired_claims);
    CHECK(play(url, expired) == 403);
    char *other_claims = format("{\"channel_arn\":\"%s\"}", other_arn);
    char *other = sign(private_pem, other_claims);
    CHECK(play(url, other) == 403);
    CHECK(play(other_url, other) == 200);
    PASS("expired tokens and another channel's tokens are refused");

    char *viewer_claims = format(
        "{\"channel_arn\":\"%s\",\"viewer_id\":\"v-1\",\"viewer_session_version\":1,\"expires_in\":300}", arn);
    char *viewer = sign(private_pem, viewer_claims);
    CHECK(play(url, viewer) == 200);
    char *revoke = format("{\"channelArn\":\"%s\",\"viewerId\":\"v-1\",\"viewerSessionVersionsLessThanOrEqualTo\":1}", arn);
    ivs_string_free(call_ok(client, "StartViewerSessionRevocation", revoke));
    CHECK(play(url, viewer) == 403);
    PASS("a revoked viewer session is refused");

    ivs_error *bad = NULL;
    char *out = NULL;
    CHECK(ivs_sign_playback_token("not a key", claims, &out, &bad) == IVS_ERROR);
    CHECK_STR(ivs_error_code(bad), "InvalidPlaybackKey");
    CHECK(ivs_error_kind(bad) == IVS_ERROR_KIND_INVALID_ARGUMENT);
    CHECK(strstr(ivs_error_message(bad), "not a key") == NULL);
    ivs_error_free(bad);
    bad = NULL;
    CHECK(ivs_sign_playback_token(private_pem, "{\"viewer_id\":\"x\"}", &out, &bad) == IVS_ERROR);
    CHECK_STR(ivs_error_code(bad), "InvalidPlaybackClaims");
    ivs_error_free(bad);
    bad = NULL;
    CHECK(ivs_sign_playback_token(NULL, claims, &out, &bad) == IVS_ERROR);
    CHECK(ivs_error_kind(bad) == IVS_ERROR_KIND_INVALID_ARGUMENT);
    ivs_error_free(bad);
    PASS("bad keys and claims are typed errors");

    /* The ingest URLs and the EventBridge events of the two streams started above. */
    CHECK(strncmp(ivs_emulator_rtmp_url(emulator), "rtmp://127.0.0.1:", 17) == 0);
    CHECK(strncmp(ivs_emulator_rtmps_url(emulator), "rtmps://127.0.0.1:", 18) == 0);
    CHECK_STR(ivs_emulator_rtmp_url(NULL), "");
    CHECK_OK(ivs_emulator_stop_stream(emulator, arn, error));
    char *events = NULL;
    CHECK_OK(ivs_emulator_events_json(emulator, 0, &events, error));
    CHECK(strstr(events, "\"detail-type\":\"IVS Stream State Change\"") != NULL);
    CHECK(strstr(events, "\"source\":\"aws.ivs\"") != NULL);
    CHECK(strstr(events, "\"event_name\":\"Stream End\"") != NULL);
    CHECK(strstr(events, "\"cursor\":") != NULL);
    ivs_string_free(events);
    ivs_error *no_emulator = NULL;
    CHECK(ivs_emulator_events_json(NULL, 0, &events, &no_emulator) == IVS_ERROR);
    CHECK(ivs_error_kind(no_emulator) == IVS_ERROR_KIND_INVALID_ARGUMENT);
    ivs_error_free(no_emulator);
    PASS("the RTMP(S) URLs and the events feed");

    char *strings[] = {token, wrong, expired, other, viewer, stranger_private, stranger_public,
                       private_pem, public_pem, url, other_url};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) ivs_string_free(strings[i]);
    char *mallocd[] = {claims, expired_claims, other_claims, viewer_claims, revoke, arn, other_arn};
    for (size_t i = 0; i < sizeof mallocd / sizeof *mallocd; i++) free(mallocd[i]);
    ivs_client_free(client);
    ivs_emulator_stop(emulator);
    return finish();
}
