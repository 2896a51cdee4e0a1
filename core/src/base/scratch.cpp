#include "base/scratch.hpp"

#include "redline/errors.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace redline {
namespace {

[[noreturn]] void fail(const std::string& directory, const char* what) {
    throw DataError(
        Message("file.scratch_failed", {{"directory", directory}, {"what", what}, {"detail", std::strerror(errno)}}));
}

}  // namespace

ScratchFile::ScratchFile() {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) {
        dir = "/tmp";
    }
    directory_ = dir.string();
    std::string name = (dir / "redline-scratch-XXXXXX").string();
    fd_ = ::mkstemp(name.data());
    if (fd_ < 0) {
        fail(directory_, "creating");
    }
    ::unlink(name.c_str());
}

ScratchFile::~ScratchFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

ScratchFile::ScratchFile(ScratchFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), directory_(std::move(other.directory_)) {}

ScratchFile& ScratchFile::operator=(ScratchFile&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
        directory_ = std::move(other.directory_);
    }
    return *this;
}

void ScratchFile::write_at(std::uint64_t offset, const void* data, std::size_t bytes) {
    const char* p = static_cast<const char*>(data);
    while (bytes > 0) {
        const ssize_t n = ::pwrite(fd_, p, bytes, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fail(directory_, "writing");
        }
        p += n;
        offset += static_cast<std::uint64_t>(n);
        bytes -= static_cast<std::size_t>(n);
    }
}

void ScratchFile::read_at(std::uint64_t offset, void* data, std::size_t bytes) const {
    char* p = static_cast<char*>(data);
    while (bytes > 0) {
        const ssize_t n = ::pread(fd_, p, bytes, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            fail(directory_, "reading");
        }
        if (n == 0) {
            errno = EIO;
            fail(directory_, "reading past the end");
        }
        p += n;
        offset += static_cast<std::uint64_t>(n);
        bytes -= static_cast<std::size_t>(n);
    }
}

}  // namespace redline
