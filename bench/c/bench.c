/* The C side of `make bench-c`: GetChannel through libivs.so against a loopback endpoint,
 * sequentially (ivs_get_channel) and with 64 calls in flight (ivs_call_async, each callback
 * starting the next call of its lane), after what creating a client costs in-process (the first
 * ivs_client_new of the process, then the median of 200 more). Prints one JSON line per
 * measurement.
 *
 * bench <endpoint-url> <calls> */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ivs.h"

#define IN_FLIGHT 64
static const char *REQUEST = "{\"arn\":\"arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234\"}";

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, ivs_error *error) {
    fprintf(stderr, "%s: %s: %s\n", what, ivs_error_code(error), ivs_error_message(error));
    exit(1);
}

typedef struct {
    ivs_client *client;
    pthread_mutex_t lock;
    long remaining; /* calls not yet started */
    long failed;
} lanes;

static void next_call(void *user_data, ivs_status status, char *response, ivs_error *error) {
    lanes *l = user_data;
    ivs_string_free(response);
    ivs_error_free(error);
    pthread_mutex_lock(&l->lock);
    if (status != IVS_OK) l->failed++;
    int more = l->remaining > 0;
    if (more) l->remaining--;
    pthread_mutex_unlock(&l->lock);
    if (more) ivs_call_async(l->client, "GetChannel", REQUEST, next_call, l);
}

/* Process CPU time (user + system), all threads, in seconds. */
static double cpu(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 + (double)usage.ru_stime.tv_sec +
           (double)usage.ru_stime.tv_usec / 1e6;
}

static double cpu_started;

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The first client of the process, then the median of CREATIONS more (each freed at once). */
#define CREATIONS 200
static void report_creation(const char *config) {
    ivs_error *error = NULL;
    double started = now();
    ivs_client *first = ivs_client_new(config, &error);
    double first_ms = (now() - started) * 1e3;
    if (!first) die("ivs_client_new", error);
    double times[CREATIONS];
    for (int i = 0; i < CREATIONS; i++) {
        started = now();
        ivs_client *client = ivs_client_new(config, &error);
        times[i] = (now() - started) * 1e3;
        if (!client) die("ivs_client_new", error);
        ivs_client_free(client);
    }
    ivs_client_free(first);
    qsort(times, CREATIONS, sizeof times[0], by_value);
    printf("{\"side\":\"c_api\",\"mode\":\"client_creation\",\"first_ms\":%.3f,\"median_ms\":%.3f}\n",
           first_ms, times[CREATIONS / 2]);
    fflush(stdout);
}

static void report(const char *mode, long calls, double seconds) {
    printf("{\"side\":\"c_api\",\"mode\":\"%s\",\"calls\":%ld,\"calls_per_second\":%.1f,\"cpu_us_per_call\":%.1f}\n",
           mode, calls, (double)calls / seconds, (cpu() - cpu_started) * 1e6 / (double)calls);
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s <endpoint-url> <calls>\n", argv[0]);
        return 2;
    }
    long calls = atol(argv[2]);
    char config[512];
    snprintf(config, sizeof config,
             "{\"region\":\"us-west-2\",\"endpoint_url\":\"%s\",\"access_key_id\":\"test\","
             "\"secret_access_key\":\"test\"}", argv[1]);
    report_creation(config);
    ivs_error *error = NULL;
    ivs_client *client = ivs_client_new(config, &error);
    if (!client) die("ivs_client_new", error);

    for (int i = 0; i < 500; i++) { /* warm up: connections, the lazily parsed model */
        char *response = NULL;
        if (ivs_get_channel(client, REQUEST, &response, &error) != IVS_OK) die("GetChannel", error);
        ivs_string_free(response);
    }

    cpu_started = cpu();
    double started = now();
    for (long i = 0; i < calls; i++) {
        char *response = NULL;
        if (ivs_get_channel(client, REQUEST, &response, &error) != IVS_OK) die("GetChannel", error);
        ivs_string_free(response);
    }
    report("sequential", calls, now() - started);

    lanes l = {.client = client, .remaining = calls - IN_FLIGHT, .failed = 0};
    pthread_mutex_init(&l.lock, NULL);
    cpu_started = cpu();
    started = now();
    for (int i = 0; i < IN_FLIGHT; i++)
        if (ivs_call_async(client, "GetChannel", REQUEST, next_call, &l) != IVS_OK) die("ivs_call_async", NULL);
    if (ivs_client_wait(client, -1, &error) != IVS_OK) die("ivs_client_wait", error);
    report("in_flight_64", calls, now() - started);
    if (l.failed) {
        fprintf(stderr, "%ld calls failed\n", l.failed);
        return 1;
    }
    pthread_mutex_destroy(&l.lock);
    ivs_client_free(client);
    return 0;
}
