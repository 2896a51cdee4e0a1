// The words of the indicators' outputs, shared by the table, JSON and CSV writers and the
// report: each a message, written in the output's language.
#pragma once

#include "redline/indicators/indicator_run.hpp"

#include <optional>
#include <string>
#include <utility>

namespace redline::indicator_words {

Message operation(const std::string& operation);  // 导入, 编辑, 修复
Message status(TargetStatus status);              // 达标, 预警, 未达标, 无法计算
Message type(TargetType type);                    // 约束性, 预期性
// An indicator's name, with its district when it is one district's.
Message name(const IndicatorValue& value);
// The target as the plan names it (else the indicator's name), with its district.
Message target_name(const TargetCheck& check);
// 不低于 20 %，2025-12-31 前; 不减少（基准 1234.5678 ha），基准为版本 4.
Message requirement(const TargetCheck& check);
// A version that moved an indicator: who, when, on what basis, from what to what.
Message move(const IndicatorMove& move, const std::string& unit);
Message cause(const FallCause& cause);
std::string place(const std::optional<std::pair<double, double>>& at);
// A change as a signed number: +1.2345, -0.5000; 新增 / 已无 when one side is missing.
std::string change_text(const std::optional<double>& before, const std::optional<double>& after,
                        const std::string& unit, Language language);

}  // namespace redline::indicator_words
