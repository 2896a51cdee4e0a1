// A message as JSON: its code, its arguments (nested messages as objects) and its text in
// the language of the output, so machines match codes and people read the words.
#pragma once

#include "redline/errors.hpp"
#include "redline/message.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace redline {

// JSON text that never fails on bytes: a value that is not UTF-8 (a file name, say)
// comes out with U+FFFD in its place instead of aborting the whole output.
template <class Json>
std::string json_text(const Json& doc, int indent = -1) {
    return doc.dump(indent, ' ', false, Json::error_handler_t::replace);
}

inline nlohmann::ordered_json message_json(const Message& message, Language language) {
    nlohmann::ordered_json out;
    out["code"] = message.code();
    nlohmann::ordered_json args = nlohmann::ordered_json::object();
    for (const auto& [name, value] : message.args()) {
        args[name] =
            value.is_message() ? message_json(value.message(), language) : nlohmann::ordered_json(value.words());
    }
    out["args"] = std::move(args);
    out["text"] = message.text(language);
    return out;
}

inline nlohmann::ordered_json problem_json(const Problem& problem, Language language) {
    nlohmann::ordered_json out;
    out["severity"] = severity_name(problem.severity);
    out["source"] = problem.source;
    out["feature"] =
        problem.feature.empty() ? nlohmann::ordered_json(nullptr) : message_json(problem.feature, language);
    out["message"] = message_json(problem.message, language);
    return out;
}

// A decision taken while reading an input ("crs", "axes", ...) and why.
inline std::string detection_label(const std::string& what, Language language) {
    const std::string code = "detect.what." + what;
    const std::string text = Message(code).text(language);
    return text == code ? what : text;
}

}  // namespace redline
