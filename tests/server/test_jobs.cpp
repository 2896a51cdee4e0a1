// Outfall registers as jobs of `redline serve`, and the API tokens that guard them: a job's
// result equals the CLI's, progress is told, a job is cancelled, a job outlives its server
// (stopped, or gone without a word), and every bad request gets its 4xx.
#include "redline/outfalls/outfalls.hpp"
#include "redline/server/tokens.hpp"
#include "running_server.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

using namespace redline;
using nlohmann::json;
using test::error_of;
using test::read_file;
using test::RunningServer;

namespace {

// Places in the demo workspace (as tests/unit/test_outfalls.cpp): a level 1 and a level 2
// source zone, a red line by the sea, one far from everything, and two bad rows.
const char* register_csv =
    "排污口编码,排污口名称,排污口类型,入河入海,受纳水体,状态,经度(CGCS2000),纬度(CGCS2000)\n"
    "A01,一级区现有排口,工业排污口,入河,卧龙河,现有,121.830,39.160\n"
    "A02,二级区新建排口,城镇污水处理厂排污口,入河,鸽子塘河,新建,121.970,39.205\n"
    "A04,同河排口甲,工业排污口,入河,登沙河,现有,121.7500,39.4500\n"
    "A05,同河排口乙,工业排污口,入河,登沙河,现有,121.7530,39.4510\n"
    "A06,远处排口,其他排口,入河,另一条河,现有,121.7600,39.4200\n"
    "A07,红线内入海工业排口,工业排污口,入海,黄海,新建,121.7150,39.0500\n"
    "A09,无坐标排口,其他排口,入河,登沙河,现有,,\n"
    "A10,坐标有误排口,其他排口,入河,登沙河,现有,121.7x,39.45\n";

// A register long enough that a job is still running when the test acts on it.
std::string long_register(std::size_t rows) {
    std::mt19937 random(7);
    std::uniform_real_distribution<double> lon(121.60, 122.10), lat(39.00, 39.50);
    std::ostringstream csv;
    csv << "排污口编码,排污口名称,排污口类型,入河入海,受纳水体,状态,经度(CGCS2000),纬度(CGCS2000)\n";
    csv.precision(9);
    for (std::size_t i = 0; i < rows; ++i) {
        csv << "L" << i << ",排口" << i << ",工业排污口,入河,河" << i % 50 << ",现有," << lon(random) << ','
            << lat(random) << '\n';
    }
    return csv.str();
}

struct JobServer {
    test::ScratchDir dir{"server-jobs"};
    std::filesystem::path workspace = test::build_demo_workspace(dir);
    std::filesystem::path tokens = dir / "tokens";
    std::string token = server::TokenFile(tokens).add("approval-system");

    server::ServeOptions options() const {
        server::ServeOptions options = RunningServer::options_for(workspace, std::size_t{64} << 20, 0);
        options.tokens = tokens;
        options.jobs_directory = dir / "jobs";
        return options;
    }
    httplib::Headers auth() const { return {{"Authorization", "Bearer " + token}}; }
};

httplib::Result submit(const RunningServer& running, const JobServer& js, const std::string& content,
                       const std::string& query = "", const std::string& name = "排污口名录.csv") {
    const httplib::MultipartFormDataItems form = {{"file", content, name, "text/csv"}};
    return running.client().Post(("/api/v1/outfalls" + query).c_str(), js.auth(), form);
}

json status_of(const RunningServer& running, const JobServer& js, const std::string& id) {
    const auto r = running.client().Get(("/api/v1/jobs/" + id).c_str(), js.auth());
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return json::parse(r->body);
}

// Polls until the job's state is one of `states` (a minute at most, for the sanitizer build).
json wait_for(const RunningServer& running, const JobServer& js, const std::string& id,
              const std::set<std::string>& states) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    json status;
    do {
        status = status_of(running, js, id);
        if (states.contains(status["state"].get<std::string>())) {
            return status;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < until);
    FAIL("job " << id << " never reached the state wanted; last: " << status.dump());
    return status;
}

// Running, and far from done: so that what the test does next happens mid-job.
json wait_until_running(const RunningServer& running, const JobServer& js, const std::string& id) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < until) {
        const json status = status_of(running, js, id);
        if (status["state"] == "running" && status.contains("stage") &&
            status["stage"]["code"] == "stage.screen_register") {
            return status;
        }
        REQUIRE(status["state"] != "done");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("job " << id << " never started screening");
    return {};
}

}  // namespace

