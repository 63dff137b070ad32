/* The C face's driver of the cross-language suite (tests/run_cross.py runs it).
 *
 * Usage: driver <emulator URL>. Reads one step a line on stdin, `<OperationName> <snake_name> <request JSON>`,
 * calls the per-operation function `ivs_<snake_name>` of libivs.so (found with dlsym, so a
 * missing export is reported rather than hidden behind ivs_call), and writes one line a step:
 * `{"ok":<response JSON>}` or `{"kind":"<error kind>","error":<ivs_error_json>}`. The runner
 * resolves references, normalises and compares; this program only translates. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ivs.h"

typedef ivs_status (*operation_fn)(const ivs_client *, const char *, char **, ivs_error **);

static void print_error(ivs_error *error) {
    char *json = ivs_error_json(error);
    printf("{\"kind\":\"%s\",\"error\":%s}\n", ivs_error_kind_name((int)ivs_error_kind(error)),
           json ? json : "null");
    ivs_string_free(json);
    ivs_error_free(error);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <emulator URL>\n", argv[0]);
        return 2;
    }
    /* The emulator's default region and the only credentials it accepts. */
    char config[1024];
    snprintf(config, sizeof config,
             "{\"region\":\"us-west-2\",\"endpoint_url\":\"%s\",\"access_key_id\":\"test\","
             "\"secret_access_key\":\"test\"}",
             argv[1]);
    ivs_error *error = NULL;
    ivs_client *client = ivs_client_new(config, &error);
    if (!client) {
        fprintf(stderr, "ivs_client_new: %s: %s\n", ivs_error_code(error), ivs_error_message(error));
        ivs_error_free(error);
        return 1;
    }
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    while ((length = getline(&line, &capacity, stdin)) > 0) {
        if (line[length - 1] == '\n') line[length - 1] = '\0';
        char *snake_name = strchr(line, ' ');
        char *request = snake_name ? strchr(snake_name + 1, ' ') : NULL;
        if (!request) {
            fprintf(stderr, "driver.c: a step line is `<Operation> <snake_name> <JSON>`\n");
            break;
        }
        *request++ = '\0';
        char symbol[256];
        snprintf(symbol, sizeof symbol, "ivs_%s", snake_name + 1);
        operation_fn call = NULL;
        /* POSIX's way to turn dlsym's object pointer into a function pointer. */
        *(void **)(&call) = dlsym(RTLD_DEFAULT, symbol);
        if (!call) {
            printf("{\"kind\":\"driver\",\"error\":{\"Error\":{\"Code\":\"MissingFunction\","
                   "\"Message\":\"libivs.so exports no %s\"}}}\n",
                   symbol);
        } else {
            char *response = NULL;
            error = NULL;
            if (call(client, request, &response, &error) == IVS_OK) {
                printf("{\"ok\":%s}\n", response);
                ivs_string_free(response);
            } else {
                print_error(error);
            }
        }
        fflush(stdout);
    }
    free(line);
    ivs_client_free(client);
    return 0;
}
