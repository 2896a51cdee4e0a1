// Outfall registers as jobs: an upload becomes a job with an id; a worker screens it with
// the engine's run_outfalls, reporting its stage and progress; the result, its summary and
// the summary report are downloaded when it is done.
//
// A job is a folder of the jobs directory, named by its id (32 random hex digits, the only
// name a request can give): job.json (its state, written whole and renamed into place),
// the input, and once done the result, summary.json and report.pdf. A result is served
// only once job.json says done, which is written after everything else: never half a file.
//
// Several servers may share one jobs directory (scale-out, docs/serve.md): a queued job
// is claimed by renaming its "queued" marker, which only one can do; the claimant writes
// a heartbeat into job.json. A job whose server is gone (its process ended on this host,
// or no heartbeat for stale_seconds) is queued again once, then failed, clearly.
#pragma once

#include "service.hpp"

#include <condition_variable>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace redline::server {

struct JobSettings {
    std::filesystem::path directory;
    std::size_t max_waiting = 16;  // queued jobs beyond this: 503, try later
    int keep_days = 7;             // finished jobs and their files are removed after this
    int stale_seconds = 60;        // a running job without a heartbeat this long was interrupted
    int poll_seconds = 2;          // how often the worker looks for jobs other servers took in
};

class Jobs {
public:
    // Makes the directory if need be, and takes up jobs an earlier run left (see above).
    Jobs(const SchemaSet& schemas, std::filesystem::path workspace, JobSettings settings,
         std::function<void(const std::string&)> log);
    ~Jobs();  // stops the worker; a job it was running is queued again at the next start
    Jobs(const Jobs&) = delete;
    Jobs& operator=(const Jobs&) = delete;

    // POST /api/v1/outfalls: a register (multipart field `file`) and its options (query
    // parameters as `redline outfalls`'s options); 202 and the job's status.
    Reply submit(const std::string& filename, const std::string& content, const Query& query,
                 const std::string& holder);
    Reply list() const;                         // GET /api/v1/jobs
    Reply status(const std::string& id) const;  // GET /api/v1/jobs/{id}
    // GET /api/v1/jobs/{id}/{result|summary|report}: 409 until the job is done.
    Reply download(const std::string& id, const std::string& what) const;
    Reply cancel(const std::string& id);  // POST /api/v1/jobs/{id}/cancel
    Reply remove(const std::string& id);  // DELETE /api/v1/jobs/{id}: a finished job

private:
    class Runner;
    void work();
    bool claim_and_run();
    void run(const std::string& id);
    void recover_and_purge();
    std::filesystem::path folder(const std::string& id) const;

    const SchemaSet& schemas_;
    std::filesystem::path workspace_;
    JobSettings settings_;
    std::function<void(const std::string&)> log_;
    std::string server_id_;  // this process's, in the jobs it claims
    mutable std::mutex mutex_;
    std::condition_variable wakeup_;
    bool stopping_ = false;
    Runner* running_ = nullptr;  // the job being run, to stop it when the server stops
    std::thread worker_;
};

bool is_job_id(const std::string& text);

}  // namespace redline::server
