// libFuzzer target: a request to `redline serve`'s check as it arrives, its query string
// (the input's first line, split at & and =) and its body (the rest), through the same
// Service the HTTP layer calls, against the demo workspace. Every answer must be a reply;
// an exception escaping here would be a 500 to a client.
#include "demo_workspace.hpp"
#include "redline/model/schema.hpp"
#include "service.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace {

redline::server::Service& service() {
    static const redline::SchemaSet schemas = redline::SchemaSet::load(redline::SchemaSet::default_directory());
    static const std::unique_ptr<redline::server::Service> made = [] {
        const auto dir = std::filesystem::temp_directory_path() / ("redline-fuzz-http-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir);
        const auto workspace = dir / "demo.gpkg";
        redline::test::import_demo_layers(workspace, REDLINE_FUZZ_DEMO_DIR, schemas);
        return std::make_unique<redline::server::Service>(schemas, workspace);
    }();
    return *made;
}

redline::server::Query query_of(const std::string& line) {
    redline::server::Query query;
    std::size_t start = 0;
    while (start <= line.size()) {
        const std::size_t end = std::min(line.find('&', start), line.size());
        const std::string pair = line.substr(start, end - start);
        if (!pair.empty()) {
            const std::size_t equals = pair.find('=');
            query[pair.substr(0, equals)] = equals == std::string::npos ? std::string() : pair.substr(equals + 1);
        }
        start = end + 1;
    }
    return query;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string line = newline == std::string::npos ? std::string() : input.substr(0, newline);
    const std::string body = newline == std::string::npos ? input : input.substr(newline + 1);
    const redline::server::Reply reply = service().check(body, query_of(line));
    if (reply.status < 200 || reply.status > 499 || reply.body.empty()) {
        __builtin_trap();  // every request gets a 2xx or a 4xx that says why
    }
    return 0;
}