TEST_CASE("serve: outfall jobs need a token, tokens are checked as the file says now", "[server][jobs]") {
    SECTION("a server without tokens takes no jobs, and says how to") {
        test::ScratchDir dir("server-no-tokens");
        RunningServer running(test::build_demo_workspace(dir));
        const httplib::MultipartFormDataItems form = {{"file", register_csv, "r.csv", "text/csv"}};
        const json e = error_of(running.client().Post("/api/v1/outfalls", form), 403);
        CHECK(e["code"] == "server.jobs_need_tokens");
        CHECK(error_of(running.client().Get("/api/v1/jobs"), 403)["code"] == "server.jobs_need_tokens");
        CHECK(running.client().Get("/api/v1")->status == 200);  // the rest needs none
    }
    SECTION("with tokens: none, a wrong one, a revoked one") {
        JobServer js;
        RunningServer running(js.options());
        const httplib::MultipartFormDataItems form = {{"file", register_csv, "r.csv", "text/csv"}};
        const auto none = running.client().Post("/api/v1/outfalls", form);
        CHECK(error_of(none, 401)["code"] == "server.token_required");
        CHECK(none->get_header_value("WWW-Authenticate").starts_with("Bearer"));
        const httplib::Headers wrong = {{"Authorization", "Bearer " + js.token + "0"}};
        CHECK(error_of(running.client().Post("/api/v1/outfalls", wrong, form), 401)["code"] == "server.token_bad");
        CHECK(error_of(running.client().Get("/api/v1/jobs", wrong), 401)["code"] == "server.token_bad");
        CHECK(running.client().Get("/api/v1/jobs", js.auth())->status == 200);
        // The file keeps digests only: the token itself is nowhere on disk.
        CHECK(read_file(js.tokens).find(js.token) == std::string::npos);
        CHECK(read_file(js.tokens).find(server::token_digest(js.token)) != std::string::npos);
        // Revoked while serving: refused from the next request on.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a new modification time
        REQUIRE(server::TokenFile(js.tokens).remove("approval-system"));
        CHECK(error_of(running.client().Get("/api/v1/jobs", js.auth()), 401)["code"] == "server.token_bad");
        const std::string again = server::TokenFile(js.tokens).add("approval-system");
        CHECK(again != js.token);
        CHECK(running.client().Get("/api/v1/jobs", {{"Authorization", "Bearer " + again}})->status == 200);
    }
    SECTION("tokens for everything: the API and OGC too, the page itself not") {
        JobServer js;
        server::ServeOptions options = js.options();
        options.tokens_for_everything = true;
        RunningServer running(options);
        CHECK(error_of(running.client().Get("/api/v1"), 401)["code"] == "server.token_required");
        CHECK(error_of(running.client().Get("/ogc/collections"), 401)["code"] == "server.token_required");
        CHECK(running.client().Get("/api/v1", js.auth())->status == 200);
        CHECK(running.client().Get("/ogc/collections", js.auth())->status == 200);
        CHECK(running.client().Get("/")->status == 200);
    }
    SECTION("names and files the token command refuses") {
        test::ScratchDir dir("server-tokens");
        server::TokenFile file(dir / "tokens");
        CHECK_THROWS_AS(file.add("has space"), UsageError);
        CHECK_THROWS_AS(file.add(""), UsageError);
        file.add("ci");
        CHECK_THROWS_AS(file.add("ci"), UsageError);
        CHECK_FALSE(file.remove("nobody"));
        std::ofstream(dir / "broken") << "ci not-a-digest\n";
        CHECK_THROWS_AS(server::TokenFile(dir / "broken").read(), DataError);
    }
}

