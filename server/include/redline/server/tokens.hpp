// API tokens: a random secret handed to a caller once, kept by the server only as its
// SHA-256 (a tokens file of "name sha256:HEX created" lines, mode 0600). A request shows
// it as `Authorization: Bearer TOKEN`.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace redline::server {

struct TokenEntry {
    std::string name;     // who holds it ("审批系统", "ci"): letters, digits, - _ . only
    std::string digest;   // "sha256:" + 64 hex digits of the token
    std::string created;  // UTC, RFC 3339
};

// The tokens file: read and written whole. Writes replace the file atomically (a new file
// renamed over it), so a server reading it never sees half a file.
class TokenFile {
public:
    explicit TokenFile(std::filesystem::path path);

    // The entries; none when the file does not exist. DataError naming the file and line
    // for a line that is not "name sha256:HEX [created]".
    std::vector<TokenEntry> read() const;
    // A new token for `name`: its entry is added and the token itself returned, once.
    // UsageError when the name is taken or not a plain name.
    std::string add(const std::string& name) const;
    // False when there was no such name.
    bool remove(const std::string& name) const;

    const std::filesystem::path& path() const { return path_; }

private:
    void write(const std::vector<TokenEntry>& entries) const;
    std::filesystem::path path_;
};

// What the server checks tokens against: the file's entries, read again when the file
// changes (a token added or revoked while serving takes effect within a reload).
class TokenCheck {
public:
    explicit TokenCheck(std::optional<std::filesystem::path> file);

    bool configured() const { return file_.has_value(); }
    // The name of the token's holder when `authorization` ("Bearer TOKEN") holds a known
    // token; else nothing. Compares digests in constant time.
    std::optional<std::string> holder(const std::string& authorization);

private:
    void reload_if_changed();
    std::optional<TokenFile> file_;
    std::mutex mutex_;
    std::string read_stamp_;  // inode, size and time of the file read: every write renames a new one in
    std::vector<TokenEntry> entries_;
};

std::string token_digest(const std::string& token);  // "sha256:" + hex

}  // namespace redline::server
