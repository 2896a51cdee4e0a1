// The server tests' own fixtures: `redline serve` in process on a free loopback port, and
// the checks every error reply must pass.
#pragma once

#include "redline/editing/edit_session.hpp"
#include "redline/server/server.hpp"
#include "redline/store/workspace.hpp"
#include "test_support.hpp"

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace redline::test {

// A server on a free loopback port for the length of a test, with its access log kept.
class RunningServer {
public:
    explicit RunningServer(const std::filesystem::path& workspace, std::size_t max_body = std::size_t{16} << 20,
                           int reload_seconds = 0)
        : RunningServer(options_for(workspace, max_body, reload_seconds)) {}
    explicit RunningServer(server::ServeOptions options) {
        options.port = 0;
        options.log = [this](const std::string& line) {
            const std::lock_guard<std::mutex> lock(mutex_);
            log_.push_back(line);
        };
        server_ = std::make_unique<server::Server>(test::schemas(), options);
        port_ = server_->bind();
        thread_ = std::thread([this] { server_->run(); });
    }
    ~RunningServer() {
        server_->stop();
        thread_.join();
        server_.reset();  // it logs while stopping (a job queued again): before log_ goes
    }
    int port() const { return port_; }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_read_timeout(60, 0);
        return c;
    }
    std::vector<std::string> log() const {
        const std::lock_guard<std::mutex> lock(mutex_);
        return log_;
    }

    static server::ServeOptions options_for(const std::filesystem::path& workspace, std::size_t max_body,
                                            int reload_seconds) {
        server::ServeOptions options;
        options.workspace = workspace;
        options.max_body_bytes = max_body;
        options.reload_seconds = reload_seconds;
        return options;
    }

private:
    std::unique_ptr<server::Server> server_;
    int port_ = 0;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::vector<std::string> log_;
};

// A new version of the demo workspace, as mapping staff make one: a red line renamed.
inline void commit_rename(const std::filesystem::path& workspace) {
    Workspace writable = Workspace::open(workspace);
    EditSession session(writable, schemas());
    ZoneEdit rename;
    rename.op = EditOp::fields;
    rename.kind = "red_line";
    rename.zone_id = "HX210213-001";
    rename.name = "小黑山红线（改名）";
    session.apply(rename);
    session.commit("张三", "改名", "");
}

inline nlohmann::json error_of(const httplib::Result& result, int status) {
    REQUIRE(result);
    CHECK(result->status == status);
    const nlohmann::json body = nlohmann::json::parse(result->body);
    REQUIRE(body.contains("error"));
    CHECK(body["error"]["status"] == status);
    CHECK_FALSE(body["error"]["message"].get<std::string>().empty());
    CHECK_FALSE(body["error"]["message_en"].get<std::string>().empty());
    return body["error"];
}

}  // namespace redline::test
