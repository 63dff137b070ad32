// The main job in C++ with ivs.hpp on the embedded emulator: create a channel, broadcast, read
// the stream, page through channels (as a range), call asynchronously, clean up. `make demo-c`.
#include <cstdio>
#include <future>
#include <string>
#include <vector>

#include "ivs.hpp"

// The string value of the first "key":"..." (a real program would use its JSON library).
static std::string field(const std::string &json, const std::string &key, std::size_t from = 0) {
    const std::string pattern = "\"" + key + "\":\"";
    std::size_t at = json.find(pattern, from);
    if (at == std::string::npos) return "";
    at += pattern.size();
    return json.substr(at, json.find('"', at) - at);
}

int main() {
    try {
        ivs::Emulator emulator;
        ivs::Client client(emulator.client_config());
        std::printf("[c++] emulator at %s\n", emulator.url().c_str());

        const std::string created =
            client.call("CreateChannel", R"({"name":"cpp-demo","latencyMode":"LOW","tags":{"lang":"c++"}})");
        const std::string arn = field(created, "arn");
        std::printf("[c++] created %s\n", arn.c_str());
        emulator.start_stream(field(created, "value", created.find("\"streamKey\"")));
        const std::string by_channel = R"({"channelArn":")" + arn + "\"}";
        const std::string stream = client.call("GetStream", by_channel);
        std::printf("[c++] stream %s is %s\n", field(stream, "streamId").c_str(), field(stream, "state").c_str());

        std::vector<std::future<std::string>> pending;
        for (int i = 0; i < 4; i++)
            pending.push_back(client.call_async("CreateChannel", R"({"name":"cpp-extra-)" + std::to_string(i) + "\"}"));
        for (auto &call : pending) call.get();
        std::printf("[c++] created 4 more channels concurrently\n");

        int page_number = 0;
        for (const std::string &page : client.paginate("ListChannels", "{}", std::string(R"({"PageSize":2})")).pages()) {
            std::printf("[c++] page %d: %s", ++page_number, "");
            for (std::size_t at = 0; (at = page.find("\"name\":\"", at)) != std::string::npos; at++)
                std::printf("%s ", field(page, "name", at).c_str());
            std::printf("\n");
        }
        client.call("StopStream", by_channel);
        int deleted = 0;
        for (const std::string &channel : client.paginate("ListChannels").items()) {
            client.call("DeleteChannel", R"({"arn":")" + field(channel, "arn") + "\"}");
            deleted++;
        }
        std::printf("[c++] deleted %d channels; done\n", deleted);
        try {
            client.call("GetChannel", R"({"arn":")" + arn + "\"}");
        } catch (const ivs::Error &e) {
            std::printf("[c++] GetChannel of a deleted channel: %s (HTTP %u)\n", e.code().c_str(), e.http_status());
        }
    } catch (const ivs::Error &e) {
        std::fprintf(stderr, "[c++] %s\n", e.what());
        return 1;
    }
    return 0;
}
