// The clause reader: one access-list text block (生态环境准入清单: one dimension of one
// unit, or a general list) as published, split into clauses, each read into what it
// governs: the action (禁止, 限制, 严格控制, 须, 鼓励), the project scales (新建, 扩建,
// 改建), the industries (GB/T 4754-2017 codes through the IndustryCatalog), exceptions
// (除...外), thresholds (年产30万吨以下) and outfalls.
//
// The rule: never guess. Whatever the reader cannot structure with confidence (a
// condition it cannot evaluate, a double negation, an unknown industry word, 原则上, a
// category without a definition such as 重污染) is a Judgement with a reason code, and
// the clause keeps its verbatim text; a clause with a judgement is not to be decided by
// its structure. Results carry codes and ids, never words: the verbatim text is the only
// Chinese in a Clause, and every finding points into it by byte span.
#pragma once

#include "redline/message.hpp"
#include "redline/model/industries.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redline::access {

// The four dimensions of an access list; a block's headings (空间布局约束：...) set it.
enum class Dimension { unspecified, spatial_layout, pollutant_discharge, environmental_risk, resource_efficiency };

enum class Action {
    prohibit,          // 禁止, 严禁, 不得, 不予审批, 不再 ...
    restrict,          // 限制, 严格限制
    strictly_control,  // 严格控制, 严控, 从严审批
    require,           // 须, 应, 应当, 必须; 实施, 执行, 落实; a limit (不得超过 ...)
    encourage,         // 鼓励, 引导, 支持, 提倡
    refer,             // 执行...总体准入要求: the clause points to another list
};

enum class Scale {
    new_build,       // 新建, 新上, 新设; 新增 counts as new_build and expansion
    expansion,       // 扩建
    reconstruction,  // 改建
    existing,        // 现有, 已建, 存量: what is already there
};

enum class Target { projects, outfalls };

enum class Comparison { below, at_most, above, at_least };  // 低于/不足, 以下/不超过, 超过/高于, 以上/不低于

enum class Measure {
    unspecified,
    output,           // 年产, 产量
    capacity,         // 产能, 规模, 设计能力, 处理能力, 装机容量
    boiler_capacity,  // 蒸吨/小时
    emission,         // 排放量
    concentration,    // 浓度, mg/m3
    water_use,        // 用水量, 取水量
    energy_use,       // 能耗, 煤耗
    area,             // 面积, 用地
    distance,         // 距离, 米, 公里
};

enum class Pollutant {
    unspecified,
    sulphur_dioxide,
    nitrogen_oxides,
    particulates,
    cod,
    ammonia_nitrogen,
    total_phosphorus,
    total_nitrogen,
    vocs,
    heavy_metals
};

// Units as normalised: 万吨/年 is tonne_per_year with the value times 10 000, 万千瓦 and
// 千瓦 are megawatt, 亩 and 平方米 hectare, 公里 metre.
enum class Unit {
    tonne,
    tonne_per_year,
    tonne_per_day,
    tonne_per_hour,
    steam_tonne_per_hour,
    cubic_metre,
    cubic_metre_per_year,
    cubic_metre_per_day,
    megawatt,
    hectare,
    metre,
    percent,
    mg_per_cubic_metre,
    mg_per_litre,
};

// Scope: the threshold says which projects the clause governs (禁止新建年产30万吨以下...).
// Limit: the threshold is what the clause requires (排放量不得超过...).
enum class ThresholdRole { scope, limit };

enum class Reason {
    no_action,            // no action word the reader knows
    mixed_actions,        // two different actions in one clause
    condition,            // a condition or place the reader cannot evaluate (...的，在...内)
    exception_condition,  // an exception that is not a list of industries (符合规划的除外)
    double_negation,      // a negation inside a prohibition (禁止...无关的, 未...不得)
    unknown_industry,     // a word where an industry should be that the vocabulary lacks
    undefined_category,   // a category without a fixed membership (重污染, 两高)
    in_principle,         // 原则上
    soft_wording,         // 不宜, 尽量
    policy_catalogue,     // membership decided by a catalogue (限制类, 淘汰类, 《...目录》)
    reference,            // points to another requirement set (执行总体准入要求)
    threshold_unclear,    // a number the reader cannot read as a threshold
    unparsed,             // text the reader could not place
};

