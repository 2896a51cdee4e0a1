#include "command.hpp"

#include "redline/model/rules.hpp"
#include "redline/reports/report.hpp"

#include <iostream>
#include <set>

namespace redline::cli {
namespace {

class RulesCommand : public Command {
public:
    explicit RulesCommand(CLI::App& app)
        : Command(app.add_subcommand(
              "rules", say("列出、显示和校验结论所依据的规则", "List, show and check the rules behind verdicts"))) {
        subcommand_->require_subcommand(1);
        const char* local_rules = say("本地规则文件（可重复）", "Local rule file (repeatable)");
        list_ = subcommand_->add_subcommand("list", say("列出某日有效的规则（国家默认规则及 --rules 文件中的规则）",
                                                        "List the rules in force on a day (national defaults plus "
                                                        "--rules files)"));
        list_->add_option("--rules", rule_files_, local_rules);
        list_->add_option("--kind", kind_, say("只列出此分区类型的规则", "Only the rules of this zone kind"));
        list_->add_option("--as-of", as_of_, as_of_help());
        list_->add_option("--format", format_, say("table（默认）或 json", "table (default) or json"))
            ->check(CLI::IsMember({"table", "json"}));
        show_ = subcommand_->add_subcommand("show", say("完整显示一条规则：条件、结论、依据及其沿革",
                                                        "Show one rule in full: conditions, verdict, basis and its "
                                                        "history"));
        show_
            ->add_option("id", id_,
                         say("规则编号，例如 water_source.level1.construction",
                             "Rule id, e.g. water_source.level1.construction"))
            ->required();
        show_->add_option("--rules", rule_files_, local_rules);
        show_->add_option("--as-of", as_of_, as_of_help());
        check_ = subcommand_->add_subcommand("check", say("校验规则文件：列出每个问题及其所在文件和行号",
                                                          "Validate rule files: every problem with file and line"));
        check_->add_option("files", check_files_,
                           say("规则文件（默认：国家默认规则）", "Rule files (default: the national defaults)"));
        status_ = subcommand_->add_subcommand("verify-status",
                                              say("列出尚未与原文核对的全部条文，以及以之为依据的规则",
                                                  "List every provision not yet checked against its text, and the "
                                                  "rules resting on it"));
        status_->add_option("--rules", rule_files_, local_rules);
        status_->add_option("--as-of", as_of_,
                            say("只列出该日有效的规则（默认：所有时期）",
                                "Only the rules in force on this day (default: every period)"));
        subcommand_->footer(
            say("退出码：0 正常，2 用法错误，3 规则文件有问题或规则不存在。\n"
                "示例：redline rules list --as-of 2024-05-01 --kind water_source",
                "Exit codes: 0 ok, 2 usage error, 3 a rule file has problems or a rule is unknown.\n"
                "Example: redline rules list --as-of 2024-05-01 --kind water_source"));
    }

