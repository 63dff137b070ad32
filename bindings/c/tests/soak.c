/* Soak: many calls and paginator create/drop cycles through the C API; the resident set must
 * not grow by 5% or more over the second half. LIBIVS_SOAK_CALLS sets the number of calls
 * (`make test` runs a short soak, `make soak` the long one); a tenth as many paginator cycles. */
#include "support.h"

static long resident_pages(void) {
    FILE *statm = fopen("/proc/self/statm", "r");
    long size = 0, resident = 0;
    CHECK(statm != NULL);
    CHECK(fscanf(statm, "%ld %ld", &size, &resident) == 2);
    fclose(statm);
    return resident;
}

static void one_round(ivs_client *client, const char *request) {
    char *response = call_ok(client, "GetChannel", request);
    ivs_string_free(response);
}

static void one_paginator(ivs_client *client) {
    ivs_paginator *paginator = NULL;
    CHECK_OK(ivs_paginator_new(client, "ListChannels", "{}", "{\"PageSize\":1}", &paginator, error));
    char *page = NULL;
    CHECK_OK(ivs_paginator_next_page(paginator, &page, error));
    ivs_string_free(page);
    ivs_paginator_free(paginator); /* dropped with pages left */
}

int main(void) {
    const char *configured = getenv("LIBIVS_SOAK_CALLS");
    long calls = configured ? atol(configured) : 20000;
    if (calls < 1000) calls = 1000;
    ivs_emulator *emulator = start_emulator();
    ivs_client *client = client_for(emulator, NULL);
    for (int i = 0; i < 2; i++) ivs_string_free(call_ok(client, "CreateChannel", "{\"name\":\"soak\"}"));
    char *created = call_ok(client, "CreateChannel", "{\"name\":\"soaked\"}");
    char *arn = json_string(created, "arn");
    char *request = format("{\"arn\":\"%s\"}", arn);
    long half = calls / 2, middle = 0;
    for (long i = 0; i < calls; i++) {
        one_round(client, request);
        if (i % 10 == 0) one_paginator(client);
        if (i == half) middle = resident_pages();
    }
    long end = resident_pages();
    printf("soak: %ld calls, %ld paginators, RSS %ld -> %ld pages over the second half\n", calls,
           calls / 10, middle, end);
    if (end * 100 >= middle * 105) FAIL("RSS grew by 5%% or more: %ld -> %ld pages", middle, end);
    PASS("soak");
    free(request);
    free(arn);
    ivs_string_free(created);
    ivs_client_free(client);
    ivs_emulator_stop(emulator);
    return finish();
}
