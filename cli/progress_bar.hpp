// A long job's progress on the terminal: one line on standard error, redrawn at most ten
// times a second, and only when standard error is a terminal. While it lives, Ctrl-C
// cancels the job, which stops cleanly at its next step (exit 130, nothing half-written);
// a second Ctrl-C ends the program at once.
#pragma once

#include "redline/language.hpp"
#include "redline/progress.hpp"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <string>

namespace redline::cli {

class TerminalProgress : public Progress {
public:
    explicit TerminalProgress(Language language);
    ~TerminalProgress() override;
    TerminalProgress(const TerminalProgress&) = delete;
    TerminalProgress& operator=(const TerminalProgress&) = delete;

protected:
    void on_stage(const Message& what, std::uint64_t total) override;
    void on_advance(std::uint64_t done) override;

private:
    void draw();

    Language language_;
    bool terminal_;
    std::string stage_;
    std::uint64_t total_ = 0, done_ = 0;
    std::chrono::steady_clock::time_point last_draw_{};
    bool drawn_ = false;
    struct sigaction previous_ {};
};

}  // namespace redline::cli