TEST_CASE("serve: an outfall register as a job, its result the CLI's", "[server][jobs]") {
    JobServer js;
    RunningServer running(js.options());
    const auto accepted = submit(running, js, register_csv, "?format=csv&as-of=2026-12-01");
    REQUIRE(accepted);
    REQUIRE(accepted->status == 202);
    const json queued = json::parse(accepted->body);
    const std::string id = queued["id"];
    CHECK(accepted->get_header_value("Location") == "/api/v1/jobs/" + id);
    CHECK(queued["input"]["name"] == "排污口名录.csv");
    const json done = wait_for(running, js, id, {"done", "failed", "cancelled"});
    REQUIRE(done["state"] == "done");
    CHECK(done["summary"]["rows"] == 8);
    CHECK(done["summary"]["error_rows"] == 2);
    CHECK(done["progress"] == 1.0);
    CHECK(done["links"]["result"] == "/api/v1/jobs/" + id + "/result");
    CHECK_FALSE(done.contains("owner"));  // where it ran is the servers' business

    // The same register through the CLI's engine: the same rows, byte for byte.
    std::ofstream(js.dir / "register.csv") << register_csv;
    OutfallRequest request;
    request.workspace = js.workspace;
    request.input.path = (js.dir / "register.csv").string();
    request.output = js.dir / "cli.csv";
    request.as_of = LegalDate::parse("2026-12-01");
    run_outfalls(test::schemas(), request);
    const auto result = running.client().Get(("/api/v1/jobs/" + id + "/result").c_str(), js.auth());
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(result->get_header_value("Content-Type").starts_with("text/csv"));
    CHECK(result->get_header_value("Content-Disposition").find(".csv") != std::string::npos);
    CHECK(result->body == read_file(js.dir / "cli.csv"));

    const auto summary = running.client().Get(("/api/v1/jobs/" + id + "/summary").c_str(), js.auth());
    REQUIRE(summary);
    const json said = json::parse(summary->body);
    CHECK(said.dump().find("排污口名录.csv") != std::string::npos);  // named as sent, not by its job file
    CHECK(said.dump().find((js.dir / "jobs").string()) == std::string::npos);
    const auto report = running.client().Get(("/api/v1/jobs/" + id + "/report").c_str(), js.auth());
    REQUIRE(report);
    CHECK(report->body.starts_with("%PDF"));

    const json listed = json::parse(running.client().Get("/api/v1/jobs", js.auth())->body);
    REQUIRE(listed["jobs"].size() == 1);
    CHECK(listed["jobs"][0]["id"] == id);
    CHECK(running.client().Delete(("/api/v1/jobs/" + id).c_str(), js.auth())->status == 204);
    CHECK(error_of(running.client().Get(("/api/v1/jobs/" + id).c_str(), js.auth()), 404)["code"] == "server.no_job");
    CHECK_FALSE(std::filesystem::exists(js.dir / "jobs" / id));
}

TEST_CASE("serve: jobs are cancelled, bad registers fail with their reason, bad requests get 4xx", "[server][jobs]") {
    JobServer js;
    RunningServer running(js.options());
    SECTION("cancelled mid-run: no result, ever") {
        const auto accepted = submit(running, js, long_register(300000), "?format=csv");
        REQUIRE(accepted->status == 202);
        const std::string id = json::parse(accepted->body)["id"];
        const json mid = wait_until_running(running, js, id);
        CHECK(mid["total"].get<long>() == 300000);
        const auto asked = running.client().Post(("/api/v1/jobs/" + id + "/cancel").c_str(), js.auth(), "", "");
        REQUIRE(asked);
        CHECK(asked->status == 202);
        const json ended = wait_for(running, js, id, {"done", "failed", "cancelled"});
        CHECK(ended["state"] == "cancelled");
        CHECK(error_of(running.client().Get(("/api/v1/jobs/" + id + "/result").c_str(), js.auth()), 409)["code"] ==
              "server.job_not_done");
        CHECK_FALSE(std::filesystem::exists(js.dir / "jobs" / id / "result.csv"));
        CHECK(error_of(running.client().Post(("/api/v1/jobs/" + id + "/cancel").c_str(), js.auth(), "", ""),
                       409)["code"] == "server.job_finished");
    }
    SECTION("a register without coordinates fails, saying why, by its own name") {
        const auto accepted = submit(running, js, "编号,名称\n1,甲\n", "", "台账.csv");
        REQUIRE(accepted->status == 202);
        const json ended = wait_for(running, js, json::parse(accepted->body)["id"], {"done", "failed", "cancelled"});
        REQUIRE(ended["state"] == "failed");
        const std::string message = ended["error"]["message"];
        CHECK_FALSE(message.empty());
        CHECK(message.find((js.dir / "jobs").string()) == std::string::npos);
        CHECK_FALSE(ended["error"]["message_en"].get<std::string>().empty());
    }
    SECTION("bad requests") {
        CHECK(error_of(submit(running, js, register_csv, "?format=pdf"), 400)["code"] == "server.bad_value");
        CHECK(error_of(submit(running, js, register_csv, "?map=colour=x"), 400)["code"] == "server.bad_value");
        CHECK(error_of(submit(running, js, register_csv, "?merge-distance=-1"), 400)["code"] == "server.bad_value");
        CHECK(error_of(submit(running, js, register_csv, "?as-of=yesterday"), 400)["code"] == "server.bad_value");
        CHECK(error_of(submit(running, js, register_csv, "?colour=red"), 400)["code"] == "server.unknown_parameter");
        CHECK(error_of(submit(running, js, register_csv, "", "virus.exe"), 415)["code"] == "server.upload_format");
        CHECK(error_of(submit(running, js, "", "", "empty.csv"), 400)["code"] == "server.empty_upload");
        CHECK(error_of(running.client().Post("/api/v1/outfalls", js.auth(), "{}", "application/json"), 400)["code"] ==
              "server.upload_field");
        // Ids that are not, or name nothing: 404, never a file.
        for (const char* id : {"0123456789abcdef0123456789abcdef", "..", "ABCDEF"}) {
            const std::string job = std::string("/api/v1/jobs/") + id;
            CHECK(error_of(running.client().Get(job.c_str(), js.auth()), 404)["code"] == "server.no_job");
            CHECK(error_of(running.client().Get((job + "/result").c_str(), js.auth()), 404)["code"] == "server.no_job");
        }
        for (const char* path : {"/api/v1/jobs/..%2F..%2Fetc%2Fpasswd", "/api/v1/jobs/x/../../../etc/passwd",
                                 "/api/v1/jobs/0123456789abcdef0123456789abcdef/input.csv"}) {
            error_of(running.client().Get(path, js.auth()), 404);
        }
        CHECK(error_of(running.client().Get("/api/v1/outfalls", js.auth()), 405)["code"] ==
              "server.method_not_allowed");
    }
}

