// Failures that stop a job, and problems that do not. Per-feature problems are values
// (see Problem), not exceptions. Both carry a Message: a code and arguments, written in
// the user's language where they are shown.
#pragma once

#include "redline/message.hpp"

#include <stdexcept>
#include <string>

namespace redline {

// Base of the failures a user can act on; what() is the English text.
class Failure : public std::runtime_error {
public:
    explicit Failure(Message message) : std::runtime_error(message.text(Language::en)), message_(std::move(message)) {}
    const Message& message() const { return message_; }

private:
    Message message_;
};

// The command line or an option value is wrong; the message says which option to fix.
class UsageError : public Failure {
public:
    explicit UsageError(Message message) : Failure(std::move(message)) {}
};

// An input or workspace is unusable; the message names the file, layer, feature or line
// and what to do about it.
class DataError : public Failure {
public:
    explicit DataError(Message message) : Failure(std::move(message)) {}
};

// The job was cancelled through its Progress; nothing it was writing was kept.
class Cancelled : public Failure {
public:
    Cancelled() : Failure(Message("job.cancelled")) {}
};

// A problem with one feature that does not stop the job: it is reported, never dropped.
struct Problem {
    Severity severity = Severity::warning;
    std::string source;  // file or workspace path
    Message feature;     // where: feature_ref(), line_ref(); empty when the problem is file-wide
    Message message;     // what is wrong and what was done or should be done
};

// "[警告] source, 要素 7: ...": one line for a terminal or a text report.
std::string problem_line(const Problem& problem, Language language);

}  // namespace redline
