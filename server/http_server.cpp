// The HTTP side of `redline serve`: routes, limits and the access log over cpp-httplib;
// what each endpoint answers is Service's.
#include "redline/server/server.hpp"

#include "features.hpp"
#include "jobs.hpp"
#include "redline/errors.hpp"
#include "redline/message.hpp"
#include "redline/server/tokens.hpp"
#include "redline/store/workspace.hpp"
#include "screening_pool.hpp"
#include "service.hpp"
#include "web_assets.hpp"

#include <httplib.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <mutex>
#include <regex>
#include <thread>

namespace redline::server {
namespace {

void send(httplib::Response& response, const Reply& reply) {
    response.status = reply.status;
    if (!reply.filename.empty()) {
        response.set_header("Content-Disposition", "attachment; filename=\"" + reply.filename + "\"");
    }
    for (const auto& [name, value] : reply.headers) {
        response.set_header(name, value);
    }
    if (reply.file.empty()) {
        if (reply.status != 204) {
            response.set_content(reply.body, reply.content_type.c_str());
        }
        return;
    }
    // A job's result may be large: streamed from its file, never read whole.
    auto in = std::make_shared<std::ifstream>(reply.file, std::ios::binary);
    std::error_code error;
    const auto size = std::filesystem::file_size(reply.file, error);
    if (!*in || error) {
        response.status = 500;
        response.set_content(error_reply(500, Message("server.internal")).body, "application/json; charset=utf-8");
        return;
    }
    response.set_content_provider(static_cast<std::size_t>(size), reply.content_type,
                                  [in](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                      std::array<char, 64 * 1024> buffer{};
                                      in->seekg(static_cast<std::streamoff>(offset));
                                      in->read(buffer.data(),
                                               static_cast<std::streamsize>(std::min(length, buffer.size())));
                                      const auto got = in->gcount();
                                      return got > 0 && sink.write(buffer.data(), static_cast<std::size_t>(got));
                                  });
}

// The parameters of the request's URL (not of a form body, which httplib mixes in), each
// once; nullopt and an error reply when one repeats.
std::optional<Query> query_of(const httplib::Request& request, httplib::Response& response) {
    httplib::Params params;
    if (const auto mark = request.target.find('?'); mark != std::string::npos) {
        httplib::detail::parse_query_text(request.target.substr(mark + 1), params);
    }
    Query query;
    for (const auto& [name, value] : params) {
        if (!query.emplace(name, value).second) {
            send(response, error_reply(400, Message("server.repeated_parameter", {{"name", name}})));
            return std::nullopt;
        }
    }
    return query;
}

// The multipart form's field `file`, or nothing after a 400 that says it is missing.
std::optional<httplib::MultipartFormData> uploaded_file(const httplib::Request& request, httplib::Response& response) {
    if (!request.is_multipart_form_data() || !request.has_file("file")) {
        send(response, error_reply(400, Message("server.upload_field")));
        return std::nullopt;
    }
    return request.get_file_value("file");
}

}  // namespace

bool is_loopback(const std::string& address) {
    if (address == "localhost" || address == "::1") {
        return true;
    }
    in_addr v4{};
    return inet_pton(AF_INET, address.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

struct Server::Impl {
    ServeOptions options;
    Service service;
    Features features;
    TokenCheck tokens;
    std::unique_ptr<Jobs> jobs;  // with tokens only: jobs are for callers who have one
    ScreeningPool screening;     // checks and OGC pages: computed on one thread per core
    httplib::Server http;
    int port = 0;

    int listening_socket = -1;  // as httplib made it, to widen its backlog after binding
    std::thread watcher;
    std::mutex watch_mutex;
    std::condition_variable watch_wakeup;
    bool stopping = false;

    Impl(const SchemaSet& schemas, ServeOptions given)
        : options(std::move(given)),
          service(schemas, options.workspace),
          features(schemas, options.workspace),
          tokens(options.tokens),
          screening(options.screening_threads > 0 ? options.screening_threads
                                                  : std::max(1u, std::thread::hardware_concurrency())) {
        if (tokens.configured()) {
            JobSettings settings;
            settings.directory = options.jobs_directory;
            if (settings.directory.empty()) {
                const std::string workspace = options.workspace.string();
                settings.directory = workspace.starts_with("PG:") ? std::filesystem::path("redline-jobs")
                                                                  : std::filesystem::path(workspace + ".jobs");
            }
            settings.keep_days = options.job_keep_days;
            settings.max_waiting = options.max_waiting_jobs;
            settings.stale_seconds = options.job_stale_seconds;
            jobs = std::make_unique<Jobs>(schemas, options.workspace, settings,
                                          [this](const std::string& line) { log(line); });
        }
    }

    // Who may do this: the token's holder ("" when none is needed and none was shown), or
    // nothing, after a 401 or 403 that says what to do.
    std::optional<std::string> allowed(const httplib::Request& request, httplib::Response& response, bool needs_token) {
        const std::string authorization = request.get_header_value("Authorization");
        needs_token = needs_token || options.tokens_for_everything;
        if (!needs_token && authorization.empty()) {
            return std::string();
        }
        if (!tokens.configured()) {
            send(response, error_reply(403, Message("server.jobs_need_tokens")));
            return std::nullopt;
        }
        if (auto holder = tokens.holder(authorization)) {
            return holder;
        }
        Reply refused = error_reply(401, Message(authorization.empty() ? "server.token_required" : "server.token_bad"));
        refused.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"redline\"");
        send(response, refused);
        return std::nullopt;
    }

    // The service's own URL as the client reached it (its Host header, when it is a host
    // name or address and port), for links; else the address bound.
    std::string base_url(const httplib::Request& request) const {
        const std::string host = request.get_header_value("Host");
        const bool plain = !host.empty() && host.size() < 256 && std::all_of(host.begin(), host.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '-' || c == '[' ||
                   c == ']';
        });
        return "http://" + (plain ? host : options.bind + ":" + std::to_string(port));
    }

    // Looks for a new version every reload_seconds until stopped.
    void watch() {
        std::unique_lock<std::mutex> lock(watch_mutex);
        while (
            !watch_wakeup.wait_for(lock, std::chrono::seconds(options.reload_seconds), [this] { return stopping; })) {
            lock.unlock();
            try {
                if (service.refresh()) {
                    const auto version = service.workspace_version();
                    log(utc_timestamp() + " " +
                        Message("server.reloaded",
                                {{"version", version ? version->id : 0}, {"date", service.legal_date()}})
                            .text(Language::zh));
                }
            } catch (const Failure& e) {
                const auto version = service.workspace_version();
                log(utc_timestamp() + " " +
                    Message("server.reload_failed", {{"version", version ? version->id : 0}, {"reason", e.message()}})
                        .text(Language::zh));
            } catch (const std::exception& e) {  // out of memory, a library's failure: keep serving
                log(utc_timestamp() + " " + redact_secrets(e.what()));
            }
            lock.lock();
        }
    }

    void log(const std::string& line) const {
        if (options.log) {
            options.log(line);
        }
    }

    void routes() {
        http.Get("/api/v1", [this](const httplib::Request& request, httplib::Response& response) {
            if (allowed(request, response, false)) {
                send(response, service.describe());
            }
        });
        http.Get("/api/v1/versions", [this](const httplib::Request& request, httplib::Response& response) {
            if (const auto query = query_of(request, response); query && allowed(request, response, false)) {
                send(response, service.versions(*query));
            }
        });
        http.Get("/api/v1/rules", [this](const httplib::Request& request, httplib::Response& response) {
            if (const auto query = query_of(request, response); query && allowed(request, response, false)) {
                send(response, screening.run([&] { return service.rules(*query); }));
            }
        });
        http.Post("/api/v1/check", [this](const httplib::Request& request, httplib::Response& response) {
            const auto query = query_of(request, response);
            if (!query || !allowed(request, response, false)) {
                return;
            }
            if (!request.is_multipart_form_data()) {
                send(response, screening.run([&] { return service.check(request.body, *query); }));
            } else if (const auto file = uploaded_file(request, response)) {
                send(response,
                     screening.run([&] { return service.check_upload(file->filename, file->content, *query); }));
            }
        });
        // An upload as the check reads it, for the page to draw.
        http.Post("/api/v1/footprints", [this](const httplib::Request& request, httplib::Response& response) {
            const auto query = query_of(request, response);
            if (!query || !allowed(request, response, false)) {
                return;
            }
            if (const auto file = uploaded_file(request, response)) {
                send(response,
                     screening.run([&] { return service.footprints_upload(file->filename, file->content, *query); }));
            }
        });
        // Outfall registers as jobs: a token always.
        http.Post("/api/v1/outfalls", [this](const httplib::Request& request, httplib::Response& response) {
            const auto query = query_of(request, response);
            if (!query) {
                return;
            }
            const auto holder = allowed(request, response, true);
            if (!holder) {
                return;
            }
            if (const auto file = uploaded_file(request, response)) {
                send(response, jobs->submit(file->filename, file->content, *query, *holder));
            }
        });
        const auto job_route = [this](auto answer) {
            return [this, answer](const httplib::Request& request, httplib::Response& response) {
                if (const auto query = query_of(request, response); query && allowed(request, response, true)) {
                    send(response, answer(request));
                }
            };
        };
        http.Get("/api/v1/jobs", job_route([this](const httplib::Request&) { return jobs->list(); }));
        http.Get(R"(/api/v1/jobs/([^/]+))",
                 job_route([this](const httplib::Request& request) { return jobs->status(request.matches[1]); }));
        http.Get(R"(/api/v1/jobs/([^/]+)/(result|summary|report))", job_route([this](const httplib::Request& request) {
                     return jobs->download(request.matches[1], request.matches[2]);
                 }));
        http.Post(R"(/api/v1/jobs/([^/]+)/cancel)",
                  job_route([this](const httplib::Request& request) { return jobs->cancel(request.matches[1]); }));
        http.Delete(R"(/api/v1/jobs/([^/]+))",
                    job_route([this](const httplib::Request& request) { return jobs->remove(request.matches[1]); }));
        // OGC API - Features over the zones.
        const auto get = [this](const char* pattern, auto answer) {
            http.Get(pattern, [this, answer](const httplib::Request& request, httplib::Response& response) {
                if (const auto query = query_of(request, response); query && allowed(request, response, false)) {
                    const auto version = service.workspace_version();
                    send(response, screening.run([&] {
                        return answer(request, *query, base_url(request), version ? version->id : 0);
                    }));
                }
            });
        };
        get("/ogc", [this](const httplib::Request&, const Query&, const std::string& base, std::int64_t) {
            return features.landing(base);
        });
        get("/ogc/conformance", [this](const httplib::Request&, const Query&, const std::string&, std::int64_t) {
            return features.conformance();
        });
        get("/ogc/collections", [this](const httplib::Request&, const Query&, const std::string& base,
                                       std::int64_t current) { return features.collections(base, current); });
        get(R"(/ogc/collections/([^/]+))",
            [this](const httplib::Request& request, const Query&, const std::string& base, std::int64_t current) {
                return features.collection(base, request.matches[1], current);
            });
        get(R"(/ogc/collections/([^/]+)/items)",
            [this](const httplib::Request& request, const Query& query, const std::string& base, std::int64_t current) {
                return features.items(base, request.matches[1], query, current);
            });
        // A zone id may hold a "/" (sub-zoned zones: SY210213001/level1), sent as %2F or not.
        get(R"(/ogc/collections/([^/]+)/items/(.+))",
            [this](const httplib::Request& request, const Query& query, const std::string& base, std::int64_t current) {
                return features.item(base, request.matches[1], request.matches[2], query, current);
            });
        // The web page and its scripts, from memory (web_assets.hpp).
        const auto page = [](const httplib::Request& request, httplib::Response& response) {
            if (const auto file = web_file(request.path)) {
                // The page's own files are asked again after an upgrade (no-cache: revalidated
                // each time, cheap on a LAN); Debian's Leaflet changes only with its package.
                const bool leaflet = request.path.starts_with("/static/leaflet/");
                response.set_header("Cache-Control", leaflet ? "max-age=86400" : "no-cache");
                response.set_header("X-Content-Type-Options", "nosniff");
                response.set_content(file->content.data(), file->content.size(), file->content_type);
                return;
            }
            send(response, error_reply(404, Message("server.not_found", {{"path", request.path}})));
        };
        http.Get("/", page);
        http.Get("/api/v1/openapi.json", page);
        http.Get(R"(/static/.+)", page);
        // Anything else: a 404 or 405 that says what there is, never a file.
        const auto elsewhere = [](const httplib::Request& request, httplib::Response& response) {
            static const std::regex job_path(R"(/api/v1/jobs(/[0-9a-f]{32}(/(result|summary|report|cancel))?)?)");
            const bool known = request.path == "/api/v1" || request.path == "/api/v1/check" ||
                               request.path == "/api/v1/versions" || request.path == "/api/v1/rules" ||
                               request.path == "/api/v1/footprints" || request.path == "/api/v1/outfalls" ||
                               std::regex_match(request.path, job_path) || request.path.starts_with("/ogc");
            send(response, known ? error_reply(405, Message("server.method_not_allowed",
                                                            {{"path", request.path}, {"method", request.method}}))
                                 : error_reply(404, Message("server.not_found", {{"path", request.path}})));
        };
        for (const char* pattern : {R"(/.*)"}) {
            http.Get(pattern, elsewhere);
            http.Post(pattern, elsewhere);
            http.Put(pattern, elsewhere);
            http.Delete(pattern, elsewhere);
            http.Patch(pattern, elsewhere);
        }
        http.set_error_handler([this](const httplib::Request& request, httplib::Response& response) {
            // Errors httplib itself found (413 too large, 400 unparsable): the same JSON.
            if (!response.body.empty()) {
                return;
            }
            const Message why = response.status == 413
                                    ? Message("server.body_too_large", {{"limit", options.max_body_bytes}})
                                : response.status == 404 ? Message("server.not_found", {{"path", request.path}})
                                                         : Message("server.bad_request", {{"status", response.status}});
            send(response, error_reply(response.status, why));
        });
        http.set_exception_handler(
            [this](const httplib::Request& request, httplib::Response& response, std::exception_ptr failure) {
                std::string what = "unknown exception";
                try {
                    std::rethrow_exception(failure);
                } catch (const std::exception& e) {
                    what = e.what();
                } catch (...) {
                }
                log(utc_timestamp() + " internal error on " + request.method + " " + request.path + ": " +
                    redact_secrets(what));
                send(response, error_reply(500, Message("server.internal")));
            });
        http.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
            log(utc_timestamp() + " " + request.remote_addr + " \"" + request.method + " " + request.path + "\" " +
                std::to_string(response.status) + " " +
                std::to_string(response.body.empty() ? response.content_length_ : response.body.size()));
        });
    }
};

