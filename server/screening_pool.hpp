// The threads that compute checks and OGC pages: one per core, taking work in the order it
// came.
//
// httplib gives every kept-alive connection a thread of its own, so 16 clients are 16
// threads. Letting all of them compute had the kernel time-slice 16 screenings over 2
// cores: every answer stretched, the unlucky ones most (p99 36 ms at 16 clients,
// bench/README.md). And each of up to 64 connection threads warmed its own per-thread
// caches (GEOS context, PROJ transformations, local projections), seconds of PROJ work
// before a thread ran at speed. Here the connection threads only read requests and write
// answers; a few long-lived threads compute, each to the end, with caches that stay warm.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace redline::server {

class ScreeningPool {
public:
    explicit ScreeningPool(unsigned threads) {
        for (unsigned i = 0; i < (threads > 0 ? threads : 1); ++i) {
            threads_.emplace_back([this] { work(); });
        }
    }
    ~ScreeningPool() {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        wakeup_.notify_all();
        for (auto& thread : threads_) {
            thread.join();
        }
    }
    ScreeningPool(const ScreeningPool&) = delete;
    ScreeningPool& operator=(const ScreeningPool&) = delete;

    // Runs `task` on a pool thread after the tasks given before it, and returns its result
    // (or throws what it threw) to the caller, who waits.
    template <typename Task>
    std::invoke_result_t<Task&> run(Task&& task) {
        // Shared: the caller may wake and return while the pool thread is still leaving it.
        auto packaged = std::make_shared<std::packaged_task<std::invoke_result_t<Task&>()>>(std::forward<Task>(task));
        auto result = packaged->get_future();
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            queue_.emplace_back([packaged] { (*packaged)(); });
        }
        wakeup_.notify_one();
        return result.get();
    }

private:
    void work() {
        for (;;) {
            std::function<void()> next;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                wakeup_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) {
                    return;  // stopping, and nothing left that a caller waits for
                }
                next = std::move(queue_.front());
                queue_.pop_front();
            }
            next();
        }
    }

    std::mutex mutex_;
    std::condition_variable wakeup_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;  // last: started once the members above exist
};

}  // namespace redline::server