    ExitCode run(const GlobalOptions& global) override {
        const SchemaSet schemas = global.load_schemas();
        const Language language = global.language();
        const bool zh = language == Language::zh;
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
            const auto problems = RuleSet::check(schemas, files);
            for (const auto& p : problems) {
                std::cerr << p.text(language) << '\n';
            }
            std::cout << files.size() << (zh ? " 个规则文件，" : " rule file(s), ") << problems.size()
                      << (zh ? " 个问题" : " problem(s)") << '\n';
            return problems.empty() ? ExitCode::ok : ExitCode::data;
        }
        const RuleSet rules = RuleSet::load(schemas, {rule_files_.begin(), rule_files_.end()}, parse_as_of(as_of_));
        if (show_->parsed()) {
            bool found = false;
            for (const auto& rule : rules.rules()) {
                if (rule.id == id_) {
                    print(rule, rules, language);
                    found = true;
                }
            }
            if (!found) {
                throw DataError(Message("cli.no_such_rule", {{"id", id_}}));
            }
            return ExitCode::ok;
        }
        if (status_->parsed()) {
            return verify_status(rules, language);
        }
        if (format_ == "json") {
            write_rules_json(std::cout, rules, kind_, language);
            return ExitCode::ok;
        }
        std::cout << (zh ? "法律适用日期 " : "legal date ") << rules.as_of().text() << '\n'
                  << (zh ? "规则集 " : "rule set ") << rules.digest() << '\n';
        for (const auto& f : rules.files()) {
            std::cout << "  " << (f.local ? (zh ? "本地  " : "local   ") : (zh ? "默认  " : "default "))
                      << f.path.string() << "  " << f.digest.substr(0, 19) << '\n';
        }
        std::cout << '\n';
        std::size_t listed = 0, out_of_force = 0;
        for (const auto& rule : rules.rules()) {
            if (!kind_.empty() && rule.kind != kind_) {
                continue;
            }
            if (!rules.in_force(rule)) {
                ++out_of_force;
                continue;
            }
            ++listed;
            const RuleBasis* basis = rule.basis_on(rules.as_of());
            std::cout << verdict_name(rule.verdict) << "  " << rule.id
                      << (rule.verified_on(rules.as_of()) ? "" : (zh ? "  （待核实）" : "  (to be verified)"))
                      << (rule.replaces.empty() ? ""
                                                : (zh ? "  （本地规则，取代 " + rule.replaces + "）"
                                                      : "  (local, replaces " + rule.replaces + ")"))
                      << "\n    " << basis_text(*basis, rules.sources(), language) << "  [" << basis->in_force.text()
                      << "]\n";
        }
        std::cout << '\n'
                  << listed << (zh ? " 条规则在 " : " rule(s) in force on ") << rules.as_of().text()
                  << (zh ? " 有效" : "") << "; " << out_of_force
                  << (zh ? " 条不在该日有效（rules show ID 查看其历史）"
                         : " not in force that day (rules show ID: history)")
                  << '\n';
        return ExitCode::ok;
    }

private:
    static std::string list(const std::vector<std::string>& items, const char* none) {
        std::string out;
        for (const auto& i : items) {
            out += (out.empty() ? "" : ", ") + i;
        }
        return out.empty() ? std::string(none) : out;
    }

    static void print(const Rule& rule, const RuleSet& rules, Language language) {
        const bool zh = language == Language::zh;
        // Labels padded to one column in either language.
        auto label = [&](const char* chinese, const char* english) {
            std::string text = zh ? chinese : english;
            const std::size_t width = zh ? 10 : 12;  // a Chinese character takes two columns
            std::size_t columns = 0;
            for (unsigned char c : text) {
                columns += (c & 0xC0) == 0x80 ? 0 : (c >= 0xE0 ? 2 : 1);
            }
            return text + std::string(columns < width ? width - columns : 1, ' ');
        };
        const char* any = zh ? "（任意）" : "(any)";
        std::cout << label("编号", "id") << rule.id << '\n'
                  << label("分区类型", "kind") << rule.kind << '\n'
                  << label("分区", "subzones") << list(rule.subzones, any) << '\n'
                  << label("活动", "activities") << list(rule.activities, any) << '\n'
                  << label("空间关系", "relations") << list(rule.relations, "within, overlaps, contains") << '\n';
        if (rule.within_m) {
            std::cout << label("距离设置", "within_m") << *rule.within_m
                      << (zh ? " 米（可调设置，非法定距离）" : " (a setting, not a legal distance)") << '\n';
        }
        for (const auto& [fact, values] : rule.when) {
            std::cout << label("适用条件", "when") << fact << " = " << list(values, "") << '\n';
        }
        for (const auto& [fact, values] : rule.unless) {
            std::cout << label("除外条件", "unless") << fact << " = " << list(values, "") << '\n';
        }
        std::cout << label("结论", "verdict") << verdict_name(rule.verdict)
                  << (rule.action.empty() ? "" : (zh ? "，措施 " : ", action ") + rule.action) << '\n'
                  << label("说明", "message") << (zh ? rule.message_zh : rule.message_en) << '\n';
        if (!rule.requires_zh.empty()) {
            std::cout << label("要求", "requires") << (zh ? rule.requires_zh : rule.requires_en) << '\n';
        }
        if (rule.verify) {
            std::cout << label("待核实", "verify")
                      << (zh ? "本规则对条文的适用尚待核实" : "the rule's reading of its provisions is to be verified")
                      << '\n';
        }
        std::cout << label("是否有效", "in force")
                  << (zh ? (rules.in_force(rule) ? "是" : "否") : (rules.in_force(rule) ? "yes" : "no"))
                  << (zh ? "，于 " : " on ") << rules.as_of().text()
                  << (rule.replaces.empty() ? ""
                                            : (zh ? "（本地规则，在其有效日期内取代 " + rule.replaces + "）"
                                                  : " (local, replaces " + rule.replaces + " on its days)"))
                  << '\n';
        // Every period, newest first: the current basis, then its history.
        for (const auto& basis : rule.basis) {
            const bool current = basis.in_force.contains(rules.as_of());
            std::cout << (current ? label("依据", "basis") : label("沿革", "history")) << basis.in_force.text() << "  "
                      << basis_text(basis, rules.sources(), language)
                      << (basis.verified() ? "" : (zh ? "  （含待核实条文）" : "  (cites provisions to be verified)"))
                      << '\n';
            if (!basis.note_zh.empty()) {
                std::cout << std::string(zh ? 10 : 12, ' ') << (zh ? basis.note_zh : basis.note_en) << '\n';
            }
        }
        std::cout << label("定义位置", "defined at") << rule.file.string() << ':' << rule.line << '\n';
    }

