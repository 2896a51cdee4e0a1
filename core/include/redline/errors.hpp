// Failures that stop a job. Per-feature problems are values (see Problem), not exceptions.
#pragma once

#include <stdexcept>
#include <string>

namespace redline {

// Exit codes of the `redline` command, shared by every subcommand.
enum class ExitCode : int {
    ok = 0,
    conflicts = 1,  // the job ran and found conflicts
    usage = 2,      // the command line is wrong
    data = 3,       // an input or the workspace cannot be used as it is
    internal = 4,   // a bug or an environment failure (out of memory, library error)
};

// The command line or an option value is wrong; the message says which option to fix.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An input or workspace is unusable; the message names the file, layer, feature or line
// and what to do about it.
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A problem with one feature that does not stop the job: it is reported, never dropped.
struct Problem {
    std::string severity;  // "error", "warning" or "repair"
    std::string source;    // file or workspace path
    std::string feature;   // feature id or line, empty when the problem is file-wide
    std::string message;   // what is wrong and what was done or should be done
};

}  // namespace redline
