// SHA-256 digests, written as "sha256:<hex>".
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace redline {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, std::size_t size);
    void update(std::string_view text) { update(text.data(), text.size()); }
    // Adds a length-prefixed field so that ("ab","c") and ("a","bc") differ.
    void field(std::string_view text);
    std::string finish();  // "sha256:" + 64 hex digits

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

std::string sha256_file(const std::filesystem::path& path);  // DataError when unreadable

}  // namespace redline