    // Every unverified provision (source and article) with the rules and periods resting on
    // it, then the rules whose reading of verified provisions is itself unconfirmed.
    ExitCode verify_status(const RuleSet& rules, Language language) const {
        const bool zh = language == Language::zh;
        const bool one_day = !as_of_.empty();
        std::map<std::string, std::set<std::string>> provisions;  // citation text -> rule ids
        std::vector<std::string> readings;
        for (const auto& rule : rules.rules()) {
            if (one_day && !rules.in_force(rule)) {
                continue;
            }
            for (const auto& basis : rule.basis) {
                if (one_day && !basis.in_force.contains(rules.as_of())) {
                    continue;
                }
                for (const auto& c : basis.citations) {
                    if (!c.verified) {
                        Citation shown = c;
                        shown.verified = true;  // the list says it once, not per entry
                        shown.role.clear();
                        provisions[citations_text({shown}, rules.sources(), language)].insert(
                            rule.id + " [" + basis.in_force.text() + "]");
                    }
                }
            }
            if (rule.verify) {
                readings.push_back(rule.id);
            }
        }
        std::cout << (zh ? "待核实条文（尚未与原文核对）" : "Provisions to be verified (not yet read in their text)")
                  << (one_day ? (zh ? "，" : ", ") + std::string(zh ? "适用日期 " : "on ") + rules.as_of().text() : "")
                  << (zh ? "：" : ":") << '\n';
        for (const auto& [provision, ids] : provisions) {
            std::cout << "  " << provision << '\n';
            for (const auto& id : ids) {
                std::cout << "      " << id << '\n';
            }
        }
        std::cout << '\n'
                  << (zh ? "对已核实条文的适用尚待核实的规则："
                         : "Rules whose reading of their provisions is to be verified:")
                  << '\n';
        for (const auto& id : readings) {
            std::cout << "  " << id << '\n';
        }
        std::cout << '\n'
                  << provisions.size() << (zh ? " 处待核实条文，" : " provision(s) to be verified, ") << readings.size()
                  << (zh ? " 条规则的适用待核实。来源与核对记录见 layers/legal_sources.toml。"
                         : " rule reading(s) to be verified. Sources and where they were checked: "
                           "layers/legal_sources.toml.")
                  << '\n';
        return ExitCode::ok;
    }

    CLI::App* list_ = nullptr;
    CLI::App* show_ = nullptr;
    CLI::App* check_ = nullptr;
    CLI::App* status_ = nullptr;
    std::vector<std::string> rule_files_, check_files_;
    std::string kind_, id_, as_of_;
    std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> make_rules_command(CLI::App& app) {
    return std::make_unique<RulesCommand>(app);
}

}  // namespace redline::cli
