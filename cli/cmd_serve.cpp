#include "command.hpp"

#include "redline/server/server.hpp"

#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <mutex>
#include <thread>

namespace redline::cli {
namespace {

class ServeCommand : public Command {
public:
    explicit ServeCommand(CLI::App& app)
        : Command(app.add_subcommand(
              "serve", say("提供核查服务：HTTP 接口（docs/serve.md）", "Serve screening over HTTP (docs/serve.md)"))) {
        auto* sub = subcommand_;
        sub->add_option("--zones", options_.workspace,
                        say("工作空间：GeoPackage 文件或 PG:... 连接串", "Workspace: a GeoPackage or PG:..."))
            ->required();
        sub->add_option("--bind", options_.bind,
                        say("监听地址（默认 127.0.0.1，仅本机；其他地址须明确指定，并记入日志）",
                            "Address to listen on (default 127.0.0.1, this machine only; any other is an "
                            "explicit choice, logged)"));
        sub->add_option("--port", options_.port,
                        say("端口（默认 8080；0 为任一空闲端口）", "Port (default 8080; 0: any free one)"))
            ->check(CLI::Range(0, 65535));
        sub->add_option("--max-body-mb", max_body_mb_,
                        say("请求体上限，MB（默认 16）", "Largest request body, MB (default 16)"))
            ->check(CLI::Range(1, 1024));
        sub->add_option(
               "--reload-seconds", options_.reload_seconds,
               say("每隔多少秒检查工作空间是否有新版本（及日期变化），有则在后台构建新引擎后切换（默认 5；0 不检查）",
                   "How often to look for a new version of the workspace (and a new day), built aside and "
                   "swapped in (default 5; 0: never)"))
            ->check(CLI::Range(0, 86400));
        sub->add_option("--threads", options_.threads,
                        say("同时服务的连接数（每个连接一个线程，默认 64）",
                            "Connections served at once (a thread each; default 64)"))
            ->check(CLI::Range(1, 256));
        sub->add_option("--screening-threads", options_.screening_threads,
                        say("计算核查的线程数，请求按到达顺序排队（默认：CPU 核数）",
                            "Threads that compute checks, taking requests in arrival order (default: the cores)"))
            ->check(CLI::Range(1, 256));
        sub->add_option("--tokens", tokens_,
                        say("API 令牌文件（redline token add 生成）：批量作业须持令牌；未给出则不接受作业",
                            "API tokens file (made by redline token add): jobs need a token; without it, no jobs"));
        sub->add_flag("--tokens-for-everything", options_.tokens_for_everything,
                      say("所有接口和 OGC 请求都须持令牌（网页本身除外）",
                          "Every API and OGC request needs a token (the page itself aside)"));
        sub->add_option("--jobs-dir", options_.jobs_directory,
                        say("批量作业目录（默认：GeoPackage 旁的 WS.jobs；PG 工作空间为当前目录下 redline-jobs）；"
                            "多个服务可共用",
                            "Jobs directory (default: WS.jobs beside a GeoPackage; redline-jobs in the working "
                            "directory for PG); servers may share it"));
        sub->add_option(
               "--job-days", options_.job_keep_days,
               say("已结束作业及其文件保留天数（默认 7）", "Days finished jobs and their files are kept (default 7)"))
            ->check(CLI::Range(1, 3650));
        sub->footer(say(
            "访问日志写到标准错误。Ctrl+C 或 SIGTERM 停止服务（正在处理的请求完成后退出）。\n"
            "示例：redline serve --zones ws.gpkg --port 8080\n"
            "      curl -X POST --data @site.geojson 'http://127.0.0.1:8080/api/v1/check?activity=construction'",
            "The access log goes to standard error. Ctrl+C or SIGTERM stops the service (requests being "
            "answered finish first).\n"
            "Example: redline serve --zones ws.gpkg --port 8080\n"
            "         curl -X POST --data @site.geojson 'http://127.0.0.1:8080/api/v1/check?activity=construction'"));
    }

    ExitCode run(const GlobalOptions& global) override {
        const SchemaSet schemas = global.load_schemas();
        options_.max_body_bytes = max_body_mb_ << 20;
        if (!tokens_.empty()) {
            options_.tokens = tokens_;
        }
        std::mutex log_mutex;
        options_.log = [&log_mutex](const std::string& line) {
            const std::lock_guard<std::mutex> lock(log_mutex);
            std::cerr << line << '\n';
        };
        // SIGINT and SIGTERM are taken by one thread that stops the server: no handler runs
        // inside a request's thread.
        sigset_t stop_signals;
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGINT);
        sigaddset(&stop_signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
        server::Server server(schemas, options_);
        server.bind();
        std::thread stopper([&]() {
            int signal_number = 0;
            sigwait(&stop_signals, &signal_number);
            server.stop();
        });
        server.run();
        // Stopped some other way than a signal: let the stopper go.
        pthread_kill(stopper.native_handle(), SIGTERM);
        stopper.join();
        return ExitCode::ok;
    }

private:
    server::ServeOptions options_;
    std::size_t max_body_mb_ = 16;
    std::string tokens_;
};

}  // namespace

std::unique_ptr<Command> make_serve_command(CLI::App& app) {
    return std::make_unique<ServeCommand>(app);
}

}  // namespace redline::cli
