/* ivs_call_async: callbacks on a library thread, exactly once per call, waiting, cancelling,
 * chaining from a callback, the blocking-call guard, and freeing a client with calls in flight. */
#include <pthread.h>
#include <time.h>

#include "support.h"

typedef struct {
    pthread_mutex_t lock;
    int ok, failed, cancelled;
    int chained_left;           /* calls still to start from callbacks */
    int blocking_refused;       /* a blocking call from a callback answered InvalidArgument */
    char last_code[64];
    pthread_t caller;
    int on_caller_thread;
    ivs_client *client;
} tally;

static void count_result(void *user_data, ivs_status status, char *response, ivs_error *error) {
    tally *t = user_data;
    pthread_mutex_lock(&t->lock);
    if (pthread_equal(pthread_self(), t->caller)) t->on_caller_thread++;
    if (status == IVS_OK) {
        if (response && strstr(response, "\"ResponseMetadata\"") && error == NULL) t->ok++;
    } else if (status == IVS_CANCELLED) {
        if (response == NULL && strcmp(ivs_error_code(error), "Cancelled") == 0) t->cancelled++;
    } else {
        t->failed++;
        snprintf(t->last_code, sizeof t->last_code, "%s", ivs_error_code(error));
    }
    pthread_mutex_unlock(&t->lock);
    ivs_string_free(response);
    ivs_error_free(error);
}

/* Starts the next call from inside the callback, and checks that blocking calls are refused. */
static void chain(void *user_data, ivs_status status, char *response, ivs_error *error) {
    tally *t = user_data;
    char *blocked = NULL;
    ivs_error *refused = NULL;
    if (ivs_call(t->client, "ListChannels", "{}", &blocked, &refused) == IVS_ERROR &&
        ivs_error_kind(refused) == IVS_ERROR_KIND_INVALID_ARGUMENT && blocked == NULL) {
        pthread_mutex_lock(&t->lock);
        t->blocking_refused++;
        pthread_mutex_unlock(&t->lock);
    }
    ivs_error_free(refused);
    ivs_error *wait_error = NULL;
    if (ivs_client_wait(t->client, 0, &wait_error) == IVS_ERROR) {
        ivs_error_free(wait_error);
    } else {
        t->blocking_refused = -1000; /* waiting from a callback must be refused */
    }
    pthread_mutex_lock(&t->lock);
    int more = t->chained_left-- > 0;
    pthread_mutex_unlock(&t->lock);
    if (more) CHECK(ivs_call_async(t->client, "ListChannels", "{}", chain, t) == IVS_OK);
    count_result(user_data, status, response, error);
}

struct job {
    ivs_client *client;
    int ok;
};
static void *blocking_worker(void *arg);

/* Counts the result, then frees the client from inside the callback. */
static void free_client(void *user_data, ivs_status status, char *response, ivs_error *error) {
    tally *t = user_data;
    ivs_client_free(t->client);
    count_result(user_data, status, response, error);
}

