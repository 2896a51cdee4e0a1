#include "command.hpp"

#include "redline/errors.hpp"
#include "redline/server/tokens.hpp"

#include <iostream>

namespace redline::cli {
namespace {

// `redline token add|list|revoke`: the API tokens `redline serve --tokens FILE` accepts.
// The file keeps only each token's SHA-256; a token is shown once, when it is made.
class TokenCommand : public Command {
public:
    explicit TokenCommand(CLI::App& app)
        : Command(
              app.add_subcommand("token", say("管理 redline serve 的 API 令牌", "Manage redline serve's API tokens"))) {
        auto* sub = subcommand_;
        sub->require_subcommand(1);
        const auto file_option = [this](CLI::App* command) {
            command
                ->add_option("--file", file_,
                             say("令牌文件（redline serve --tokens 所用的文件）",
                                 "The tokens file (as given to redline serve --tokens)"))
                ->required();
        };
        add_ = sub->add_subcommand("add", say("生成新令牌（只显示一次）", "Make a new token (shown once)"));
        add_->add_option("name", name_,
                         say("持有者名称，如 审批系统 或 approval-system", "Holder, e.g. approval-system"))
            ->required();
        file_option(add_);
        list_ = sub->add_subcommand("list", say("列出令牌持有者", "List the tokens' holders"));
        file_option(list_);
        revoke_ = sub->add_subcommand("revoke", say("吊销令牌", "Revoke a token"));
        revoke_->add_option("name", name_, say("持有者名称", "Holder"))->required();
        file_option(revoke_);
        sub->footer(
            say("运行中的服务在数秒内采用令牌文件的变化。\n"
                "示例：redline token add approval-system --file /etc/redline/tokens\n"
                "      curl -H 'Authorization: Bearer rl_...' http://127.0.0.1:8080/api/v1/jobs",
                "A running server takes changes of the tokens file within seconds.\n"
                "Example: redline token add approval-system --file /etc/redline/tokens\n"
                "         curl -H 'Authorization: Bearer rl_...' http://127.0.0.1:8080/api/v1/jobs"));
    }

    ExitCode run(const GlobalOptions& global) override {
        const bool zh = global.language() == Language::zh;
        const server::TokenFile file(file_);
        if (add_->parsed()) {
            const std::string token = file.add(name_);
            std::cerr << (zh ? "已为 " : "token for ") << name_ << (zh ? " 生成令牌，写入 " : " added to ") << file_
                      << (zh ? "；令牌只显示这一次，请妥善交给持有者：\n" : "; it is shown only this once:\n");
            std::cout << token << '\n';
        } else if (list_->parsed()) {
            for (const auto& entry : file.read()) {
                std::cout << entry.name << '\t' << entry.created << '\n';
            }
        } else if (revoke_->parsed()) {
            if (!file.remove(name_)) {
                throw UsageError(Message("server.token_unknown", {{"name", name_}, {"file", file_}}));
            }
            std::cerr << (zh ? "已吊销 " : "revoked ") << name_ << '\n';
        }
        return ExitCode::ok;
    }

private:
    CLI::App* add_ = nullptr;
    CLI::App* list_ = nullptr;
    CLI::App* revoke_ = nullptr;
    std::string file_, name_;
};

}  // namespace

std::unique_ptr<Command> make_token_command(CLI::App& app) {
    return std::make_unique<TokenCommand>(app);
}

}  // namespace redline::cli
