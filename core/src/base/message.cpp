#include "redline/message.hpp"

#include "redline/errors.hpp"
#include "redline/progress.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <regex>
#include <shared_mutex>
#include <string_view>

namespace redline {
namespace {

// The catalog: each wing keeps its templates in its own messages.inc, one
// {"code", "中文", "English"} entry per line; {name} marks an argument.
const MessageTemplate templates[] = {
#include "base/messages.inc"
#include "inputs/messages.inc"
#include "model/messages.inc"
#include "outfalls/messages.inc"
#include "quality/messages.inc"
#include "reports/messages.inc"
#include "screening/messages.inc"
#include "store/messages.inc"
#include "editing/messages.inc"
#include "access/messages.inc"
#include "indicators/messages.inc"
};

// The library's templates by code: built once, then only read, by any thread.
const std::map<std::string_view, const MessageTemplate*>& library_index() {
    static const std::map<std::string_view, const MessageTemplate*> index = [] {
        std::map<std::string_view, const MessageTemplate*> m;
        for (const auto& t : templates) {
            m.emplace(t.code, &t);
        }
        return m;
    }();
    return index;
}

// Those a driver adds (the CLI's options), few and looked up rarely.
struct Added {
    std::shared_mutex mutex;
    std::map<std::string_view, const MessageTemplate*> by_code;
};

Added& added() {
    static Added instance;
    return instance;
}

const MessageTemplate* find_template(std::string_view code) {
    const auto& library = library_index();
    if (const auto it = library.find(code); it != library.end()) {
        return it->second;
    }
    Added& more = added();
    std::shared_lock lock(more.mutex);
    const auto it = more.by_code.find(code);
    return it == more.by_code.end() ? nullptr : it->second;
}

std::string fill(std::string_view pattern, const Message::Args& args, Language language) {
    std::string out;
    out.reserve(pattern.size() + 32);
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] == '{') {
            const std::size_t close = pattern.find('}', i);
            if (close != std::string_view::npos) {
                const std::string_view name = pattern.substr(i + 1, close - i - 1);
                const auto it = std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
                if (it != args.end()) {
                    out += it->second.text(language);
                    i = close + 1;
                    continue;
                }
            }
        }
        out += pattern[i++];
    }
    return out;
}

}  // namespace

Message::Value::Value(Message message) : message_(std::make_shared<const Message>(std::move(message))) {}

std::string Message::Value::text(Language language) const {
    return message_ ? message_->text(language) : text_;
}

bool Message::Value::operator==(const Value& other) const {
    if (is_message() != other.is_message()) {
        return false;
    }
    return is_message() ? *message_ == *other.message_ : text_ == other.text_;
}

Message::Message(std::string code, Args args) : code_(std::move(code)), args_(std::move(args)) {}

Message Message::verbatim(std::string words) {
    return Message("verbatim", {{"text", std::move(words)}});
}

Message Message::list(const std::vector<Message>& items) {
    Message out("list");
    for (std::size_t i = 0; i < items.size(); ++i) {
        out.args_.emplace_back(std::to_string(i + 1), items[i]);
    }
    return out;
}

const Message::Value* Message::arg(std::string_view name) const {
    const auto it = std::find_if(args_.begin(), args_.end(), [&](const auto& a) { return a.first == name; });
    return it == args_.end() ? nullptr : &it->second;
}

Message& Message::with(std::string name, Value value) {
    args_.emplace_back(std::move(name), std::move(value));
    return *this;
}

std::string Message::text(Language language) const {
    if (code_.empty()) {
        return {};
    }
    if (code_ == "list") {
        std::string out;
        for (const auto& [name, value] : args_) {
            out += "\n  " + value.text(language);
        }
        return out;
    }
    const MessageTemplate* t = find_template(code_);
    if (t == nullptr) {
        std::string out = code_;
        for (const auto& [name, value] : args_) {
            out += " " + name + "=" + value.text(language);
        }
        return out;
    }
    return fill(language == Language::zh && *t->zh != '\0' ? t->zh : t->en, args_, language);
}

void add_message_templates(const MessageTemplate* first, const MessageTemplate* last) {
    Added& more = added();
    std::unique_lock lock(more.mutex);
    for (const MessageTemplate* t = first; t != last; ++t) {
        if (!library_index().contains(t->code)) {
            more.by_code.emplace(t->code, t);
        }
    }
}

std::vector<MessageTemplate> message_catalog() {
    std::vector<MessageTemplate> v(std::begin(templates), std::end(templates));
    Added& more = added();
    std::shared_lock lock(more.mutex);
    for (const auto& [code, t] : more.by_code) {
        v.push_back(*t);
    }
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return std::string_view(a.code) < b.code; });
    return v;
}

const char* severity_name(Severity severity) {
    switch (severity) {
        case Severity::repair:
            return "repair";
        case Severity::warning:
            return "warning";
        case Severity::error:
            return "error";
    }
    return "error";
}

const char* severity_label(Severity severity, Language language) {
    if (language == Language::en) {
        return severity_name(severity);
    }
    switch (severity) {
        case Severity::repair:
            return "修复";
        case Severity::warning:
            return "警告";
        case Severity::error:
            return "错误";
    }
    return "错误";
}

std::string redact_secrets(std::string_view text) {
    static const std::regex keyword(R"((password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s'"]+))", std::regex::icase);
    static const std::regex uri(R"(([a-z][a-z0-9+.-]*://[^/\s:@]*:)([^@\s/]+)(@))", std::regex::icase);
    std::string out = std::regex_replace(std::string(text), keyword, "$1***");
    return std::regex_replace(out, uri, "$1***$3");
}

Progress& no_progress() {
    thread_local NoProgress none;
    return none;
}

std::string problem_line(const Problem& problem, Language language) {
    std::string line = std::string("[") + severity_label(problem.severity, language) + "] " + problem.source;
    if (!problem.feature.empty()) {
        line += (language == Language::zh ? "，" : ", ") + problem.feature.text(language);
    }
    return line + (language == Language::zh ? "：" : ": ") + problem.message.text(language);
}

Message bilingual(const std::string& zh, const std::string& en) {
    return Message("bilingual", {{"zh", zh}, {"en", en}});
}

Message feature_ref(const std::string& id, const std::string& name) {
    return name.empty() ? Message("where.feature", {{"id", id}})
                        : Message("where.feature_named", {{"id", id}, {"name", name}});
}

Message line_ref(long line) {
    return Message("where.line", {{"line", std::to_string(line)}});
}

}  // namespace redline