TEST_CASE("serve: a job outlives its server, stopped or gone", "[server][jobs]") {
    JobServer js;
    SECTION("stopped mid-run: the next server runs it again, not counted as an attempt") {
        std::string id;
        {
            RunningServer first(js.options());
            const auto accepted = submit(first, js, long_register(300000), "?format=csv");
            REQUIRE(accepted->status == 202);
            id = json::parse(accepted->body)["id"];
            wait_until_running(first, js, id);
        }  // stopped here, mid-job
        CHECK_FALSE(std::filesystem::exists(js.dir / "jobs" / id / "result.csv"));
        RunningServer second(js.options());
        const json ended = wait_for(second, js, id, {"done", "failed", "cancelled"});
        CHECK(ended["state"] == "done");
        CHECK(ended["attempts"] == 1);
        CHECK(ended["summary"]["rows"] == 300000);
    }
    SECTION("its server's process gone without a word: queued again, then done") {
        // A finished job made into one a dead process was running.
        std::string id;
        {
            RunningServer first(js.options());
            id = json::parse(submit(first, js, register_csv, "?format=csv")->body)["id"];
            REQUIRE(wait_for(first, js, id, {"done", "failed"})["state"] == "done");
        }
        const pid_t child = fork();
        if (child == 0) {
            _exit(0);
        }
        waitpid(child, nullptr, 0);
        const auto folder = js.dir / "jobs" / id;
        json job = json::parse(read_file(folder / "job.json"));
        char host[256] = {};
        gethostname(host, sizeof host - 1);
        job["state"] = "running";
        job["owner"] = {{"host", host}, {"pid", static_cast<long>(child)}, {"server", "gone"}};
        job["heartbeat"] = 0;
        job.erase("finished");
        job.erase("summary");
        std::ofstream(folder / "job.json") << job.dump();
        std::filesystem::remove(folder / "result.csv");

        RunningServer second(js.options());
        const json ended = wait_for(second, js, id, {"done", "failed", "cancelled"});
        CHECK(ended["state"] == "done");
        CHECK(ended["attempts"] == 2);
        CHECK(std::filesystem::exists(folder / "result.csv"));
        const auto log = second.log();
        CHECK(std::any_of(log.begin(), log.end(), [&](const std::string& line) {
            return line.find(id + " interrupted") != std::string::npos;
        }));
    }
}
