/* Shared helpers of the C tests: checks that stop the program on the first failure, a few
 * JSON field readers (enough for the compact JSON libivs writes), and an emulator + client. */
#ifndef LIBIVS_TEST_SUPPORT_H
#define LIBIVS_TEST_SUPPORT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ivs.h"

static int tests_passed = 0;

#define FAIL(...)                                                  \
    do {                                                           \
        fprintf(stderr, "%s:%d: FAILED: ", __FILE__, __LINE__);    \
        fprintf(stderr, __VA_ARGS__);                              \
        fprintf(stderr, "\n1 failed\n");                           \
        exit(1);                                                   \
    } while (0)

#define CHECK(cond)                                                \
    do {                                                           \
        if (!(cond)) FAIL("%s", #cond);                            \
    } while (0)

#define CHECK_STR(actual, expected)                                            \
    do {                                                                       \
        const char *a_ = (actual), *e_ = (expected);                           \
        if (a_ == NULL || strcmp(a_, e_) != 0)                                 \
            FAIL("%s is \"%s\", expected \"%s\"", #actual, a_ ? a_ : "(null)", e_); \
    } while (0)

/* Runs a libivs call that must succeed; on failure prints the error and stops. */
#define CHECK_OK(call)                                                                  \
    do {                                                                                \
        ivs_error *err_ = NULL;                                                         \
        ivs_error **error = &err_;                                                      \
        ivs_status st_ = (call);                                                        \
        (void)error;                                                                    \
        if (st_ != IVS_OK)                                                              \
            FAIL("%s -> %d: %s: %s", #call, (int)st_, ivs_error_code(err_),             \
                 ivs_error_message(err_));                                              \
    } while (0)

#define PASS(name)                                   \
    do {                                             \
        tests_passed++;                              \
        printf("ok - %s\n", name);                   \
    } while (0)

static inline int finish(void) {
    printf("%d passed, 0 failed\n", tests_passed);
    return 0;
}

/* The string value of the first `"key":"..."` in `json`, unescaped for \" and \\ (malloc'd), or
 * NULL. libivs writes compact JSON, so `"key":` is followed directly by the value. */
static inline char *json_string(const char *json, const char *key) {
    char pattern[256];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *at = json ? strstr(json, pattern) : NULL;
    if (!at) return NULL;
    at += strlen(pattern);
    char *out = malloc(strlen(at) + 1);
    size_t n = 0;
    for (; *at && *at != '"'; at++) {
        if (*at == '\\' && at[1]) at++;
        out[n++] = *at;
    }
    out[n] = '\0';
    return out;
}

/* The integer value of the first `"key":123`, or `fallback`. */
static inline long json_int(const char *json, const char *key, long fallback) {
    char pattern[256];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = json ? strstr(json, pattern) : NULL;
    if (!at) return fallback;
    char *end = NULL;
    long value = strtol(at + strlen(pattern), &end, 10);
    return end == at + strlen(pattern) ? fallback : value;
}

/* How many times `needle` occurs in `haystack`. */
static inline int count_of(const char *haystack, const char *needle) {
    int count = 0;
    for (const char *at = haystack; at && (at = strstr(at, needle)); at += strlen(needle)) count++;
    return count;
}

/* printf into a new string (free with free). */
static inline char *format(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    char *out = NULL;
    if (vasprintf(&out, fmt, args) < 0) out = NULL;
    va_end(args);
    return out;
}

/* Calls `op` through ivs_call and returns the response (free with ivs_string_free). */
static inline char *call_ok(ivs_client *client, const char *op, const char *request) {
    char *response = NULL;
    ivs_error *error = NULL;
    if (ivs_call(client, op, request, &response, &error) != IVS_OK)
        FAIL("%s failed: %s: %s", op, ivs_error_code(error), ivs_error_message(error));
    CHECK(error == NULL);
    return response;
}

/* Calls `op` expecting an error with `code`; returns it (free with ivs_error_free). */
static inline ivs_error *call_fails(ivs_client *client, const char *op, const char *request,
                                    const char *code) {
    char *response = NULL;
    ivs_error *error = NULL;
    ivs_status status = ivs_call(client, op, request, &response, &error);
    if (status != IVS_ERROR) FAIL("%s should have failed with %s: %s", op, code, response);
    CHECK(response == NULL);
    CHECK(error != NULL);
    CHECK_STR(ivs_error_code(error), code);
    return error;
}

static inline ivs_emulator *start_emulator(void) {
    ivs_emulator *emulator = NULL;
    CHECK_OK(ivs_emulator_start(NULL, &emulator, error));
    CHECK(emulator != NULL);
    return emulator;
}

static inline ivs_client *client_for(ivs_emulator *emulator, const char *extra_json_members) {
    const char *base = ivs_emulator_client_config(emulator);
    char *config;
    if (extra_json_members && *extra_json_members) {
        /* base is `{...}`: splice the extra members in before the closing brace. */
        config = format("%.*s,%s}", (int)strlen(base) - 1, base, extra_json_members);
    } else {
        config = format("%s", base);
    }
    ivs_error *error = NULL;
    ivs_client *client = ivs_client_new(config, &error);
    if (!client) FAIL("ivs_client_new: %s: %s", ivs_error_code(error), ivs_error_message(error));
    free(config);
    return client;
}

/* GETs `url` (http://host:port/path) and returns the status; the body goes to *body. */
static inline int http_get(const char *url, char **body) {
    char host[256], port[16];
    const char *rest = url + strlen("http://");
    const char *colon = strchr(rest, ':');
    const char *slash = strchr(rest, '/');
    snprintf(host, sizeof host, "%.*s", (int)(colon - rest), rest);
    snprintf(port, sizeof port, "%.*s", (int)(slash - colon - 1), colon + 1);
    struct addrinfo hints = {0}, *found = NULL;
    hints.ai_socktype = SOCK_STREAM;
    CHECK(getaddrinfo(host, port, &hints, &found) == 0);
    int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
    CHECK(connect(fd, found->ai_addr, found->ai_addrlen) == 0);
    freeaddrinfo(found);
    char *request = format("GET %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n", slash, host, port);
    CHECK(write(fd, request, strlen(request)) == (ssize_t)strlen(request));
    free(request);
    size_t size = 0, cap = 4096;
    char *response = malloc(cap);
    ssize_t n;
    while ((n = read(fd, response + size, cap - size - 1)) > 0) {
        size += (size_t)n;
        if (cap - size < 1024) response = realloc(response, cap *= 2);
    }
    response[size] = '\0';
    close(fd);
    int status = atoi(response + 9);
    const char *start = strstr(response, "\r\n\r\n");
    *body = format("%s", start ? start + 4 : "");
    free(response);
    return status;
}

#endif
