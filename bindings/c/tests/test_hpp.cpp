// ivs.hpp through the real stack: RAII handles, exceptions, paginator ranges, futures.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ivs.hpp"

static int passed = 0;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            std::fprintf(stderr, "%s:%d: FAILED: %s\n1 failed\n", __FILE__, __LINE__, #cond); \
            std::exit(1);                                                           \
        }                                                                           \
    } while (0)

static void pass(const char *name) {
    ++passed;
    std::printf("ok - %s\n", name);
}

static std::string field(const std::string &json, const std::string &key) {
    std::string pattern = "\"" + key + "\":\"";
    auto at = json.find(pattern);
    if (at == std::string::npos) return "";
    at += pattern.size();
    return json.substr(at, json.find('"', at) - at);
}

int main() {
    ivs::Emulator emulator;
    ivs::Client client(emulator.client_config());
    CHECK(client.region() == "us-west-2");

    std::vector<std::string> arns;
    for (int i = 0; i < 3; i++) {
        std::string created = client.call("CreateChannel", "{\"name\":\"cpp-" + std::to_string(i) + "\"}");
        arns.push_back(field(created, "arn"));
        CHECK(arns.back().rfind("arn:aws:ivs:us-west-2:123456789012:channel/", 0) == 0);
    }
    std::string got = client.call("get_channel", "{\"arn\":\"" + arns[0] + "\"}");
    CHECK(field(got, "name") == "cpp-0");
    // The C functions are there too, through get().
    char *raw = nullptr;
    CHECK(ivs_list_channels(client.get(), "{}", &raw, nullptr) == IVS_OK);
    CHECK(std::string(raw).find(arns[2]) != std::string::npos);
    ivs_string_free(raw);
    pass("calls");

    try {
        client.call("GetChannel", "{\"arn\":\"arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234\"}");
        CHECK(false);
    } catch (const ivs::Error &e) {
        CHECK(e.code() == "ResourceNotFoundException");
        CHECK(e.kind() == IVS_ERROR_KIND_SERVICE);
        CHECK(std::string(e.kind_name()) == "service");
        CHECK(e.http_status() == 404);
        CHECK(!e.request_id().empty());
        CHECK(std::string(e.what()).find("ResourceNotFoundException") == 0);
    }
    try {
        client.call("CreateChannel", "{\"latencyMode\":");
        CHECK(false);
    } catch (const ivs::Error &e) {
        CHECK(e.kind() == IVS_ERROR_KIND_INVALID_ARGUMENT);
    }
    try {
        ivs::Client bad("{\"regoin\":\"x\"}");
        CHECK(false);
    } catch (const ivs::Error &e) {
        CHECK(e.code() == "ConfigError");
    }
    pass("exceptions");

    int pages = 0;
    auto paginator = client.paginate("ListChannels", "{}", std::string("{\"PageSize\":2}"));
    CHECK(paginator.result_key() == "channels");
    for (const std::string &page : paginator.pages()) {
        CHECK(page.find("\"channels\":[") != std::string::npos);
        ++pages;
    }
    CHECK(pages == 2);
    std::vector<std::string> items;
    for (const std::string &item : client.paginate("ListChannels").items()) items.push_back(field(item, "arn"));
    CHECK(items == arns);
    auto cut = client.paginate("ListChannels", "{}", std::string("{\"MaxItems\":1}"));
    CHECK(cut.next_item().has_value());
    CHECK(!cut.next_item().has_value());
    CHECK(cut.resume_token().has_value());
    pass("paginator ranges");

    std::vector<std::future<std::string>> futures;
    for (const auto &arn : arns) futures.push_back(client.call_async("GetChannel", "{\"arn\":\"" + arn + "\"}"));
    for (size_t i = 0; i < futures.size(); i++) CHECK(field(futures[i].get(), "arn") == arns[i]);
    auto failing = client.call_async("GetChannel", "{\"arn\":\"arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234\"}");
    try {
        failing.get();
        CHECK(false);
    } catch (const ivs::Error &e) {
        CHECK(e.code() == "ResourceNotFoundException");
    }
    std::atomic<int> called{0};
    client.call_async("ListChannels", "{}", [&](std::string response, std::exception_ptr error) {
        if (!error && response.find("\"channels\"") != std::string::npos) ++called;
        throw std::runtime_error("a throwing callback must not take the process down");
    });
    client.wait();
    CHECK(called == 1 && client.in_flight() == 0);
    emulator.inject_fault("{\"operation\":\"ListChannels\",\"count\":1,\"delayMs\":5000}");
    auto stalled = client.call_async("ListChannels");
    client.cancel();
    try {
        stalled.get();
        CHECK(false);
    } catch (const ivs::Error &e) {
        CHECK(e.code() == "Cancelled");
    }
    pass("futures, callbacks, cancel");

    std::string url = client.presign("ListTagsForResource", "{\"resourceArn\":\"" + arns[0] + "\"}",
                                     std::chrono::seconds(60));
    CHECK(url.rfind(emulator.url(), 0) == 0 && url.find("X-Amz-Signature=") != std::string::npos);
    std::string keys = client.call("ListStreamKeys", "{\"channelArn\":\"" + arns[1] + "\"}");
    std::string key = client.call("GetStreamKey", "{\"arn\":\"" + field(keys, "arn") + "\"}");
    std::string live = emulator.start_stream(field(key, "value"));
    CHECK(field(live, "channelArn") == arns[1]);
    CHECK(client.call("GetStream", "{\"channelArn\":\"" + arns[1] + "\"}").find("\"LIVE\"") != std::string::npos);
    emulator.stop_stream(arns[1]);
    emulator.reset();
    CHECK(client.call("ListChannels").find("\"channels\":[]") != std::string::npos);
    ivs::Client moved = std::move(client);
    CHECK(moved.call("ListChannels").find("\"channels\":[]") != std::string::npos);
    pass("presign, emulator, moves");

    std::printf("%d passed, 0 failed\n", passed);
    return 0;
}