const char* dimension_name(Dimension dimension);  // spatial_layout ...
// A dimension by its id (spatial_layout) or its Chinese name (空间布局约束, 空间布局 ...).
std::optional<Dimension> parse_dimension(std::string_view text);
const char* action_name(Action action);              // prohibit ...
const char* scale_name(Scale scale);                 // new, expansion, reconstruction, existing
const char* target_name(Target target);              // projects, outfalls
const char* comparison_name(Comparison comparison);  // lt, le, gt, ge
const char* measure_name(Measure measure);
const char* pollutant_name(Pollutant pollutant);
const char* unit_name(Unit unit);  // t/a, t/d, MW, ha, m, % ...
const char* threshold_role_name(ThresholdRole role);
const char* reason_name(Reason reason);
// Words for people (the review table): 禁止 / prohibit, 原则上 / "in principle" ...
Message action_message(Action action);
Message scale_message(Scale scale);
Message dimension_message(Dimension dimension);
Message reason_message(Reason reason);

// A stretch of a clause's text, in bytes.
struct Span {
    std::size_t offset = 0;
    std::size_t length = 0;
    bool operator==(const Span&) const = default;
};

// An industry the clause names: where, and what the catalog says it covers.
struct IndustryRef {
    Span span;
    IndustryMatch match;
};

struct Threshold {
    ThresholdRole role = ThresholdRole::scope;
    Measure measure = Measure::unspecified;
    Pollutant pollutant = Pollutant::unspecified;
    Comparison comparison = Comparison::at_most;
    double value = 0;
    Unit unit = Unit::tonne;
    Span span;
};

// 除...外, ...除外: either industries taken out of the clause, or a condition that needs
// judgement (then `industries` is empty and the clause has a Reason::exception_condition).
struct ClauseException {
    Span span;
    std::vector<IndustryRef> industries;
    bool condition = false;
};

struct Judgement {
    Reason reason = Reason::unparsed;
    Span span;  // the words that raised it (the whole clause when nothing narrower)
};

struct Clause {
    std::string text;        // verbatim, as published (without its item label)
    std::size_t offset = 0;  // of `text` in the block, in bytes
    std::string label;       // the item label as written ("（1）", "①", "2."); "" when not numbered
    int item = 0;            // numbered item within the block, from 1; 0 before the first label
    int sentence = 0;        // sentence within the item, from 1
    int part = 0;            // clause within the sentence, from 1 (a sentence with two actions is two clauses)
    Dimension dimension = Dimension::unspecified;

    std::optional<Action> action;
    std::vector<Scale> scales;  // empty: any scale
    Target target = Target::projects;
    // For outfall clauses: the facts.toml values they are limited to ("river", "sea";
    // "industrial", "municipal-sewage", "agricultural"); empty: any.
    std::vector<std::string> outfall_waters;
    std::vector<std::string> outfall_types;
    bool all_industries = false;          // 项目, 建设项目, 企业: every industry
    std::vector<IndustryRef> industries;  // as listed
    bool open_list = false;               // the list ends in 等: it may reach further
    std::optional<IndustryRef> category;  // what follows 等 (等重污染项目: 重污染)
    std::vector<ClauseException> exceptions;
    std::vector<Threshold> thresholds;
    std::vector<Judgement> judgements;

    bool needs_judgement() const { return !judgements.empty(); }
    bool has(Reason reason) const;
};

// Reads a block. Numbered items (1. 1、 （1） ① 一、 （一）) and dimension headings are
// recognised, sentences split at 。；; and line ends, and a sentence whose comma-separated
// parts carry different actions is split into one clause per action. `dimension` is the
// block's dimension when known (a heading inside the block overrides it).
std::vector<Clause> read_clauses(std::string_view block, const IndustryCatalog& catalog,
                                 Dimension dimension = Dimension::unspecified);

// Whether a clause reaches a project, as far as its structure can tell.
enum class Reach { governed, not_governed, needs_judgement };
const char* reach_name(Reach reach);
// By industry: listed (or every industry) and not excepted is governed; an arguable,
// partial or category match, an open list, an exception that is a condition, or any
// judgement on the clause needs judgement. Scope thresholds are not looked at here.
Reach industry_reach(const Clause& clause, const IndustryCatalog& catalog, std::string_view project_code);
// By scale: a clause without scales reaches every scale.
Reach scale_reach(const Clause& clause, Scale scale);

}  // namespace redline::access