Server::Server(const SchemaSet& schemas, ServeOptions options) {
    add_server_messages();
    in6_addr v6{};
    in_addr v4{};
    if (options.bind != "localhost" && inet_pton(AF_INET, options.bind.c_str(), &v4) != 1 &&
        inet_pton(AF_INET6, options.bind.c_str(), &v6) != 1) {
        throw UsageError(Message("server.bad_bind", {{"address", options.bind}}));
    }
    impl_ = std::make_unique<Impl>(schemas, std::move(options));
    auto& http = impl_->http;
    // httplib gives each open connection a thread for as long as it is kept alive: with
    // fewer threads than clients, the others queued for seconds (p99 220 ms and time-outs
    // at 16 clients with 4 threads). The work itself is bounded by the cores either way.
    const unsigned workers = impl_->options.threads > 0 ? impl_->options.threads : 64;
    http.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
    http.set_socket_options([impl = impl_.get()](socket_t socket) {
        httplib::default_socket_options(socket);  // SO_REUSEADDR
        impl->listening_socket = socket;
    });
    // Answers go out at once: with Nagle's algorithm a keep-alive client waited 40 ms for
    // the delayed ACK on every request (44 ms p50 against 4 ms of work, bench/README.md).
    http.set_tcp_nodelay(true);
    // Approval systems keep their connection: httplib's default closes it every 5 requests.
    http.set_keep_alive_max_count(1000);
    http.set_payload_max_length(impl_->options.max_body_bytes);
    http.set_read_timeout(impl_->options.read_timeout_s, 0);
    http.set_write_timeout(impl_->options.read_timeout_s, 0);
    impl_->routes();
}

