#include "command.hpp"

#include "redline/rules.hpp"

#include <iostream>

namespace redline::cli {
namespace {

class RulesCommand : public Command {
public:
    explicit RulesCommand(CLI::App& app)
        : Command(app.add_subcommand("rules", "List, show and check the rules behind verdicts  规则查看与校验")) {
        subcommand_->require_subcommand(1);
        list_ = subcommand_->add_subcommand("list", "List the rules in effect (national defaults plus --rules files)");
        list_->add_option("--rules", rule_files_, "Local rule file (repeatable)");
        list_->add_option("--kind", kind_, "Only the rules of this zone kind");
        show_ = subcommand_->add_subcommand("show", "Show one rule in full");
        show_->add_option("id", id_, "Rule id, e.g. water_source.level1.construction")->required();
        show_->add_option("--rules", rule_files_, "Local rule file (repeatable)");
        check_ = subcommand_->add_subcommand("check", "Validate rule files: every problem with file and line");
        check_->add_option("files", check_files_, "Rule files (default: the national defaults)");
        subcommand_->footer("Exit codes: 0 ok, 2 usage error, 3 a rule file has problems or a rule is unknown.");
    }

    ExitCode run(const GlobalOptions& global) override {
        const SchemaSet schemas = global.load_schemas();
        const bool zh = global.language() == Language::zh;
        if (check_->parsed()) {
            std::vector<std::filesystem::path> files(check_files_.begin(), check_files_.end());
            if (files.empty()) {
                for (const auto& id : schemas.kind_ids()) {
                    const auto path = schemas.kind(id).directory / "rules.toml";
                    if (std::filesystem::exists(path)) {
                        files.push_back(path);
                    }
                }
            }
            const auto problems = RuleSet::validate(schemas, files);
            for (const auto& p : problems) {
                std::cerr << p << '\n';
            }
            std::cout << files.size() << (zh ? " 个规则文件，" : " rule file(s), ") << problems.size()
                      << (zh ? " 个问题" : " problem(s)") << '\n';
            return problems.empty() ? ExitCode::ok : ExitCode::data;
        }
        const RuleSet rules = RuleSet::load(schemas, {rule_files_.begin(), rule_files_.end()});
        if (show_->parsed()) {
            const Rule* rule = rules.find(id_);
            if (rule == nullptr) {
                throw DataError("no rule with id '" + id_ + "'; `redline rules list` shows them");
            }
            print(*rule, zh);
            return ExitCode::ok;
        }
        std::cout << (zh ? "规则集 " : "rule set ") << rules.digest() << '\n';
        for (const auto& f : rules.files()) {
            std::cout << "  " << (f.local ? "local   " : "default ") << f.path.string() << "  "
                      << f.digest.substr(0, 19) << '\n';
        }
        std::cout << '\n';
        for (const auto& rule : rules.rules()) {
            if (!kind_.empty() && rule.kind != kind_) {
                continue;
            }
            std::cout << verdict_name(rule.verdict) << "  " << rule.id << (rule.verify ? "  (verify)" : "")
                      << (rule.replaces.empty() ? "" : "  (local, replaces " + rule.replaces + ")") << "\n    "
                      << (zh ? rule.basis_zh : rule.basis_en) << '\n';
        }
        return ExitCode::ok;
    }

private:
    static void print(const Rule& rule, bool zh) {
        auto list = [](const std::vector<std::string>& items, const char* none) {
            std::string out;
            for (const auto& i : items) {
                out += (out.empty() ? "" : ", ") + i;
            }
            return out.empty() ? std::string(none) : out;
        };
        std::cout << "id          " << rule.id << "\nkind        " << rule.kind << "\nsubzones    "
                  << list(rule.subzones, "(any)") << "\nactivities  " << list(rule.activities, "(any)")
                  << "\nrelations   " << list(rule.relations, "within, overlaps, contains") << '\n';
        if (rule.within_m) {
            std::cout << "within_m    " << *rule.within_m << " (a setting, not a legal distance)\n";
        }
        for (const auto& [fact, values] : rule.when) {
            std::cout << "when        " << fact << " = " << list(values, "") << '\n';
        }
        for (const auto& [fact, values] : rule.unless) {
            std::cout << "unless      " << fact << " = " << list(values, "") << '\n';
        }
        std::cout << "verdict     " << verdict_name(rule.verdict)
                  << (rule.action.empty() ? "" : ", action " + rule.action) << "\nmessage     "
                  << (zh ? rule.message_zh : rule.message_en) << "\nbasis       "
                  << (zh ? rule.basis_zh : rule.basis_en) << (rule.verify ? "  (provision to be verified)" : "")
                  << '\n';
        if (!rule.requires_zh.empty()) {
            std::cout << "requires    " << (zh ? rule.requires_zh : rule.requires_en) << '\n';
        }
        std::cout << "defined at  " << rule.file.string() << ':' << rule.line << '\n';
    }

    CLI::App* list_ = nullptr;
    CLI::App* show_ = nullptr;
    CLI::App* check_ = nullptr;
    std::vector<std::string> rule_files_, check_files_;
    std::string kind_, id_;
};

}  // namespace

std::unique_ptr<Command> make_rules_command(CLI::App& app) {
    return std::make_unique<RulesCommand>(app);
}

}  // namespace redline::cli
