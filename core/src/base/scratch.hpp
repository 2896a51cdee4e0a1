// Disk-backed working storage, so that work proportional to an input's size (a register
// of a million outfalls) does not need memory proportional to it: a temporary file, and
// an external merge sort over fixed-size records.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace redline {

// A temporary file in TMPDIR (or /tmp), removed from the directory as soon as it is
// created: nothing is left behind, even when the process is killed.
class ScratchFile {
public:
    ScratchFile();
    ~ScratchFile();
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
    ScratchFile(ScratchFile&& other) noexcept;
    ScratchFile& operator=(ScratchFile&& other) noexcept;

    void write_at(std::uint64_t offset, const void* data, std::size_t bytes);
    void read_at(std::uint64_t offset, void* data, std::size_t bytes) const;

private:
    int fd_ = -1;
    std::string directory_;
};

// Fixed-size records stored by index in a scratch file.
template <typename Record>
class RecordFile {
    static_assert(std::is_trivially_copyable_v<Record>);

public:
    std::size_t size() const { return size_; }
    void append(const std::vector<Record>& records) { write(size_, records); }
    void write(std::size_t first, const std::vector<Record>& records) {
        if (records.empty()) {
            return;
        }
        file_.write_at(first * sizeof(Record), records.data(), records.size() * sizeof(Record));
        size_ = std::max(size_, first + records.size());
    }
    void write(std::size_t index, const Record& record) {
        file_.write_at(index * sizeof(Record), &record, sizeof(Record));
        size_ = std::max(size_, index + 1);
    }
    // Records [first, first + count), clipped to the end.
    void read(std::size_t first, std::size_t count, std::vector<Record>& out) const {
        out.resize(first >= size_ ? 0 : std::min(count, size_ - first));
        if (!out.empty()) {
            file_.read_at(first * sizeof(Record), out.data(), out.size() * sizeof(Record));
        }
    }
    Record read(std::size_t index) const {
        Record record;
        file_.read_at(index * sizeof(Record), &record, sizeof(Record));
        return record;
    }

private:
    ScratchFile file_;
    std::size_t size_ = 0;
};

// Sorts any number of records in a fixed amount of memory: records are collected into
// a buffer, which is sorted and written out as a run when full; drain() merges the runs.
template <typename Record, typename Less = std::less<Record>>
class ExternalSorter {
    static_assert(std::is_trivially_copyable_v<Record>);

public:
    // The buffer holds `buffer_bytes` of records (32 MiB unless told).
    explicit ExternalSorter(std::size_t buffer_bytes = std::size_t{32} << 20, Less less = {})
        : capacity_(std::max<std::size_t>(buffer_bytes / sizeof(Record), 64)), less_(less) {}

    void add(const Record& record) {
        buffer_.push_back(record);
        if (buffer_.size() == capacity_) {
            spill();
        }
    }

    // Ends adding; the records then come out of next() in order (equal ones in the order
    // they were added).
    void finish() {
        if (runs_.empty()) {
            std::stable_sort(buffer_.begin(), buffer_.end(), less_);
            in_memory_ = true;
            at_ = 0;
            return;
        }
        spill();
        std::vector<Record>().swap(buffer_);
        // One read buffer per run, sharing the memory the sort buffer had.
        per_run_ = std::max<std::size_t>(capacity_ / runs_.size(), 256);
        cursors_.assign(runs_.size(), Cursor{});
        for (std::size_t r = 0; r < runs_.size(); ++r) {
            cursors_[r].next = runs_[r].first;
            cursors_[r].end = runs_[r].first + runs_[r].second;
            if (refill(cursors_[r])) {
                push(r);
            }
        }
    }

    bool next(Record& out) {
        if (in_memory_) {
            if (at_ == buffer_.size()) {
                return false;
            }
            out = buffer_[at_++];
            return true;
        }
        if (heap_.empty()) {
            return false;
        }
        std::pop_heap(heap_.begin(), heap_.end(), [&](std::size_t a, std::size_t b) { return later(a, b); });
        const std::size_t r = heap_.back();
        heap_.pop_back();
        Cursor& c = cursors_[r];
        out = c.block[c.at];
        if (++c.at < c.block.size() || refill(c)) {
            push(r);
        }
        return true;
    }

    std::size_t runs() const { return runs_.size(); }

private:
    void spill() {
        if (buffer_.empty()) {
            return;
        }
        std::stable_sort(buffer_.begin(), buffer_.end(), less_);
        runs_.emplace_back(runs_file_.size(), buffer_.size());
        runs_file_.append(buffer_);
        buffer_.clear();
    }

    struct Cursor {
        std::size_t next = 0, end = 0;  // positions in the runs' file, in records
        std::vector<Record> block;
        std::size_t at = 0;
    };
    bool refill(Cursor& c) {
        runs_file_.read(c.next, std::min(per_run_, c.end - c.next), c.block);
        c.next += c.block.size();
        c.at = 0;
        return !c.block.empty();
    }
    // Heap order: the smallest current record on top; ties go to the earlier run, so the
    // merge is stable like the in-memory sort.
    bool later(std::size_t a, std::size_t b) const {
        const Record& ra = cursors_[a].block[cursors_[a].at];
        const Record& rb = cursors_[b].block[cursors_[b].at];
        if (less_(rb, ra)) {
            return true;
        }
        return !less_(ra, rb) && a > b;
    }
    void push(std::size_t run) {
        heap_.push_back(run);
        std::push_heap(heap_.begin(), heap_.end(), [&](std::size_t a, std::size_t b) { return later(a, b); });
    }

    std::size_t capacity_;
    Less less_;
    std::vector<Record> buffer_;
    RecordFile<Record> runs_file_;
    std::vector<std::pair<std::size_t, std::size_t>> runs_;  // first record, count
    bool in_memory_ = false;
    std::size_t at_ = 0, per_run_ = 0;
    std::vector<Cursor> cursors_;
    std::vector<std::size_t> heap_;
};

}  // namespace redline
