// What results say, as data: a stable code with named arguments. The words, Chinese or
// English, are chosen where a message is written, from the templates of the catalog
// (core/src/<wing>/messages.inc), so a result can be written in either language, and
// JSON keeps the code and its arguments for machines.
#pragma once

#include "redline/language.hpp"

#include <concepts>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redline {

class Message {
public:
    // An argument: words or a number as given, or another message, written in the same
    // language as the one that holds it (a reason inside "not checked: {reason}").
    class Value {
    public:
        Value(std::string text) : text_(std::move(text)) {}
        Value(const char* text) : text_(text) {}
        template <std::integral Number>
        Value(Number number) : text_(std::to_string(number)) {}
        Value(Message message);

        bool is_message() const { return message_ != nullptr; }
        const std::string& words() const { return text_; }  // "" for a message
        const Message& message() const { return *message_; }
        std::string text(Language language) const;
        bool operator==(const Value& other) const;

    private:
        std::string text_;
        std::shared_ptr<const Message> message_;
    };
    using Args = std::vector<std::pair<std::string, Value>>;

    Message() = default;
    explicit Message(std::string code, Args args = {});
    // Words given as they are, in whatever language they came: a library's own error text,
    // a value read from a file. Code "verbatim", argument "text".
    static Message verbatim(std::string words);
    // Items written one per line, indented, under what holds the list.
    static Message list(const std::vector<Message>& items);

    const std::string& code() const { return code_; }
    const Args& args() const { return args_; }
    const Value* arg(std::string_view name) const;  // nullptr when absent
    bool empty() const { return code_.empty(); }
    Message& with(std::string name, Value value);

    // The message in a language: its template with {name} replaced by the arguments.
    // A code without a template is written as the code and its arguments.
    std::string text(Language language) const;

    bool operator==(const Message&) const = default;

private:
    std::string code_;
    Args args_;
};

struct MessageTemplate {
    const char* code;
    const char* zh;
    const char* en;
};
// Every template, in code order (tests check that every code used has one).
std::vector<MessageTemplate> message_catalog();
// Templates a driver brings for its own messages (the command line's options); they live
// as long as the program. A code already known keeps its first template.
void add_message_templates(const MessageTemplate* first, const MessageTemplate* last);

// How bad a problem is. Only errors make a footprint or row unchecked.
enum class Severity { repair, warning, error };
const char* severity_name(Severity severity);                      // repair, warning, error
const char* severity_label(Severity severity, Language language);  // 修复, 警告, 错误

// Text with its secrets hidden: the password of a PostgreSQL connection string
// (password=..., also quoted) or of a URI (postgresql://user:secret@host) becomes ***.
// Everything redline shows or records of a connection passes through it.
std::string redact_secrets(std::string_view text);

// A name the data gives in both languages (a kind's or sub-zone's name_zh and name_en).
Message bilingual(const std::string& zh, const std::string& en);

// Where a problem is: a feature of a layer, a line of a file, a row of a register.
Message feature_ref(const std::string& id, const std::string& name = "");
Message line_ref(long line);

}  // namespace redline
