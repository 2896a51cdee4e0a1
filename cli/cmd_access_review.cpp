// `redline access-list review`: every clause's text beside the structure redline uses it
// with, for mapping staff; and their decisions (confirm, correct) stored as a version.
#include "command.hpp"

#include "redline/access/review.hpp"
#include "redline/reports/access_review_report.hpp"
#include "redline/reports/screening_report.hpp"
#include "redline/store/workspace.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace redline::cli {
namespace {

class AccessReviewCommand : public Command {
public:
    explicit AccessReviewCommand(CLI::App& app)
        : Command(access_list_parent(app).add_subcommand(
              "review", say("逐条对照准入清单原文与 redline 使用的结构；确认或更正条款（记为新版本）",
                            "Each clause's text beside the structure redline uses; confirm or correct clauses "
                            "(stored as a version)"))) {
        auto* sub = subcommand_;
        sub->add_option("workspace", workspace_,
                        say("工作空间（GeoPackage 或 PG:...）", "Workspace (GeoPackage or PG:...)"))
            ->required();
        sub->add_option("--list", lists_,
                        say("只看这些清单：单元编码或总体清单编号（可重复）",
                            "Only these lists: unit codes or general list ids (repeatable)"));
        sub->add_flag("--pending", pending_, say("只列未复核的条款", "Only clauses nobody has reviewed"));
        sub->add_flag("--judgement", judgement_,
                      say("只列无法自动结构化、需人工判断的条款", "Only clauses the reader could not structure"));
        sub->add_option("--format", format_,
                        say("table（默认）或 json（可编辑后用 --apply 提交）",
                            "table (default) or json (edit it, then --apply)"))
            ->check(CLI::IsMember({"table", "json"}));
        sub->add_option("--report", report_, say("将复核表写为 .html 或 .pdf", "Write the sheet as .html or .pdf"));
        const char* decide =
            say("复核决定（同一次运行中的全部决定记为一个版本）", "Decisions (all of one run are one version)");
        sub->add_option("--confirm", confirms_,
                        say("确认条款按 redline 的结构使用（编号，可重复）",
                            "Confirm that a clause is used as structured (its key; repeatable)"))
            ->group(decide);
        sub->add_option("--correct", correct_,
                        say("更正该条款的结构（编号），与 --structure 同用",
                            "Correct the structure of this clause (its key), with --structure"))
            ->group(decide);
        sub->add_option("--structure", structure_,
                        say("更正后的结构（JSON），例如 "
                            "{\"action\":\"prohibit\",\"scales\":[\"new\"],\"industries\":[\"C26\",\"C3360\"]}",
                            "The corrected structure (JSON), e.g. "
                            "{\"action\":\"prohibit\",\"scales\":[\"new\"],\"industries\":[\"C26\",\"C3360\"]}"))
            ->group(decide);
        sub->add_option("--apply", apply_,
                        say("复核决定文件（JSON 数组，每项 key、state，更正时带 structure）",
                            "A decisions file (JSON array: key, state, and structure when corrected)"))
            ->group(decide);
        sub->add_option("--author", author_, say("复核人", "Who reviewed"))->group(decide);
        sub->add_option("--note", note_, say("说明，记入版本", "A note, recorded with the version"))->group(decide);
    }

    ExitCode run(const GlobalOptions& global) override {
        const Language language = global.language();
        if (!correct_.empty() && structure_.empty()) {
            throw UsageError(Message("cli.option_needs", {{"option", "--correct"}, {"needs", "--structure"}}));
        }
        if (correct_.empty() && !structure_.empty()) {
            throw UsageError(Message("cli.option_needs", {{"option", "--structure"}, {"needs", "--correct"}}));
        }
        std::vector<access::ReviewDecision> decisions;
        for (const auto& key : confirms_) {
            decisions.push_back({key, ClauseReviewState::confirmed, "", ""});
        }
        if (!correct_.empty()) {
            decisions.push_back({correct_, ClauseReviewState::corrected, structure_, ""});
        }
        if (!apply_.empty()) {
            std::ifstream in(apply_, std::ios::binary);
            if (!in) {
                throw UsageError(Message("file.cannot_read", {{"file", apply_}}));
            }
            std::ostringstream text;
            text << in.rdbuf();
            for (auto& d : access::read_review_decisions(text.str(), apply_)) {
                decisions.push_back(std::move(d));
            }
        }
        if (!decisions.empty() && (!report_.empty() || format_ != "table")) {
            throw UsageError(Message("cli.review_decide_or_show"));
        }
        if (!report_.empty()) {
            check_report_path(report_);
        }

        const SchemaSet schemas = global.load_schemas();
        const auto catalog = std::make_shared<const IndustryCatalog>(IndustryCatalog::load(schemas.directory()));
        std::optional<Workspace> writable;
        if (!decisions.empty()) {
            writable.emplace(Workspace::open(workspace_));
        }
        const Workspace reading = Workspace::open_read_only(workspace_);
        const access::AccessBook book(reading.access_lists(), reading.clause_reviews(), catalog);
        std::vector<access::UnitRef> units;
        for (const Zone& zone : reading.load_zones()) {
            if (const KindSchema* kind = schemas.find(zone.kind)) {
                if (const auto fields = access::access_list_fields(*kind); !fields.empty()) {
                    units.push_back(access::unit_ref(fields, zone.code, zone.subzone, zone.name, zone.attributes));
                }
            }
        }
        access::ReviewSelection selection;
        selection.lists = lists_;
        selection.pending_only = pending_;
        selection.judgement_only = judgement_;
        const access::ReviewSheet sheet = access::review_sheet(book, units, selection);

        if (!decisions.empty()) {
            // Decisions name clauses of any list, filters or not.
            const access::ReviewSheet all = access::review_sheet(book, units, {});
            const auto reviews = access::make_reviews(all, decisions, *catalog, author_, note_);
            const VersionInfo version = writable->commit_clause_reviews(reviews, author_, note_);
            std::cout << Message("cli.reviews_stored", {{"count", static_cast<std::int64_t>(reviews.size())},
                                                        {"version", version.id},
                                                        {"workspace", writable->display_path()}})
                             .text(language)
                      << '\n';
            return ExitCode::ok;
        }
        if (!report_.empty()) {
            const auto current = reading.current_version();
            write_review_document(report_, sheet, *catalog, reading.display_path(),
                                  current ? std::to_string(current->id) : "-", language);
        }
        if (format_ == "json") {
            write_review_json(std::cout, sheet, *catalog, language);
        } else if (report_.empty()) {
            write_review_table(std::cout, sheet, *catalog, language);
        }
        return ExitCode::ok;
    }

private:
    std::string workspace_, format_ = "table", report_, correct_, structure_, apply_, author_, note_;
    std::vector<std::string> lists_, confirms_;
    bool pending_ = false, judgement_ = false;
};

}  // namespace

std::unique_ptr<Command> make_access_review_command(CLI::App& app) {
    return std::make_unique<AccessReviewCommand>(app);
}

}  // namespace redline::cli
