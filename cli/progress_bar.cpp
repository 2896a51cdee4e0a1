#include "progress_bar.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>

namespace redline::cli {
namespace {

std::atomic<Progress*> interrupted_job{nullptr};

extern "C" void on_interrupt(int) {
    if (Progress* job = interrupted_job.load()) {
        job->cancel();  // a relaxed atomic store: safe in a signal handler
    }
    std::signal(SIGINT, SIG_DFL);  // the next Ctrl-C ends the program
}

}  // namespace

TerminalProgress::TerminalProgress(Language language) : language_(language), terminal_(isatty(STDERR_FILENO) == 1) {
    interrupted_job.store(this);
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_);
}

TerminalProgress::~TerminalProgress() {
    sigaction(SIGINT, &previous_, nullptr);
    interrupted_job.store(nullptr);
    if (drawn_) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    }
}

void TerminalProgress::on_stage(const Message& what, std::uint64_t total) {
    stage_ = what.text(language_);
    total_ = total;
    done_ = 0;
    last_draw_ = {};
    draw();
}

void TerminalProgress::on_advance(std::uint64_t done) {
    done_ = done;
    draw();
}

void TerminalProgress::draw() {
    if (!terminal_) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && !(total_ > 0 && done_ >= total_)) {
        return;
    }
    last_draw_ = now;
    drawn_ = true;
    char line[256];
    if (total_ > 0) {
        const std::uint64_t shown = std::min(done_, total_);
        const int percent = static_cast<int>(100 * shown / total_);
        constexpr int width = 24;
        const int filled = static_cast<int>(width * shown / total_);
        std::snprintf(line, sizeof line, "\r\033[K%s [%.*s%*s] %3d%%  %llu / %llu", stage_.c_str(), filled,
                      "########################", width - filled, "", percent, static_cast<unsigned long long>(shown),
                      static_cast<unsigned long long>(total_));
    } else if (done_ > 0) {
        std::snprintf(line, sizeof line, "\r\033[K%s  %llu", stage_.c_str(), static_cast<unsigned long long>(done_));
    } else {
        std::snprintf(line, sizeof line, "\r\033[K%s …", stage_.c_str());
    }
    std::fputs(line, stderr);
    std::fflush(stderr);
}

}  // namespace redline::cli