static tally *new_tally(ivs_client *client) {
    tally *t = calloc(1, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    t->caller = pthread_self();
    t->client = client;
    return t;
}

static void free_tally(tally *t) {
    pthread_mutex_destroy(&t->lock);
    free(t);
}

int main(void) {
    ivs_emulator *emulator = start_emulator();
    ivs_client *client = client_for(emulator, NULL);
    char *created = call_ok(client, "CreateChannel", "{\"name\":\"async\"}");
    char *arn = json_string(created, "arn");
    ivs_string_free(created);
    char *get = format("{\"arn\":\"%s\"}", arn);

    /* Many calls in flight, successes and failures, each callback exactly once. */
    tally *t = new_tally(client);
    for (int i = 0; i < 40; i++) CHECK(ivs_call_async(client, "GetChannel", get, count_result, t) == IVS_OK);
    for (int i = 0; i < 5; i++)
        CHECK(ivs_call_async(client, "GetChannel",
                             "{\"arn\":\"arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234\"}",
                             count_result, t) == IVS_OK);
    CHECK_OK(ivs_client_wait(client, -1, error));
    CHECK(ivs_client_in_flight(client) == 0);
    CHECK(t->ok == 40 && t->failed == 5 && t->cancelled == 0);
    CHECK_STR(t->last_code, "ResourceNotFoundException");
    CHECK(t->on_caller_thread == 0);
    free_tally(t);
    PASS("async calls complete, each callback once, on a library thread");

    /* Argument errors arrive through the callback too; NULL client or callback is refused. */
    t = new_tally(client);
    CHECK(ivs_call_async(client, "NoSuchOperation", "{}", count_result, t) == IVS_OK);
    CHECK(ivs_call_async(client, "GetChannel", "{not json", count_result, t) == IVS_OK);
    CHECK(ivs_call_async(client, NULL, "{}", count_result, t) == IVS_OK);
    CHECK(ivs_call_async(client, "CreateChannel", "{\"latencyMode\":\"FAST\"}", count_result, t) == IVS_OK);
    CHECK_OK(ivs_client_wait(client, 10000, error));
    CHECK(t->failed == 4 && t->ok == 0);
    CHECK(ivs_call_async(NULL, "ListChannels", "{}", count_result, t) == IVS_ERROR);
    CHECK(ivs_call_async(client, "ListChannels", "{}", NULL, t) == IVS_ERROR);
    free_tally(t);
    PASS("argument errors through the callback");

    /* Chaining: callbacks start further calls; blocking calls from a callback are refused. */
    t = new_tally(client);
    t->chained_left = 10;
    CHECK(ivs_call_async(client, "ListChannels", "{}", chain, t) == IVS_OK);
    /* Wait until the chain has ended: calls started by callbacks count as in flight too. */
    for (int i = 0; i < 200; i++) {
        CHECK_OK(ivs_client_wait(client, -1, error));
        pthread_mutex_lock(&t->lock);
        int done = t->ok == 11;
        pthread_mutex_unlock(&t->lock);
        if (done) break;
    }
    CHECK(t->ok == 11);
    CHECK(t->blocking_refused == 11);
    free_tally(t);
    PASS("chained calls from callbacks");

    /* Waiting with a timeout, then cancelling stalled calls. */
    t = new_tally(client);
    CHECK_OK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"ListChannels\",\"count\":3,\"delayMs\":5000}", error));
    for (int i = 0; i < 3; i++) CHECK(ivs_call_async(client, "ListChannels", "{}", count_result, t) == IVS_OK);
    CHECK(ivs_client_in_flight(client) == 3);
    {
        ivs_error *error = NULL;
        CHECK(ivs_client_wait(client, 100, &error) == IVS_ERROR);
        CHECK(ivs_error_kind(error) == IVS_ERROR_KIND_TIMEOUT);
        ivs_error_free(error);
    }
    CHECK_OK(ivs_client_cancel(client, error));
    CHECK_OK(ivs_client_wait(client, 2000, error));
    CHECK(t->cancelled == 3 && t->ok == 0);
    /* Calls after a cancel are not affected. */
    CHECK(ivs_call_async(client, "GetChannel", get, count_result, t) == IVS_OK);
    CHECK_OK(ivs_client_wait(client, -1, error));
    CHECK(t->ok == 1);
    free_tally(t);
    PASS("wait timeout and cancel");

    /* Freeing a client with calls in flight cancels them and runs every callback first. */
    ivs_client *doomed = client_for(emulator, NULL);
    t = new_tally(doomed);
    CHECK_OK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"GetChannel\",\"count\":4,\"delayMs\":5000}", error));
    for (int i = 0; i < 4; i++) CHECK(ivs_call_async(doomed, "GetChannel", get, count_result, t) == IVS_OK);
    ivs_client_free(doomed);
    CHECK(t->cancelled == 4);
    free_tally(t);
    CHECK_OK(ivs_emulator_reset(emulator, error));
    PASS("free with calls in flight");

    /* A callback may free its own client: the calls in flight are cancelled, nothing waits. */
    {
        ivs_client *self_freeing = client_for(emulator, NULL);
        t = new_tally(self_freeing);
        /* Not GetChannel: a request of the freed client above may reach the emulator late and
         * take a GetChannel fault injected now. */
        CHECK_OK(ivs_emulator_inject_fault(emulator, "{\"operation\":\"ListPlaybackKeyPairs\",\"count\":1,\"delayMs\":5000}", error));
        CHECK(ivs_call_async(self_freeing, "ListPlaybackKeyPairs", "{}", count_result, t) == IVS_OK);
        CHECK(ivs_call_async(self_freeing, "ListChannels", "{}", free_client, t) == IVS_OK);
        for (int i = 0; i < 3000; i++) { /* up to 30 s, for slow machines under valgrind */
            pthread_mutex_lock(&t->lock);
            int done = t->ok == 1 && t->cancelled == 1;
            pthread_mutex_unlock(&t->lock);
            if (done) break;
            struct timespec pause = {0, 10 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
        if (!(t->ok == 1 && t->cancelled == 1))
            FAIL("a callback freeing its client: ok %d, cancelled %d, failed %d (%s)", t->ok,
                 t->cancelled, t->failed, t->last_code);
        struct timespec settle = {0, 100 * 1000 * 1000}; /* let the tasks drop what they hold */
        nanosleep(&settle, NULL);
        free_tally(t);
        CHECK_OK(ivs_emulator_reset(emulator, error));
    }
    PASS("a callback frees its client");

    /* Many threads sharing one client with blocking calls. */
    {
        enum { THREADS = 8 };
        pthread_t threads[THREADS];
        ivs_client *shared = client_for(emulator, NULL);
        struct job jobs[THREADS];
        for (int i = 0; i < THREADS; i++) {
            jobs[i].client = shared;
            jobs[i].ok = 0;
            CHECK(pthread_create(&threads[i], NULL, blocking_worker, &jobs[i]) == 0);
        }
        for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
        for (int i = 0; i < THREADS; i++) CHECK(jobs[i].ok == 10);
        ivs_client_free(shared);
    }
    PASS("one client, many threads");

    free(get);
    free(arn);
    ivs_client_free(client);
    ivs_emulator_stop(emulator);
    return finish();
}

static void *blocking_worker(void *arg) {
    struct job *job = arg;
    for (int i = 0; i < 10; i++) {
        char *response = NULL;
        ivs_error *error = NULL;
        if (ivs_list_channels(job->client, "{}", &response, &error) == IVS_OK &&
            strstr(response, "\"channels\":[")) job->ok++;
        ivs_string_free(response);
        ivs_error_free(error);
    }
    return NULL;
}
