// The command line's help in the language of --lang: the language read before CLI11 parses,
// and CLI11's layout with its own words translated and Chinese aligned by screen columns.
#include "help_format.hpp"

#include <string_view>
#include <vector>

namespace redline::cli {
namespace {

Language help_language_ = Language::zh;

}  // namespace

// The language --lang asks for, read from argv before CLI11 parses it (anywhere, since options
// of the app may follow the subcommand): `--lang en` or `--lang=en` is English, anything else
// or nothing Chinese.
Language requested_language(int argc, char** argv) {
    Language language = Language::zh;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") {
            break;  // what follows is positional
        }
        if (arg == "--lang" && i + 1 < argc) {
            language = std::string_view(argv[++i]) == "en" ? Language::en : Language::zh;
        } else if (arg.starts_with("--lang=")) {
            language = arg.substr(7) == "en" ? Language::en : Language::zh;
        }
    }
    return language;
}

namespace {

// Terminal columns of UTF-8 text, as help needs them: a character of three or more bytes
// (Chinese, full-width punctuation) takes two.
std::size_t columns(std::string_view text) {
    std::size_t n = 0;
    for (const unsigned char c : text) {
        if ((c & 0xC0) != 0x80) {
            n += c >= 0xE0 ? 2 : 1;
        }
    }
    return n;
}

// CLI11's help layout with its own words in the language of --help, headings ending in a
// full-width colon in Chinese, and the description column found by columns rather than bytes
// (CLI11 pads with setw, which puts Chinese out of line).
class HelpFormatter : public CLI::Formatter {
public:
    HelpFormatter() : zh_(help_language() == Language::zh) {
        if (zh_) {
            label("Usage", "用法");
            label("OPTIONS", "选项");
            label("SUBCOMMAND", "子命令");
            label("SUBCOMMANDS", "子命令");
            label("Positionals", "位置参数");
            label("REQUIRED", "必填");
            label("Env", "环境变量");
            label("Needs", "需要");
            label("Excludes", "不可同用");
        }
    }

    std::string make_group(std::string group, bool is_positional, std::vector<const CLI::Option*> opts) const override {
        std::string out = "\n" + heading(group) + "\n";
        for (const CLI::Option* opt : opts) {
            out += make_option(opt, is_positional);
        }
        return out;
    }

    std::string make_usage(const CLI::App* app, std::string name) const override {
        std::string usage = CLI::Formatter::make_usage(app, name);
        const std::string english = get_label("Usage") + ": ";
        if (zh_ && usage.starts_with(english)) {
            usage.replace(0, english.size(), get_label("Usage") + "：");
        }
        return usage;
    }

    std::string make_subcommands(const CLI::App* app, CLI::AppFormatMode mode) const override {
        std::string out = CLI::Formatter::make_subcommands(app, mode);
        if (zh_) {
            for (const CLI::App* sub : app->get_subcommands({})) {
                const std::string english = "\n" + sub->get_group() + ":\n";
                for (auto at = out.find(english); at != std::string::npos; at = out.find(english)) {
                    out.replace(at, english.size(), "\n" + heading(sub->get_group()) + "\n");
                }
            }
        }
        return out;
    }

    std::string make_subcommand(const CLI::App* sub) const override {
        return entry(sub->get_display_name(true), sub->get_description());
    }

    std::string make_option(const CLI::Option* opt, bool is_positional) const override {
        return entry(make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt));
    }

private:
    std::string heading(const std::string& name) const { return name + (zh_ ? "：" : ":"); }

    // "  NAME   description", the description on a line of its own when NAME fills the column.
    std::string entry(const std::string& name, const std::string& description) const {
        std::string out = "  " + name;
        const std::size_t used = columns(out);
        if (!description.empty()) {
            out +=
                used < column_width_ ? std::string(column_width_ - used, ' ') : "\n" + std::string(column_width_, ' ');
            for (const char c : description) {
                out += c;
                if (c == '\n') {
                    out += std::string(column_width_, ' ');
                }
            }
        }
        return out + "\n";
    }

    bool zh_;
};

}  // namespace

std::shared_ptr<CLI::Formatter> make_help_formatter() {
    return std::make_shared<HelpFormatter>();
}

// CLI11 gives a subcommand its help flag before it copies the parent's option defaults, so the
// flag stays in the group "Options"; this puts it with the other options.
void group_help_flags(CLI::App& app, const std::string& group) {
    for (CLI::App* sub : app.get_subcommands({})) {
        if (CLI::Option* help = sub->get_help_ptr()) {
            help->group(group);
        }
        group_help_flags(*sub, group);
    }
}

Language help_language() {
    return help_language_;
}

void set_help_language(Language language) {
    help_language_ = language;
}

}  // namespace redline::cli
