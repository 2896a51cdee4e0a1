#include "redline/server/tokens.hpp"

#include "base/digest.hpp"
#include "redline/errors.hpp"
#include "service.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace redline::server {
namespace {

bool plain_name(const std::string& name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

bool is_digest(const std::string& text) {
    constexpr std::string_view prefix = "sha256:";
    return text.size() == prefix.size() + 64 && text.starts_with(prefix) &&
           std::all_of(text.begin() + prefix.size(), text.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'); });
}

bool same_text(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char differ = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        differ |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return differ == 0;
}

// What tells a changed file: its inode (a rewrite renames a new file in), size and time.
std::string file_stamp(const std::filesystem::path& path) {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) {
        return {};
    }
    return std::to_string(info.st_ino) + ":" + std::to_string(info.st_size) + ":" +
           std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec);
}

}  // namespace

std::string token_digest(const std::string& token) {
    Sha256 digest;
    digest.update(token);
    return digest.finish();
}

TokenFile::TokenFile(std::filesystem::path path) : path_(std::move(path)) {
    add_server_messages();
}

std::vector<TokenEntry> TokenFile::read() const {
    std::vector<TokenEntry> entries;
    std::ifstream in(path_);
    if (!in) {
        std::error_code error;
        if (std::filesystem::exists(path_, error)) {
            throw DataError(Message("server.tokens_unreadable", {{"file", path_.string()}}));
        }
        return entries;
    }
    std::string line;
    long number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream fields(line);
        TokenEntry entry;
        fields >> entry.name >> entry.digest >> entry.created;
        if (!plain_name(entry.name) || !is_digest(entry.digest)) {
            throw DataError(Message("server.tokens_bad_line", {{"file", path_.string()}, {"line", number}}));
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

void TokenFile::write(const std::vector<TokenEntry>& entries) const {
    const std::filesystem::path temporary = path_.string() + ".new";
    {
        // Created 0600 from the start: digests are not secrets, but who holds a token is.
        const mode_t old_mask = umask(077);
        std::ofstream out(temporary, std::ios::trunc);
        umask(old_mask);
        out << "# redline serve API tokens: name, SHA-256 of the token, created (UTC). Made by `redline token`.\n";
        for (const auto& entry : entries) {
            out << entry.name << ' ' << entry.digest << ' ' << entry.created << '\n';
        }
        if (!out.flush()) {
            throw DataError(Message("server.tokens_unwritable", {{"file", path_.string()}}));
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path_, error);
    if (error) {
        throw DataError(Message("server.tokens_unwritable", {{"file", path_.string()}}));
    }
}

std::string TokenFile::add(const std::string& name) const {
    if (!plain_name(name)) {
        throw UsageError(Message("server.token_name", {{"name", name}}));
    }
    auto entries = read();
    if (std::any_of(entries.begin(), entries.end(), [&](const TokenEntry& e) { return e.name == name; })) {
        throw UsageError(Message("server.token_taken", {{"name", name}, {"file", path_.string()}}));
    }
    // 32 random bytes: guessing one is hopeless, so a plain SHA-256 of it is as good as a
    // slow password hash.
    const std::string token = "rl_" + random_hex(32);
    entries.push_back({name, token_digest(token), utc_timestamp()});
    write(entries);
    return token;
}

bool TokenFile::remove(const std::string& name) const {
    auto entries = read();
    const auto kept =
        std::remove_if(entries.begin(), entries.end(), [&](const TokenEntry& e) { return e.name == name; });
    if (kept == entries.end()) {
        return false;
    }
    entries.erase(kept, entries.end());
    write(entries);
    return true;
}

TokenCheck::TokenCheck(std::optional<std::filesystem::path> file) {
    if (file) {
        file_.emplace(*file);
        read_stamp_ = file_stamp(*file);
        entries_ = file_->read();  // a broken file stops the start, with its line
    }
}

void TokenCheck::reload_if_changed() {
    const std::string stamp = file_stamp(file_->path());
    if (stamp.empty()) {
        entries_.clear();  // the file was removed: no token is valid any more
        read_stamp_.clear();
        return;
    }
    if (stamp != read_stamp_) {
        try {
            entries_ = file_->read();
            read_stamp_ = stamp;
        } catch (const DataError&) {
            // Half-edited by hand: keep the tokens read last, try again next time.
        }
    }
}

std::optional<std::string> TokenCheck::holder(const std::string& authorization) {
    if (!file_) {
        return std::nullopt;
    }
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.size() <= scheme.size() || !authorization.starts_with(scheme)) {
        return std::nullopt;
    }
    const std::string digest = token_digest(authorization.substr(scheme.size()));
    const std::lock_guard<std::mutex> lock(mutex_);
    reload_if_changed();
    std::optional<std::string> found;
    for (const auto& entry : entries_) {
        if (same_text(entry.digest, digest)) {
            found = entry.name;
        }
    }
    return found;
}

}  // namespace redline::server