Server::~Server() = default;

int Server::bind() {
    const ServeOptions& options = impl_->options;
    if (options.port == 0) {
        impl_->port = impl_->http.bind_to_any_port(options.bind);
    } else {
        impl_->port = impl_->http.bind_to_port(options.bind, options.port) ? options.port : -1;
    }
    // httplib listens with a backlog of 5: a burst of clients beyond it (16 approval
    // systems at once) had connections dropped. The kernel's largest instead.
    if (impl_->port >= 0 && impl_->listening_socket >= 0) {
        ::listen(impl_->listening_socket, SOMAXCONN);
    }
    if (impl_->port < 0) {
        throw DataError(Message(
            "server.cannot_bind",
            {{"address", options.bind}, {"port", options.port}, {"reason", Message::verbatim(std::strerror(errno))}}));
    }
    const std::string host = options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
    const auto version = impl_->service.workspace_version();
    impl_->log(Message("server.listening", {{"url", "http://" + host + ":" + std::to_string(impl_->port) + "/"},
                                            {"workspace", redact_secrets(options.workspace.string())},
                                            {"version", version ? version->id : 0},
                                            {"date", impl_->service.legal_date()}})
                   .text(Language::zh));
    if (!is_loopback(options.bind)) {
        impl_->log(Message("server.not_loopback", {{"address", options.bind}}).text(Language::zh));
    }
    return impl_->port;
}

void Server::run() {
    if (impl_->options.reload_seconds > 0) {
        impl_->watcher = std::thread([this] { impl_->watch(); });
    }
    impl_->http.listen_after_bind();
    {
        const std::lock_guard<std::mutex> lock(impl_->watch_mutex);
        impl_->stopping = true;
    }
    impl_->watch_wakeup.notify_all();
    if (impl_->watcher.joinable()) {
        impl_->watcher.join();
    }
}

void Server::stop() {
    impl_->http.stop();
}

}  // namespace redline::server
