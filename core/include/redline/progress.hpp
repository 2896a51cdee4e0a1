// Progress and cancellation of long jobs (import, validate, diff, check, outfalls): the job
// says which stage it is in and how far it got; whoever drives it (the CLI's progress bar,
// the viewer, the server) shows that, and may ask it to stop. A job stops by throwing
// Cancelled at the next step, leaving nothing half-written.
#pragma once

#include "redline/errors.hpp"
#include "redline/message.hpp"

#include <atomic>
#include <cstdint>

namespace redline {

class Progress {
public:
    virtual ~Progress() = default;

    // A new stage: what it does, and how many steps it has (0: not known beforehand).
    void stage(const Message& what, std::uint64_t total = 0) {
        check();
        on_stage(what, total);
    }
    // Steps done in the current stage so far. Called by the job's own thread, often;
    // implementations keep it cheap.
    void advance(std::uint64_t done) {
        check();
        on_advance(done);
    }

    // May be called from any thread (a signal handler, a request being dropped).
    void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
    // Throws Cancelled once cancel() was called; jobs call it between steps, workers too.
    void check() const {
        if (cancelled()) {
            throw Cancelled();
        }
    }

protected:
    virtual void on_stage(const Message& /*what*/, std::uint64_t /*total*/) {}
    virtual void on_advance(std::uint64_t /*done*/) {}

private:
    std::atomic<bool> cancelled_{false};
};

// For callers that want neither reports nor cancellation.
class NoProgress : public Progress {};
// The default argument of jobs: one per thread, never cancelled.
Progress& no_progress();

}  // namespace redline
