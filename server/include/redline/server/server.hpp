// `redline serve`: the screening service that approval systems and the web page call, on
// one machine, over one workspace (docs/serve.md). A thin driver of the screening engine:
// it holds a Screener for the workspace's current version and turns HTTP requests into
// core calls and core results into the CLI's JSON. No HTTP library type shows here.
#pragma once

#include "redline/language.hpp"
#include "redline/model/schema.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace redline::server {

struct ServeOptions {
    std::filesystem::path workspace;
    std::string bind = "127.0.0.1";  // loopback unless the operator chooses otherwise
    int port = 8080;                 // 0: any free port (tests)
    std::size_t max_body_bytes = std::size_t{16} << 20;
    int read_timeout_s = 30;  // a request's body must arrive within this
    unsigned threads = 0;     // connections served at once (a thread each); 0: 64
    // Threads that compute checks and OGC pages, taking requests in arrival order; 0: one
    // per core.
    unsigned screening_threads = 0;
    // How often to look for a new version of the workspace (and a new day's law); 0: never.
    int reload_seconds = 5;
    // API tokens (TokenFile: `redline token add`): anything that runs a job needs one; with
    // tokens_for_everything, every API and OGC request. None: no tokens, so no jobs.
    std::optional<std::filesystem::path> tokens;
    bool tokens_for_everything = false;
    // Outfall jobs' folders. Empty: beside a GeoPackage workspace ("WS.jobs"), or
    // "redline-jobs" in the working directory for a PG: one. Servers may share it.
    std::filesystem::path jobs_directory;
    int job_keep_days = 7;
    std::size_t max_waiting_jobs = 16;
    int job_stale_seconds = 60;  // a running job silent this long lost its server
    // Where the access log and notices go (a line each); none: not written.
    std::function<void(const std::string&)> log;
};

// True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost).
bool is_loopback(const std::string& address);

class Server {
public:
    // Opens the workspace and builds the screening engine for its current version (seconds
    // on a province); DataError when the workspace cannot be used.
    Server(const SchemaSet& schemas, ServeOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the address and port; returns the port (the one chosen when asked for 0).
    // DataError naming the address when it cannot be bound.
    int bind();
    // Serves until stop() is called (from any thread or a signal handler's thread).
    void run();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace redline::server
