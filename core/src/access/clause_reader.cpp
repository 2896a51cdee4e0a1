// The clause reader. A block is read as code points (full-width folded, one for one, so
// positions map back to bytes), split into items, sentences and clauses, and each clause
// read in steps that each take their words out of play: exceptions, 原则上, thresholds,
// the action word; what is left on the governed side (the subject before a modal, the
// object after a prohibition) must be explained entirely by scales, industries, head
// nouns and harmless fillers, or it becomes a judgement. Nothing is guessed.
#include "redline/access/clause_reader.hpp"

#include "base/text.hpp"
#include "base/utf32.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace redline::access {

// ---------------------------------------------------------------------------------------
// Names and words.

const char* dimension_name(Dimension dimension) {
    switch (dimension) {
        case Dimension::unspecified:
            return "unspecified";
        case Dimension::spatial_layout:
            return "spatial_layout";
        case Dimension::pollutant_discharge:
            return "pollutant_discharge";
        case Dimension::environmental_risk:
            return "environmental_risk";
        case Dimension::resource_efficiency:
            return "resource_efficiency";
    }
    return "unspecified";
}

const char* action_name(Action action) {
    switch (action) {
        case Action::prohibit:
            return "prohibit";
        case Action::restrict:
            return "restrict";
        case Action::strictly_control:
            return "strictly_control";
        case Action::require:
            return "require";
        case Action::encourage:
            return "encourage";
        case Action::refer:
            return "refer";
    }
    return "prohibit";
}

const char* scale_name(Scale scale) {
    switch (scale) {
        case Scale::new_build:
            return "new";
        case Scale::expansion:
            return "expansion";
        case Scale::reconstruction:
            return "reconstruction";
        case Scale::existing:
            return "existing";
    }
    return "new";
}

const char* target_name(Target target) {
    return target == Target::outfalls ? "outfalls" : "projects";
}

const char* comparison_name(Comparison comparison) {
    switch (comparison) {
        case Comparison::below:
            return "lt";
        case Comparison::at_most:
            return "le";
        case Comparison::above:
            return "gt";
        case Comparison::at_least:
            return "ge";
    }
    return "le";
}

const char* measure_name(Measure measure) {
    switch (measure) {
        case Measure::unspecified:
            return "unspecified";
        case Measure::output:
            return "output";
        case Measure::capacity:
            return "capacity";
        case Measure::boiler_capacity:
            return "boiler_capacity";
        case Measure::emission:
            return "emission";
        case Measure::concentration:
            return "concentration";
        case Measure::water_use:
            return "water_use";
        case Measure::energy_use:
            return "energy_use";
        case Measure::area:
            return "area";
        case Measure::distance:
            return "distance";
    }
    return "unspecified";
}

const char* pollutant_name(Pollutant pollutant) {
    switch (pollutant) {
        case Pollutant::unspecified:
            return "unspecified";
        case Pollutant::sulphur_dioxide:
            return "so2";
        case Pollutant::nitrogen_oxides:
            return "nox";
        case Pollutant::particulates:
            return "particulates";
        case Pollutant::cod:
            return "cod";
        case Pollutant::ammonia_nitrogen:
            return "ammonia_nitrogen";
        case Pollutant::total_phosphorus:
            return "total_phosphorus";
        case Pollutant::total_nitrogen:
            return "total_nitrogen";
        case Pollutant::vocs:
            return "vocs";
        case Pollutant::heavy_metals:
            return "heavy_metals";
    }
    return "unspecified";
}

const char* unit_name(Unit unit) {
    switch (unit) {
        case Unit::tonne:
            return "t";
        case Unit::tonne_per_year:
            return "t/a";
        case Unit::tonne_per_day:
            return "t/d";
        case Unit::tonne_per_hour:
            return "t/h";
        case Unit::steam_tonne_per_hour:
            return "steam_t/h";
        case Unit::cubic_metre:
            return "m3";
        case Unit::cubic_metre_per_year:
            return "m3/a";
        case Unit::cubic_metre_per_day:
            return "m3/d";
        case Unit::megawatt:
            return "MW";
        case Unit::hectare:
            return "ha";
        case Unit::metre:
            return "m";
        case Unit::percent:
            return "%";
        case Unit::mg_per_cubic_metre:
            return "mg/m3";
        case Unit::mg_per_litre:
            return "mg/L";
    }
    return "t";
}

const char* threshold_role_name(ThresholdRole role) {
    return role == ThresholdRole::scope ? "scope" : "limit";
}

const char* reason_name(Reason reason) {
    switch (reason) {
        case Reason::no_action:
            return "no_action";
        case Reason::mixed_actions:
            return "mixed_actions";
        case Reason::condition:
            return "condition";
        case Reason::exception_condition:
            return "exception_condition";
        case Reason::double_negation:
            return "double_negation";
        case Reason::unknown_industry:
            return "unknown_industry";
        case Reason::undefined_category:
            return "undefined_category";
        case Reason::in_principle:
            return "in_principle";
        case Reason::soft_wording:
            return "soft_wording";
        case Reason::policy_catalogue:
            return "policy_catalogue";
        case Reason::reference:
            return "reference";
        case Reason::threshold_unclear:
            return "threshold_unclear";
        case Reason::unparsed:
            return "unparsed";
    }
    return "unparsed";
}

const char* reach_name(Reach reach) {
    switch (reach) {
        case Reach::governed:
            return "governed";
        case Reach::not_governed:
            return "not_governed";
        case Reach::needs_judgement:
            return "needs_judgement";
    }
    return "needs_judgement";
}

Message action_message(Action action) {
    return Message(std::string("access.action.") + action_name(action));
}

Message scale_message(Scale scale) {
    return Message(std::string("access.scale.") + scale_name(scale));
}

Message dimension_message(Dimension dimension) {
    return Message(std::string("access.dimension.") + dimension_name(dimension));
}

Message reason_message(Reason reason) {
    return Message(std::string("access.reason.") + reason_name(reason));
}

bool Clause::has(Reason reason) const {
    return std::any_of(judgements.begin(), judgements.end(), [&](const Judgement& j) { return j.reason == reason; });
}

namespace {

using Text = std::u32string;
using TextView = std::u32string_view;

// A threshold taken out of a phrase stands in it as this one character.
constexpr char32_t threshold_mark = 0xE000;

bool at(TextView text, std::size_t i, TextView word) {
    return i <= text.size() && text.substr(i, word.size()) == word;
}

bool ends_with_at(TextView text, std::size_t end, TextView word) {
    return end >= word.size() && text.substr(end - word.size(), word.size()) == word;
}

bool is_digit(char32_t c) {
    return c >= U'0' && c <= U'9';
}

bool is_latin(char32_t c) {
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

bool is_chinese_numeral(char32_t c) {
    return TextView(U"一二三四五六七八九十百千万两〇零").find(c) != TextView::npos;
}

bool is_opening(char32_t c) {
    return c == U'(' || c == U'《' || c == U'“' || c == U'【' || c == U'[' || c == U'「' || c == U'{';
}

bool is_closing(char32_t c) {
    return c == U')' || c == U'》' || c == U'”' || c == U'】' || c == U']' || c == U'」' || c == U'}';
}

bool is_punctuation(char32_t c) {
    return c == U',' || c == U'、' || c == U';' || c == U':' || c == U'。' || c == U'.' || c == U'!' || c == U'?' ||
           c == U'"' || c == U'\'' || c == U'“' || c == U'”' || c == U'‘' || c == U'’' || is_opening(c) ||
           is_closing(c) || c == U'-' || c == U'—' || c == U'…';
}

template <typename Entry, std::size_t N>
const Entry* longest_at(const std::array<Entry, N>& table, TextView text, std::size_t i) {
    const Entry* best = nullptr;
    for (const auto& entry : table) {
        if (at(text, i, entry.word) && (best == nullptr || entry.word.size() > best->word.size())) {
            best = &entry;
        }
    }
    return best;
}

template <typename Entry, std::size_t N>
const Entry* longest_ending_at(const std::array<Entry, N>& table, TextView text, std::size_t end) {
    const Entry* best = nullptr;
    for (const auto& entry : table) {
        if (ends_with_at(text, end, entry.word) && (best == nullptr || entry.word.size() > best->word.size())) {
            best = &entry;
        }
    }
    return best;
}

struct Word {
    TextView word;
};

template <std::size_t N>
std::size_t longest_word_at(const std::array<Word, N>& table, TextView text, std::size_t i) {
    const Word* w = longest_at(table, text, i);
    return w != nullptr ? w->word.size() : 0;
}

// --- Vocabulary of the reader (folded forms: full-width ASCII already half-width). ---

enum class Mode { before_object, before_content, weak };  // 禁止 X / X 应 Y / 实施 Y

struct ActionWord {
    TextView word;
    Action action;
    Mode mode;
};

const std::array<ActionWord, 48> action_words = {{
    {U"暂停审批", Action::prohibit, Mode::before_object},
    {U"严格禁止", Action::prohibit, Mode::before_object},
    {U"禁止", Action::prohibit, Mode::before_object},
    {U"严禁", Action::prohibit, Mode::before_object},
    {U"不予审批", Action::prohibit, Mode::before_object},
    {U"不予批准", Action::prohibit, Mode::before_object},
    {U"不予准入", Action::prohibit, Mode::before_object},
    {U"不予受理", Action::prohibit, Mode::before_object},
    {U"不予", Action::prohibit, Mode::before_object},
    {U"不再审批", Action::prohibit, Mode::before_object},
    {U"不再", Action::prohibit, Mode::before_object},
    {U"不允许", Action::prohibit, Mode::before_object},
    {U"不准", Action::prohibit, Mode::before_object},
    {U"停止审批", Action::prohibit, Mode::before_object},
    {U"杜绝", Action::prohibit, Mode::before_object},
    {U"一律不得", Action::prohibit, Mode::before_content},
    {U"不得", Action::prohibit, Mode::before_content},
    {U"不能", Action::prohibit, Mode::before_content},
    {U"不应", Action::prohibit, Mode::before_content},
    {U"严格限制", Action::restrict, Mode::before_object},
    {U"从严限制", Action::restrict, Mode::before_object},
    {U"限制", Action::restrict, Mode::before_object},
    {U"严格控制", Action::strictly_control, Mode::before_object},
    {U"从严控制", Action::strictly_control, Mode::before_object},
    {U"严控", Action::strictly_control, Mode::before_object},
    {U"严格管控", Action::strictly_control, Mode::before_object},
    {U"从严审批", Action::strictly_control, Mode::before_object},
    {U"严格审批", Action::strictly_control, Mode::before_object},
    {U"必须", Action::require, Mode::before_content},
    {U"应当", Action::require, Mode::before_content},
    {U"须", Action::require, Mode::before_content},
    {U"应", Action::require, Mode::before_content},
    {U"需", Action::require, Mode::before_content},
    {U"要求", Action::require, Mode::before_content},
    {U"鼓励", Action::encourage, Mode::before_object},
    {U"引导", Action::encourage, Mode::before_object},
    {U"支持", Action::encourage, Mode::before_object},
    {U"提倡", Action::encourage, Mode::before_object},
    {U"倡导", Action::encourage, Mode::before_object},
    {U"推广", Action::encourage, Mode::before_object},
    {U"实行", Action::require, Mode::weak},
    {U"实施", Action::require, Mode::weak},
    {U"执行", Action::require, Mode::weak},
    {U"落实", Action::require, Mode::weak},
    {U"确保", Action::require, Mode::weak},
    {U"推行", Action::require, Mode::weak},
    {U"采用", Action::require, Mode::weak},
    {U"达到", Action::require, Mode::weak},
}};

// Whether an action word at i is really one here (供应, 应急, 限制类, 实施方案 are not).
bool action_word_counts(TextView text, std::size_t i, const ActionWord& word) {
    const std::size_t after = i + word.word.size();
    const char32_t before = i > 0 ? text[i - 1] : U'\0';
    const char32_t next = after < text.size() ? text[after] : U'\0';
    if (word.word == U"应") {
        if (TextView(U"供相对适响反效呼照答感顺报内回").find(before) != TextView::npos ||
            TextView(U"急用力届").find(next) != TextView::npos) {
            return false;
        }
        for (const TextView cope : {U"对突发", U"对气候", U"对风险", U"对事故", U"对污染天气"}) {
            if (at(text, after, cope)) {
                return false;  // 应对 as "cope with"
            }
        }
    }
    if (word.word == U"须" && (before == U'无' || before == U'毋' || next == U'知')) {
        return false;
    }
    if (word.word == U"需" && (next == U'求' || TextView(U"所无急确如若").find(before) != TextView::npos)) {
        return false;
    }
    if (word.word == U"要求" &&
        (next == U'的' || before == U'按' || ends_with_at(text, i, U"准入") || ends_with_at(text, i, U"管控") ||
         ends_with_at(text, i, U"相关") || ends_with_at(text, i, U"总体"))) {
        return false;  // the noun: 准入要求, 管控要求
    }
    if ((word.word == U"限制" || word.word == U"禁止" || word.word == U"鼓励") &&
        (next == U'类' || at(text, after, U"开发区") || at(text, after, U"性") || at(text, after, U"区"))) {
        return false;  // 限制类 (a catalogue), 限制开发区, 禁止开发区域, 限制性
    }
    if ((word.mode == Mode::weak) && (at(text, after, U"方案") || at(text, after, U"细则") ||
                                      at(text, after, U"意见") || at(text, after, U"办法"))) {
        return false;
    }
    if (word.word == U"支持" && before == U'不') {
        return false;
    }
    return true;
}

struct ScaleWord {
    TextView word;
    std::array<int, 3> scales;  // indices into Scale, -1 for none
};

constexpr int N_ = static_cast<int>(Scale::new_build);
constexpr int E_ = static_cast<int>(Scale::expansion);
constexpr int R_ = static_cast<int>(Scale::reconstruction);
constexpr int X_ = static_cast<int>(Scale::existing);

const std::array<ScaleWord, 30> scale_words = {{
    {U"新建、改建、扩建", {N_, R_, E_}},
    {U"新建、扩建、改建", {N_, E_, R_}},
    {U"新建、改建和扩建", {N_, R_, E_}},
    {U"新建、扩建和改建", {N_, E_, R_}},
    {U"新建、改扩建", {N_, R_, E_}},
    {U"新(改、扩)建", {N_, R_, E_}},
    {U"新(扩、改)建", {N_, E_, R_}},
    {U"新(扩)建", {N_, E_, -1}},
    {U"新(改)建", {N_, R_, -1}},
    {U"新、改、扩建", {N_, R_, E_}},
    {U"新、扩、改建", {N_, E_, R_}},
    {U"新改扩建", {N_, R_, E_}},
    {U"新扩改建", {N_, E_, R_}},
    {U"新、扩建", {N_, E_, -1}},
    {U"新、改建", {N_, R_, -1}},
    {U"新扩建", {N_, E_, -1}},
    {U"改扩建", {R_, E_, -1}},
    {U"改、扩建", {R_, E_, -1}},
    {U"新建", {N_, -1, -1}},
    {U"扩建", {E_, -1, -1}},
    {U"改建", {R_, -1, -1}},
    {U"新增", {N_, E_, -1}},
    {U"新上", {N_, -1, -1}},
    {U"新设", {N_, -1, -1}},
    {U"增设", {N_, -1, -1}},
    {U"现有", {X_, -1, -1}},
    {U"已有", {X_, -1, -1}},
    {U"已建成", {X_, -1, -1}},
    {U"已建", {X_, -1, -1}},
    {U"存量", {X_, -1, -1}},
}};

// Verbs between a scale and its object, which say nothing more (新建、扩建建设 ...).
const std::array<Word, 17> object_verbs = {{
    {U"开工建设"},
    {U"投资建设"},
    {U"规划建设"},
    {U"建设"},
    {U"上马"},
    {U"发展"},
    {U"布局"},
    {U"引进"},
    {U"引入"},
    {U"设置"},
    {U"设立"},
    {U"审批"},
    {U"准入"},
    {U"入驻"},
    {U"落户"},
    {U"新布局"},
    {U"建"},
}};

// Places that are the unit itself, and words that only stress.
const std::array<Word, 37> fillers = {{
    {U"在本单元内"}, {U"在本单元"},   {U"本单元内"}, {U"本单元"}, {U"在单元内"}, {U"单元内"}, {U"在管控单元内"},
    {U"管控单元内"}, {U"本管控单元"}, {U"在区域内"}, {U"区域内"}, {U"本区域内"}, {U"本区域"}, {U"全域"},
    {U"单元范围内"}, {U"对于"},       {U"凡是"},     {U"凡"},     {U"同时"},     {U"并且"},   {U"并"},
    {U"且"},         {U"此外"},       {U"另外"},     {U"一律"},   {U"全部"},     {U"均"},     {U"都"},
    {U"严格"},       {U"坚决"},       {U"依法"},     {U"各类"},   {U"各种"},     {U"任何"},   {U"所有"},
    {U"一切"},       {U"对"},
}};

struct HeadWord {
    TextView word;
    Target target;
    const char* water;  // facts.toml receiving_water value the head implies
};

const std::array<HeadWord, 17> head_words = {{
    {U"建设项目", Target::projects, nullptr},
    {U"项目", Target::projects, nullptr},
    {U"企业", Target::projects, nullptr},
    {U"行业", Target::projects, nullptr},
    {U"产业", Target::projects, nullptr},
    {U"产能", Target::projects, nullptr},
    {U"装置", Target::projects, nullptr},
    {U"生产线", Target::projects, nullptr},
    {U"工厂", Target::projects, nullptr},
    {U"设施", Target::projects, nullptr},
    {U"工程", Target::projects, nullptr},
    {U"厂", Target::projects, nullptr},
    {U"入河排污口", Target::outfalls, "river"},
    {U"入海排污口", Target::outfalls, "sea"},
    {U"排污口", Target::outfalls, nullptr},
    {U"排放口", Target::outfalls, nullptr},
    {U"排口", Target::outfalls, nullptr},
}};

struct OutfallWord {
    TextView word;
    const char* water;
    const char* type;
};

const std::array<OutfallWord, 9> outfall_words = {{
    {U"入河", "river", nullptr},
    {U"入海", "sea", nullptr},
    {U"入湖", "river", nullptr},
    {U"工业废水", nullptr, "industrial"},
    {U"工业", nullptr, "industrial"},
    {U"城镇污水处理厂", nullptr, "municipal-sewage"},
    {U"污水处理厂", nullptr, "municipal-sewage"},
    {U"生活污水", nullptr, "municipal-sewage"},
    {U"农业", nullptr, "agricultural"},
}};

// After the governed words of a prohibition: only these may follow (入驻, 建设 ...).
const std::array<Word, 7> harmless_tail = {{
    {U"入驻"},
    {U"进入"},
    {U"建设"},
    {U"布局"},
    {U"落户"},
    {U"选址"},
    {U"入园"},
}};

// Negations that belong to a word rather than to the sentence.
const std::array<Word, 27> negated_words = {{
    {U"无机"},   {U"无害化"}, {U"无组织"},   {U"无烟煤"}, {U"无人机"}, {U"无缝"},   {U"无水"},
    {U"无汞"},   {U"无铅"},   {U"无磷"},     {U"非金属"}, {U"非木竹"}, {U"非织造"}, {U"非化石"},
    {U"非甲烷"}, {U"非电力"}, {U"非公路"},   {U"非食用"}, {U"非道路"}, {U"非常规"}, {U"非煤"},
    {U"不锈钢"}, {U"不动产"}, {U"不可移动"}, {U"非木"},   {U"无纺"},   {U"不透水"},
}};

bool has_negation(TextView text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (const std::size_t n = longest_word_at(negated_words, text, i)) {
            i += n - 1;
            continue;
        }
        if (TextView(U"不未无非没勿毋").find(text[i]) != TextView::npos) {
            return true;
        }
    }
    return false;
}

// Catalogue categories: membership is decided by a policy catalogue, not by the reader.
const std::array<Word, 6> catalogue_words = {{
    {U"限制类"},
    {U"淘汰类"},
    {U"禁止类"},
    {U"鼓励类"},
    {U"允许类"},
    {U"指导目录"},
}};

struct Comparator {
    TextView word;
    Comparison comparison;
    bool limit;  // 不得超过: a limit whatever side of the clause it stands on
};

const std::array<Comparator, 29> comparators_before = {{
    {U"不得超过", Comparison::at_most, true},  {U"不应超过", Comparison::at_most, true},
    {U"不得高于", Comparison::at_most, true},  {U"不得大于", Comparison::at_most, true},
    {U"不得多于", Comparison::at_most, true},  {U"不得低于", Comparison::at_least, true},
    {U"不应低于", Comparison::at_least, true}, {U"不得少于", Comparison::at_least, true},
    {U"不得小于", Comparison::at_least, true}, {U"控制在", Comparison::at_most, true},
    {U"不超过", Comparison::at_most, false},   {U"不高于", Comparison::at_most, false},
    {U"不大于", Comparison::at_most, false},   {U"不多于", Comparison::at_most, false},
    {U"不低于", Comparison::at_least, false},  {U"不少于", Comparison::at_least, false},
    {U"不小于", Comparison::at_least, false},  {U"超过", Comparison::above, false},
    {U"高于", Comparison::above, false},       {U"大于", Comparison::above, false},
    {U"多于", Comparison::above, false},       {U"低于", Comparison::below, false},
    {U"小于", Comparison::below, false},       {U"少于", Comparison::below, false},
    {U"不足", Comparison::below, false},       {U"不满", Comparison::below, false},
    {U"<=", Comparison::at_most, false},       {U"≤", Comparison::at_most, false},
    {U"≥", Comparison::at_least, false},
}};

const std::array<Comparator, 9> comparators_after = {{
    {U"及以下", Comparison::at_most, false},
    {U"以下", Comparison::at_most, false},
    {U"及以上", Comparison::at_least, false},
    {U"以上", Comparison::at_least, false},
    {U"及以内", Comparison::at_most, false},
    {U"以内", Comparison::at_most, false},
    {U"(含)以下", Comparison::at_most, false},
    {U"(含)以上", Comparison::at_least, false},
    {U"(不含)以下", Comparison::below, false},
}};

struct UnitWord {
    TextView word;
    Unit unit;
    double factor;
    Measure implies;
};

const std::array<UnitWord, 40> unit_words = {{
    {U"吨/年", Unit::tonne_per_year, 1, Measure::unspecified},
    {U"t/a", Unit::tonne_per_year, 1, Measure::unspecified},
    {U"吨/日", Unit::tonne_per_day, 1, Measure::unspecified},
    {U"吨/天", Unit::tonne_per_day, 1, Measure::unspecified},
    {U"t/d", Unit::tonne_per_day, 1, Measure::unspecified},
    {U"蒸吨/小时", Unit::steam_tonne_per_hour, 1, Measure::boiler_capacity},
    {U"蒸吨/时", Unit::steam_tonne_per_hour, 1, Measure::boiler_capacity},
    {U"蒸吨", Unit::steam_tonne_per_hour, 1, Measure::boiler_capacity},
    {U"吨/小时", Unit::tonne_per_hour, 1, Measure::unspecified},
    {U"吨/时", Unit::tonne_per_hour, 1, Measure::unspecified},
    {U"t/h", Unit::tonne_per_hour, 1, Measure::unspecified},
    {U"吨", Unit::tonne, 1, Measure::unspecified},
    {U"立方米/日", Unit::cubic_metre_per_day, 1, Measure::unspecified},
    {U"立方米/天", Unit::cubic_metre_per_day, 1, Measure::unspecified},
    {U"m3/d", Unit::cubic_metre_per_day, 1, Measure::unspecified},
    {U"m³/d", Unit::cubic_metre_per_day, 1, Measure::unspecified},
    {U"立方米/年", Unit::cubic_metre_per_year, 1, Measure::unspecified},
    {U"m3/a", Unit::cubic_metre_per_year, 1, Measure::unspecified},
    {U"立方米", Unit::cubic_metre, 1, Measure::unspecified},
    {U"万千瓦", Unit::megawatt, 10, Measure::capacity},
    {U"千瓦", Unit::megawatt, 0.001, Measure::capacity},
    {U"兆瓦", Unit::megawatt, 1, Measure::capacity},
    {U"mw", Unit::megawatt, 1, Measure::capacity},
    {U"kw", Unit::megawatt, 0.001, Measure::capacity},
    {U"公顷", Unit::hectare, 1, Measure::area},
    {U"亩", Unit::hectare, 1.0 / 15.0, Measure::area},
    {U"平方公里", Unit::hectare, 100, Measure::area},
    {U"平方千米", Unit::hectare, 100, Measure::area},
    {U"平方米", Unit::hectare, 0.0001, Measure::area},
    {U"公里", Unit::metre, 1000, Measure::distance},
    {U"千米", Unit::metre, 1000, Measure::distance},
    {U"km", Unit::metre, 1000, Measure::distance},
    {U"米", Unit::metre, 1, Measure::distance},
    {U"%", Unit::percent, 1, Measure::unspecified},
    {U"毫克/立方米", Unit::mg_per_cubic_metre, 1, Measure::concentration},
    {U"mg/m3", Unit::mg_per_cubic_metre, 1, Measure::concentration},
    {U"mg/m³", Unit::mg_per_cubic_metre, 1, Measure::concentration},
    {U"毫克/升", Unit::mg_per_litre, 1, Measure::concentration},
    {U"mg/l", Unit::mg_per_litre, 1, Measure::concentration},
    {U"m", Unit::metre, 1, Measure::distance},
}};

struct MeasureWord {
    TextView word;
    Measure measure;
    Unit tonnes_as;  // what a bare 吨 means after it
};

const std::array<MeasureWord, 46> measure_words = {{
    {U"日处理能力", Measure::capacity, Unit::tonne_per_day},
    {U"日处理量", Measure::capacity, Unit::tonne_per_day},
    {U"年处理能力", Measure::capacity, Unit::tonne_per_year},
    {U"年处理量", Measure::capacity, Unit::tonne_per_year},
    {U"日产", Measure::output, Unit::tonne_per_day},
    {U"年产生量", Measure::emission, Unit::tonne_per_year},
    {U"产生量", Measure::emission, Unit::tonne},
    {U"年排放总量", Measure::emission, Unit::tonne_per_year},
    {U"年产能", Measure::capacity, Unit::tonne_per_year},
    {U"年产量", Measure::output, Unit::tonne_per_year},
    {U"年产", Measure::output, Unit::tonne_per_year},
    {U"产量", Measure::output, Unit::tonne},
    {U"产能", Measure::capacity, Unit::tonne},
    {U"生产规模", Measure::capacity, Unit::tonne},
    {U"设计规模", Measure::capacity, Unit::tonne},
    {U"规模", Measure::capacity, Unit::tonne},
    {U"生产能力", Measure::capacity, Unit::tonne},
    {U"设计能力", Measure::capacity, Unit::tonne},
    {U"总设计处理能力", Measure::capacity, Unit::tonne},
    {U"设计处理能力", Measure::capacity, Unit::tonne},
    {U"处理能力", Measure::capacity, Unit::tonne},
    {U"处理规模", Measure::capacity, Unit::tonne},
    {U"年处理", Measure::capacity, Unit::tonne_per_year},
    {U"日处理", Measure::capacity, Unit::tonne_per_day},
    {U"装机容量", Measure::capacity, Unit::tonne},
    {U"单机容量", Measure::capacity, Unit::tonne},
    {U"排放总量", Measure::emission, Unit::tonne},
    {U"排放量", Measure::emission, Unit::tonne},
    {U"年排放量", Measure::emission, Unit::tonne_per_year},
    {U"排放浓度", Measure::concentration, Unit::tonne},
    {U"浓度", Measure::concentration, Unit::tonne},
    {U"用水量", Measure::water_use, Unit::tonne},
    {U"取水量", Measure::water_use, Unit::tonne},
    {U"新鲜水用量", Measure::water_use, Unit::tonne},
    {U"综合能耗", Measure::energy_use, Unit::tonne},
    {U"能耗", Measure::energy_use, Unit::tonne},
    {U"煤耗", Measure::energy_use, Unit::tonne},
    {U"耗煤量", Measure::energy_use, Unit::tonne},
    {U"占地面积", Measure::area, Unit::tonne},
    {U"用地面积", Measure::area, Unit::tonne},
    {U"面积", Measure::area, Unit::tonne},
    {U"卫生防护距离", Measure::distance, Unit::tonne},
    {U"防护距离", Measure::distance, Unit::tonne},
    {U"距离", Measure::distance, Unit::tonne},
    {U"半径", Measure::distance, Unit::tonne},
    {U"总量", Measure::emission, Unit::tonne},
}};

struct PollutantWord {
    TextView word;
    Pollutant pollutant;
};

const std::array<PollutantWord, 16> pollutant_words = {{
    {U"二氧化硫", Pollutant::sulphur_dioxide},
    {U"so2", Pollutant::sulphur_dioxide},
    {U"氮氧化物", Pollutant::nitrogen_oxides},
    {U"nox", Pollutant::nitrogen_oxides},
    {U"颗粒物", Pollutant::particulates},
    {U"烟尘", Pollutant::particulates},
    {U"粉尘", Pollutant::particulates},
    {U"化学需氧量", Pollutant::cod},
    {U"cod", Pollutant::cod},
    {U"氨氮", Pollutant::ammonia_nitrogen},
    {U"总磷", Pollutant::total_phosphorus},
    {U"总氮", Pollutant::total_nitrogen},
    {U"挥发性有机物", Pollutant::vocs},
    {U"vocs", Pollutant::vocs},
    {U"重金属", Pollutant::heavy_metals},
    {U"污染物", Pollutant::unspecified},
}};

struct DimensionWord {
    TextView word;
    Dimension dimension;
};

const std::array<DimensionWord, 10> dimension_words = {{
    {U"空间布局约束", Dimension::spatial_layout},
    {U"空间布局", Dimension::spatial_layout},
    {U"污染物排放管控", Dimension::pollutant_discharge},
    {U"污染物排放", Dimension::pollutant_discharge},
    {U"环境风险防控", Dimension::environmental_risk},
    {U"环境风险", Dimension::environmental_risk},
    {U"资源开发效率要求", Dimension::resource_efficiency},
    {U"资源利用效率要求", Dimension::resource_efficiency},
    {U"资源开发利用效率要求", Dimension::resource_efficiency},
    {U"资源开发效率", Dimension::resource_efficiency},
}};

}  // namespace

std::optional<Dimension> parse_dimension(std::string_view text) {
    for (Dimension d : {Dimension::spatial_layout, Dimension::pollutant_discharge, Dimension::environmental_risk,
                        Dimension::resource_efficiency}) {
        if (text == dimension_name(d)) {
            return d;
        }
    }
    const Text folded = utf32::fold(utf32::decode(text));
    for (const auto& word : dimension_words) {
        if (TextView(folded) == word.word) {
            return word.dimension;
        }
    }
    return std::nullopt;
}

namespace {

// ---------------------------------------------------------------------------------------
// The block as code points.

struct Block {
    std::string_view raw;
    Text text;                       // folded
    std::vector<std::size_t> bytes;  // byte offset of each code point, and of the end
};

struct Sentence {
    std::size_t begin = 0, end = 0;  // without the terminator
    std::size_t with_terminator = 0;
    std::string label;
    int item = 0;
    int number = 0;
    Dimension dimension = Dimension::unspecified;
};

// The length of an item label at i (1. 1、 （1） ① 一、 （一）), or 0.
std::size_t label_length(TextView t, std::size_t i) {
    const std::size_t n = t.size();
    if (i >= n) {
        return 0;
    }
    const char32_t c = t[i];
    if ((c >= 0x2460 && c <= 0x249B) || (c >= 0x2776 && c <= 0x2793)) {  // ① ⑴ ⒈ ❶
        return 1;
    }
    if (c == U'(') {
        std::size_t j = i + 1;
        while (j < n && j - i <= 3 && (is_digit(t[j]) || is_chinese_numeral(t[j]))) {
            ++j;
        }
        return j > i + 1 && j < n && t[j] == U')' ? j - i + 1 : 0;
    }
    if (is_digit(c)) {
        std::size_t j = i;
        while (j < n && is_digit(t[j]) && j - i < 3) {
            ++j;
        }
        if (j < n && (t[j] == U'.' || t[j] == U'、' || t[j] == U')') && (j + 1 >= n || !is_digit(t[j + 1]))) {
            return j - i + 1;
        }
        return 0;
    }
    if (is_chinese_numeral(c) && c != U'万' && c != U'千' && c != U'百' && c != U'两') {
        std::size_t j = i;
        while (j < n && is_chinese_numeral(t[j]) && j - i < 3) {
            ++j;
        }
        // 一、 is a label; 一、二级保护区 is not.
        if (j < n && t[j] == U'、' && (j + 1 >= n || !is_chinese_numeral(t[j + 1]))) {
            return j - i + 1;
        }
    }
    return 0;
}

// A dimension heading at i (空间布局约束： / 【空间布局约束】), its length or 0.
std::pair<Dimension, std::size_t> heading_at(TextView t, std::size_t i) {
    std::size_t j = i;
    const bool bracketed = j < t.size() && (t[j] == U'【' || t[j] == U'[');
    if (bracketed) {
        ++j;
    }
    const DimensionWord* word = longest_at(dimension_words, t, j);
    if (word == nullptr) {
        return {Dimension::unspecified, 0};
    }
    j += word->word.size();
    if (bracketed) {
        if (j < t.size() && (t[j] == U'】' || t[j] == U']')) {
            ++j;
        } else {
            return {Dimension::unspecified, 0};
        }
    }
    if (j < t.size() && t[j] == U':') {
        return {word->dimension, j + 1 - i};
    }
    if (bracketed || j >= t.size() || t[j] == U'\n' || t[j] == U'\r') {
        return {word->dimension, j - i};
    }
    return {Dimension::unspecified, 0};
}

// A line break ends a sentence when the next line starts one (a label, a heading, an
// action or scale word); otherwise the text was wrapped and the sentence goes on.
bool line_ends_sentence(TextView t, std::size_t i) {
    std::size_t j = i;
    while (j < t.size() && utf32::is_space(t[j])) {
        ++j;
    }
    if (j >= t.size() || label_length(t, j) != 0 || heading_at(t, j).second != 0) {
        return true;
    }
    for (const auto& word : action_words) {
        if (word.mode != Mode::weak && at(t, j, word.word)) {
            return true;
        }
    }
    for (const TextView start : {U"除", U"在", U"对", U"严格", U"原则上"}) {
        if (at(t, j, start)) {
            return true;
        }
    }
    return longest_at(scale_words, t, j) != nullptr;
}

std::vector<Sentence> split_sentences(const Block& block, Dimension dimension) {
    const Text& t = block.text;
    std::vector<Sentence> out;
    int item = 0;
    int number = 0;
    std::string label;
    std::size_t i = 0;
    while (i < t.size()) {
        while (i < t.size() && (utf32::is_space(t[i]) || t[i] == U'。' || t[i] == U';' || t[i] == U',')) {
            ++i;
        }
        if (i >= t.size()) {
            break;
        }
        if (const std::size_t length = label_length(t, i)) {
            ++item;
            number = 0;
            label = text::trim(block.raw.substr(block.bytes[i], block.bytes[i + length] - block.bytes[i]));
            i += length;
            continue;
        }
        if (const auto [heading, length] = heading_at(t, i); length != 0) {
            dimension = heading;
            i += length;
            continue;
        }
        Sentence sentence;
        sentence.begin = i;
        int depth = 0;
        while (i < t.size()) {
            const char32_t c = t[i];
            if ((c == U'\n' || c == U'\r') && line_ends_sentence(t, i)) {
                break;
            }
            if (is_opening(c)) {
                ++depth;
            } else if (is_closing(c)) {
                depth = std::max(0, depth - 1);
            } else if (depth == 0 && (c == U'。' || c == U';' || c == U'!' || c == U'?')) {
                ++i;
                break;
            }
            ++i;
        }
        sentence.with_terminator = i;
        sentence.end = i;
        while (sentence.end > sentence.begin &&
               (utf32::is_space(t[sentence.end - 1]) || t[sentence.end - 1] == U'。' || t[sentence.end - 1] == U';' ||
                t[sentence.end - 1] == U'!' || t[sentence.end - 1] == U'?')) {
            --sentence.end;
        }
        while (sentence.with_terminator > sentence.end && utf32::is_space(t[sentence.with_terminator - 1])) {
            --sentence.with_terminator;
        }
        bool content = false;
        for (std::size_t k = sentence.begin; k < sentence.end; ++k) {
            content = content || !(is_punctuation(t[k]) || utf32::is_space(t[k]));
        }
        if (content) {
            sentence.label = label;
            sentence.item = item;
            sentence.number = ++number;
            sentence.dimension = dimension;
            out.push_back(sentence);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// One clause.

enum Use : unsigned char { free_ = 0, in_exception = 1, in_threshold = 2, taken = 3 };

struct ActionHit {
    std::size_t pos = 0;
    const ActionWord* word = nullptr;
};

// A stretch of the text with its words out of play removed: what the phrase reader sees.
struct Stretch {
    Text text;
    std::vector<std::size_t> at;  // block position of each character
};

struct Phrase {
    std::vector<Scale> scales;
    std::vector<IndustryRef> industries;
    bool all = false;
    bool open_list = false;
    std::optional<IndustryRef> category;
    bool head = false;
    Target target = Target::projects;
    std::vector<std::string> waters, types;
    std::vector<Judgement> problems;
    bool empty = true;
    bool has_industry_words() const { return !industries.empty() || category.has_value() || all; }
};

class ClauseReader {
public:
    ClauseReader(const Block& block, const IndustryCatalog& catalog, std::size_t begin, std::size_t end, Clause& clause)
        : b_(block),
          t_(block.text),
          catalog_(catalog),
          begin_(begin),
          end_(end),
          use_(end - begin, free_),
          c_(clause) {}

    void read();

private:
    const Block& b_;
    const Text& t_;
    const IndustryCatalog& catalog_;
    std::size_t begin_, end_;
    std::vector<unsigned char> use_;
    Clause& c_;
    std::vector<std::pair<std::size_t, std::size_t>> threshold_ranges_;

    unsigned char& use(std::size_t pos) { return use_[pos - begin_]; }
    void take(std::size_t from, std::size_t to, Use how) {
        for (std::size_t k = from; k < to; ++k) {
            use(k) = how;
        }
    }
    Span span(std::size_t from, std::size_t to) const {
        return {b_.bytes[from] - b_.bytes[begin_], b_.bytes[to] - b_.bytes[from]};
    }
    void judge(Reason reason, std::size_t from, std::size_t to) {
        const Span s = span(from, to);
        for (const auto& j : c_.judgements) {
            if (j.reason == reason && j.span == s) {
                return;
            }
        }
        c_.judgements.push_back({reason, s});
    }
    void judge(Reason reason) { judge(reason, begin_, end_); }

    Stretch stretch(std::size_t from, std::size_t to, bool include_exceptions = false) const;
    void find_exceptions();
    void find_soft_words();
    void find_thresholds();
    std::vector<ActionHit> find_actions();
    Phrase read_phrase(const Stretch& s) const;
    std::vector<IndustryRef> read_items(const Stretch& s, std::size_t from, std::size_t to, Phrase& phrase) const;
    void read_exception(std::size_t from, std::size_t to, ClauseException& exception);
    bool harmless(const Stretch& s, std::size_t from, std::size_t to, std::vector<Scale>* scales = nullptr) const;
    void report(const Phrase& phrase, bool prohibition, bool governed_side);
    bool refers(std::size_t from) const;

    struct PendingException {
        std::size_t whole_from, whole_to, from, to;
    };
    std::vector<PendingException> exceptions_;
};

Stretch ClauseReader::stretch(std::size_t from, std::size_t to, bool include_exceptions) const {
    Stretch s;
    for (std::size_t k = from; k < to; ++k) {
        const unsigned char how = use_[k - begin_];
        if (how == in_threshold) {
            if (s.text.empty() || s.text.back() != threshold_mark || k == from ||
                use_[k - 1 - begin_] != in_threshold) {
                s.text += threshold_mark;
                s.at.push_back(k);
            }
            continue;
        }
        if (how == taken || (how == in_exception && !include_exceptions) || utf32::is_space(t_[k])) {
            continue;
        }
        s.text += t_[k];
        s.at.push_back(k);
    }
    return s;
}

void ClauseReader::find_exceptions() {
    // Segments at depth-0 commas.
    std::vector<std::pair<std::size_t, std::size_t>> segments;
    int depth = 0;
    std::size_t start = begin_;
    for (std::size_t k = begin_; k < end_; ++k) {
        if (is_opening(t_[k])) {
            ++depth;
        } else if (is_closing(t_[k])) {
            depth = std::max(0, depth - 1);
        } else if (depth == 0 && t_[k] == U',') {
            segments.emplace_back(start, k);
            start = k + 1;
        }
    }
    segments.emplace_back(start, end_);
    auto skip_space = [&](std::size_t k, std::size_t limit) {
        while (k < limit && utf32::is_space(t_[k])) {
            ++k;
        }
        return k;
    };
    for (auto [from, to] : segments) {
        std::size_t s = skip_space(from, to);
        while (to > s && utf32::is_space(t_[to - 1])) {
            --to;
        }
        std::size_t lead = s;
        for (const TextView but : {U"但是", U"但", U"其中"}) {
            if (at(t_, lead, but)) {
                lead += but.size();
                break;
            }
        }
        // 除 X 外 / 以外 / 之外
        if (at(t_, lead, U"除") && !at(t_, lead, U"除尘") && !at(t_, lead, U"除臭") && !at(t_, lead, U"除外")) {
            for (std::size_t k = lead + 1; k < to; ++k) {
                if (t_[k] == U'外') {
                    std::size_t inner_end = k;
                    if (inner_end > lead + 1 && (t_[inner_end - 1] == U'以' || t_[inner_end - 1] == U'之')) {
                        --inner_end;
                    }
                    exceptions_.push_back({s, k + 1, lead + 1, inner_end});
                    take(s, k + 1, in_exception);
                    break;
                }
            }
            continue;
        }
        // X 除外 at the end of a segment
        if (to >= lead + 2 && at(t_, to - 2, U"除外")) {
            std::size_t inner_end = to - 2;
            if (inner_end > lead && t_[inner_end - 1] == U'的') {
                --inner_end;
            }
            exceptions_.push_back({s, to, lead, inner_end});
            take(s, to, in_exception);
            continue;
        }
    }
    // (X 除外) anywhere
    for (std::size_t k = begin_; k < end_; ++k) {
        if (t_[k] != U'(' || use(k) != free_) {
            continue;
        }
        std::size_t close = k + 1;
        while (close < end_ && t_[close] != U')') {
            ++close;
        }
        if (close < end_ && close >= k + 3 && at(t_, close - 2, U"除外")) {
            std::size_t inner_end = close - 2;
            if (inner_end > k + 1 && t_[inner_end - 1] == U'的') {
                --inner_end;
            }
            exceptions_.push_back({k, close + 1, k + 1, inner_end});
            take(k, close + 1, in_exception);
        }
    }
}

void ClauseReader::find_soft_words() {
    for (std::size_t k = begin_; k < end_; ++k) {
        if (use(k) != free_) {
            continue;
        }
        if (at(t_, k, U"原则上")) {
            judge(Reason::in_principle, k, k + 3);
            take(k, k + 3, taken);
        } else {
            for (const TextView soft : {U"尽可能", U"尽量", U"不宜", U"适度"}) {
                if (at(t_, k, soft)) {
                    judge(Reason::soft_wording, k, k + soft.size());
                    take(k, k + soft.size(), taken);
                    break;
                }
            }
        }
        for (const auto& word : catalogue_words) {
            if (at(t_, k, word.word)) {
                judge(Reason::policy_catalogue, k, k + word.word.size());
            }
        }
    }
}

void ClauseReader::find_thresholds() {
    for (std::size_t k = begin_; k < end_; ++k) {
        if (use(k) != free_) {
            continue;
        }
        // A number written in Chinese numerals before a unit: not read.
        if (is_chinese_numeral(t_[k]) && (k == begin_ || !is_chinese_numeral(t_[k - 1]))) {
            std::size_t j = k;
            while (j < end_ && is_chinese_numeral(t_[j])) {
                ++j;
            }
            const UnitWord* unit = j < end_ ? longest_at(unit_words, t_, j) : nullptr;
            if (unit != nullptr && unit->word != U"m" && (j - k >= 2 || t_[k] != U'万')) {
                judge(Reason::threshold_unclear, k, j + unit->word.size());
            }
            continue;
        }
        if (!is_digit(t_[k]) || (k > begin_ && (is_digit(t_[k - 1]) || is_latin(t_[k - 1]) || t_[k - 1] == U'.'))) {
            continue;
        }
        // The number.
        std::size_t j = k;
        while (j < end_ && (is_digit(t_[j]) || (t_[j] == U',' && j + 3 < end_ && is_digit(t_[j + 1]) &&
                                                is_digit(t_[j + 2]) && is_digit(t_[j + 3])))) {
            ++j;
        }
        if (j + 1 < end_ && t_[j] == U'.' && is_digit(t_[j + 1])) {
            ++j;
            while (j < end_ && is_digit(t_[j])) {
                ++j;
            }
        }
        std::string digits;
        for (std::size_t d = k; d < j; ++d) {
            if (t_[d] != U',') {
                digits += static_cast<char>(t_[d]);
            }
        }
        double value = std::stod(digits);
        std::size_t u = j;
        while (u < end_ && utf32::is_space(t_[u])) {
            ++u;
        }
        if (u < end_ && t_[u] == U'万') {
            value *= 1e4;
            ++u;
        } else if (u < end_ && t_[u] == U'亿') {
            value *= 1e8;
            ++u;
        }
        const UnitWord* unit = longest_at(unit_words, t_, u);
        // A range (30-50万吨) is not a threshold the reader can state.
        std::size_t after = unit != nullptr ? u + unit->word.size() : u;
        const bool range =
            (j < end_ && TextView(U"-~～至到—").find(t_[j]) != TextView::npos && j + 1 < end_ && is_digit(t_[j + 1])) ||
            (after < end_ && TextView(U"-~～至到—").find(t_[after]) != TextView::npos && after + 1 < end_ &&
             is_digit(t_[after + 1]));
        // Comparators before (with the measure before them) and after.
        std::size_t start = k;
        const Comparator* before = longest_ending_at(comparators_before, t_, start);
        if (before != nullptr && start - before->word.size() >= begin_) {
            start -= before->word.size();
        } else {
            before = nullptr;
        }
        const Comparator* following = unit != nullptr ? longest_at(comparators_after, t_, after) : nullptr;
        if (unit == nullptr) {
            if (before != nullptr) {
                judge(Reason::threshold_unclear, start, u);
            }
            k = j;
            continue;
        }
        std::size_t stop = after + (following != nullptr ? following->word.size() : 0);
        if (range || (before == nullptr && following == nullptr) ||
            (before != nullptr && following != nullptr && before->comparison != following->comparison)) {
            judge(Reason::threshold_unclear, start, stop);
            take(start, stop, in_threshold);
            k = stop - 1;
            continue;
        }
        // The measure, and a pollutant before it.
        std::size_t measure_end = start;
        if (measure_end > begin_ && TextView(U"为在达").find(t_[measure_end - 1]) != TextView::npos &&
            measure_end - 1 > begin_ && longest_ending_at(measure_words, t_, measure_end - 1) != nullptr) {
            --measure_end;
        }
        const MeasureWord* measure = longest_ending_at(measure_words, t_, measure_end);
        if (measure != nullptr && measure_end - measure->word.size() >= begin_) {
            start = measure_end - measure->word.size();
        } else {
            measure = nullptr;
        }
        const PollutantWord* pollutant = longest_ending_at(pollutant_words, t_, start);
        if (pollutant != nullptr && measure != nullptr && start - pollutant->word.size() >= begin_) {
            start -= pollutant->word.size();
        } else {
            pollutant = nullptr;
        }
        // 产能30万吨: per year or per day? Not said, so not read.
        const bool bare_tonnes =
            unit->unit == Unit::tonne && (measure == nullptr || measure->tonnes_as == Unit::tonne) &&
            (measure != nullptr && (measure->measure == Measure::capacity || measure->measure == Measure::output ||
                                    measure->measure == Measure::emission || measure->measure == Measure::water_use));
        if (bare_tonnes) {
            judge(Reason::threshold_unclear, start, stop);
            take(start, stop, in_threshold);
            k = stop - 1;
            continue;
        }
        Threshold threshold;
        threshold.comparison = before != nullptr ? before->comparison : following->comparison;
        threshold.role = before != nullptr && before->limit ? ThresholdRole::limit : ThresholdRole::scope;
        threshold.unit = unit->unit;
        threshold.value = value * unit->factor;
        if (unit->unit == Unit::tonne && measure != nullptr) {
            threshold.unit = measure->tonnes_as;
        }
        threshold.measure = measure != nullptr ? measure->measure : unit->implies;
        if (threshold.measure == Measure::unspecified && unit->implies != Measure::unspecified) {
            threshold.measure = unit->implies;
        }
        threshold.pollutant = pollutant != nullptr ? pollutant->pollutant : Pollutant::unspecified;
        threshold.span = span(start, stop);
        c_.thresholds.push_back(threshold);
        threshold_ranges_.emplace_back(start, stop);
        take(start, stop, in_threshold);
        k = stop - 1;
    }
}

std::vector<ActionHit> ClauseReader::find_actions() {
    std::vector<ActionHit> hits;
    for (std::size_t k = begin_; k < end_; ++k) {
        if (use(k) != free_) {
            continue;
        }
        const ActionWord* best = nullptr;
        for (const auto& word : action_words) {
            if (at(t_, k, word.word) && (best == nullptr || word.word.size() > best->word.size())) {
                bool free = true;
                for (std::size_t m = k; m < k + word.word.size() && m < end_; ++m) {
                    free = free && use(m) == free_;
                }
                if (free && k + word.word.size() <= end_ && action_word_counts(t_, k, word)) {
                    best = &word;
                }
            }
        }
        if (best != nullptr) {
            hits.push_back({k, best});
            k += best->word.size() - 1;
        }
    }
    return hits;
}

// Whether words after the governed ones only say where or how it is built (入驻, 在本单元内,
// 新建、扩建); the scale words found are added to `scales`.
bool ClauseReader::harmless(const Stretch& s, std::size_t from, std::size_t to, std::vector<Scale>* scales) const {
    std::size_t k = from;
    while (k < to) {
        if (is_punctuation(s.text[k])) {
            ++k;
        } else if (const std::size_t n =
                       std::max(longest_word_at(harmless_tail, s.text, k), longest_word_at(fillers, s.text, k))) {
            k += n;
        } else if (const ScaleWord* scale = longest_at(scale_words, s.text, k);
                   scale != nullptr && scale->scales[0] != X_) {
            if (scales != nullptr) {
                for (const int index : scale->scales) {
                    if (index >= 0) {
                        scales->push_back(static_cast<Scale>(index));
                    }
                }
            }
            k += scale->word.size();
        } else {
            return false;
        }
    }
    return true;
}

std::vector<IndustryRef> ClauseReader::read_items(const Stretch& s, std::size_t from, std::size_t to,
                                                  Phrase& phrase) const {
    std::vector<IndustryRef> items;
    auto ref = [&](std::size_t a, std::size_t z, const IndustryMatch& match) {
        IndustryRef r;
        r.span = span(s.at[a], s.at[z - 1] + 1);
        r.match = match;
        return r;
    };
    auto unknown = [&](std::size_t a, std::size_t z) {
        phrase.problems.push_back({Reason::unknown_industry, span(s.at[a], s.at[z - 1] + 1)});
    };
    std::size_t k = from;
    while (k < to) {
        std::size_t next = k;
        while (next < to && s.text[next] != U'、' && s.text[next] != U',' && s.text[next] != U'/' &&
               s.text[next] != U';') {
            ++next;
        }
        std::size_t a = k;
        std::size_t z = next;
        while (a < z && (is_punctuation(s.text[a]) || s.text[a] == threshold_mark)) {
            ++a;
        }
        while (z > a && is_punctuation(s.text[z - 1])) {
            --z;
        }
        if (a < z) {
            const Text piece = s.text.substr(a, z - a);
            if (auto match = catalog_.try_resolve(utf32::encode(piece))) {
                items.push_back(ref(a, z, *match));
            } else {
                // X和Y, X及Y, X与Y, X或Y: two items, when both are known.
                bool split = false;
                for (const TextView joint : {U"以及", U"和", U"及", U"与", U"或"}) {
                    const std::size_t p = piece.find(joint);
                    if (p == Text::npos || p == 0 || p + joint.size() >= piece.size()) {
                        continue;
                    }
                    auto left = catalog_.try_resolve(utf32::encode(piece.substr(0, p)));
                    auto right = catalog_.try_resolve(utf32::encode(piece.substr(p + joint.size())));
                    if (left && right) {
                        items.push_back(ref(a, a + p, *left));
                        items.push_back(ref(a + p + joint.size(), z, *right));
                        split = true;
                        break;
                    }
                }
                if (!split) {
                    unknown(a, z);
                }
            }
        }
        k = next + 1;
    }
    return items;
}

Phrase ClauseReader::read_phrase(const Stretch& s) const {
    Phrase phrase;
    const TextView w = s.text;
    std::size_t k = 0;
    std::size_t end = w.size();
    auto problem = [&](Reason reason, std::size_t a, std::size_t z) {
        if (a < z) {
            phrase.problems.push_back({reason, span(s.at[a], s.at[z - 1] + 1)});
        }
    };
    auto add_scales = [&](const ScaleWord& word) {
        for (const int index : word.scales) {
            if (index >= 0) {
                phrase.scales.push_back(static_cast<Scale>(index));
            }
        }
    };
    bool any_word = false;
    // Front: fillers, scales and verbs in any order (在本单元内新建、扩建建设 ...); 违规 and
    // the like narrow what is governed to what breaks other rules: a condition.
    for (bool moved = true; moved && k < end;) {
        moved = false;
        for (const TextView narrowing : {U"违规", U"违法", U"擅自", U"盲目"}) {
            if (at(w, k, narrowing)) {
                problem(Reason::condition, k, k + narrowing.size());
                k += narrowing.size();
                moved = true;
            }
        }
        while (k < end && is_punctuation(w[k]) && w[k] != U'(' && w[k] != U'《') {
            ++k;
            moved = true;
        }
        if (const std::size_t n = longest_word_at(fillers, w, k)) {
            const TextView word = w.substr(k, n);
            any_word = any_word || word == U"任何" || word == U"所有" || word == U"一切" || word == U"各类";
            k += n;
            moved = true;
        }
        if (const ScaleWord* scale = longest_at(scale_words, w, k)) {
            add_scales(*scale);
            k += scale->word.size();
            // 新建、扩建 written as two words
            while (k + 1 < end && (w[k] == U'、' || w[k] == U'和' || w[k] == U'或' || w[k] == U'及' || w[k] == U'/')) {
                const ScaleWord* more = longest_at(scale_words, w, k + 1);
                if (more == nullptr) {
                    break;
                }
                add_scales(*more);
                k += 1 + more->word.size();
            }
            moved = true;
        }
        if (const std::size_t n = longest_word_at(object_verbs, w, k)) {
            // 建 alone only right after a scale word (新、扩建 is a scale word already).
            if (!(n == 1 && phrase.scales.empty())) {
                k += n;
                moved = true;
            }
        }
    }
    // Back: adverbs and the unit itself (化工项目一律, 化工项目在本单元内).
    for (bool moved = true; moved && end > k;) {
        moved = false;
        while (end > k && is_punctuation(w[end - 1]) && w[end - 1] != U')' && w[end - 1] != U'》') {
            --end;
            moved = true;
        }
        for (const auto& filler : fillers) {
            if (filler.word != U"对" && filler.word != U"且" && filler.word != U"并" &&
                ends_with_at(w, end, filler.word) && end - filler.word.size() >= k) {
                end -= filler.word.size();
                moved = true;
                break;
            }
        }
    }
    phrase.empty = k >= end;
    if (phrase.empty) {
        return phrase;
    }
    // A place other than the unit itself (在...内, ...周边) is a condition.
    for (const TextView place : {U"内", U"外", U"周边", U"附近", U"沿岸", U"沿线", U"两侧", U"上游"}) {
        if (ends_with_at(w, end, place) || (w[k] == U'在' && end - k > 1)) {
            problem(Reason::condition, k, end);
            return phrase;
        }
    }
    // The head noun.
    std::size_t body_end = end;
    const HeadWord* head = nullptr;
    for (const auto& candidate : head_words) {
        if (ends_with_at(w, end, candidate.word) && end - candidate.word.size() >= k &&
            (head == nullptr || candidate.word.size() > head->word.size())) {
            head = &candidate;
        }
    }
    if (head != nullptr) {
        phrase.head = true;
        phrase.target = head->target;
        if (head->water != nullptr) {
            phrase.waters.push_back(head->water);
        }
        body_end = end - head->word.size();
    }
    // Modifiers before 的: only thresholds may stand there.
    std::size_t core = k;
    for (std::size_t d = body_end; d > k; --d) {
        if (w[d - 1] == U'的') {
            bool only_thresholds = true;
            for (std::size_t m = k; m < d - 1; ++m) {
                only_thresholds = only_thresholds && (w[m] == threshold_mark || is_punctuation(w[m]));
            }
            if (!only_thresholds) {
                problem(Reason::condition, k, d);
            }
            core = d;
            break;
        }
    }
    while (core < body_end && (w[core] == threshold_mark || is_punctuation(w[core]))) {
        ++core;
    }
    if (phrase.target == Target::outfalls) {
        for (std::size_t m = core; m < body_end;) {
            const OutfallWord* word = longest_at(outfall_words, w, m);
            if (word == nullptr) {
                if (is_punctuation(w[m]) || w[m] == U'和' || w[m] == U'及' || w[m] == U'或') {
                    ++m;
                    continue;
                }
                problem(Reason::unparsed, m, body_end);
                break;
            }
            if (word->water != nullptr) {
                phrase.waters.push_back(word->water);
            }
            if (word->type != nullptr) {
                phrase.types.push_back(word->type);
            }
            m += word->word.size();
        }
        return phrase;
    }
    // The list, and what follows 等.
    std::size_t list_end = body_end;
    std::size_t category_from = body_end;
    for (std::size_t m = core + 1; m < body_end; ++m) {
        if (w[m] == U'等' &&
            (m + 1 >= body_end || TextView(U"量级同于标效额值待候").find(w[m + 1]) == TextView::npos)) {
            phrase.open_list = true;
            list_end = m;
            category_from = m + 1;
            while (category_from < body_end && w[category_from] == U'等') {
                ++category_from;
            }
            break;
        }
    }
    if (core < list_end && !phrase.open_list && phrase.head &&
        !catalog_.try_resolve(utf32::encode(w.substr(core, body_end - core)))) {
        // 落后产能, 涉重金属重点行业: one name that ends like a head noun.
        if (auto match = catalog_.try_resolve(utf32::encode(w.substr(core, end - core)))) {
            IndustryRef r;
            r.span = span(s.at[core], s.at[end - 1] + 1);
            r.match = *match;
            phrase.industries.push_back(r);
            list_end = core;
        }
    }
    if (core < list_end) {
        phrase.industries = read_items(s, core, list_end, phrase);
    }
    if (category_from < body_end) {
        const Text words(w.substr(category_from, body_end - category_from));
        if (words != U"行业" && words != U"产业" && words != U"类") {
            // 过剩产能 is a name with its head; 重污染项目 is one without.
            std::size_t category_end = end;
            auto match = catalog_.try_resolve(utf32::encode(w.substr(category_from, end - category_from)));
            if (!match) {
                category_end = body_end;
                match = catalog_.try_resolve(utf32::encode(words));
            }
            if (match) {
                IndustryRef r;
                r.span = span(s.at[category_from], s.at[category_end - 1] + 1);
                r.match = *match;
                phrase.category = r;
            } else {
                problem(Reason::unknown_industry, category_from, body_end);
            }
        }
    }
    for (const auto& item : phrase.industries) {
        if (item.match.judgement) {
            phrase.problems.push_back({Reason::undefined_category, item.span});
        }
    }
    if (phrase.industries.empty() && phrase.category && phrase.category->match.judgement) {
        phrase.problems.push_back({Reason::undefined_category, phrase.category->span});
    }
    if (core >= body_end && phrase.head) {
        phrase.all = true;
    } else if (core >= body_end && any_word) {
        phrase.all = true;
    }
    return phrase;
}

void ClauseReader::read_exception(std::size_t from, std::size_t to, ClauseException& exception) {
    const Stretch s = stretch(from, to, true);
    Phrase phrase = read_phrase(s);
    if (phrase.problems.empty() && !phrase.industries.empty() && !phrase.open_list && !phrase.category &&
        phrase.scales.empty() && phrase.target == Target::projects) {
        bool definite = true;
        for (const auto& item : phrase.industries) {
            definite = definite && !item.match.judgement;
        }
        if (definite) {
            exception.industries = phrase.industries;
            return;
        }
    }
    exception.condition = true;
    judge(Reason::exception_condition, from, to);
}

// 执行/落实 ... 准入要求: the clause points to another list.
bool ClauseReader::refers(std::size_t from) const {
    const Stretch s = stretch(from, end_);
    for (const TextView verb : {U"严格执行", U"执行", U"落实", U"遵守", U"遵照", U"参照", U"按照"}) {
        if (s.text.starts_with(verb)) {
            for (const TextView what : {U"准入要求", U"管控要求", U"准入清单", U"总体要求", U"准入规定"}) {
                if (s.text.ends_with(what)) {
                    return true;
                }
            }
        }
    }
    return false;
}

void ClauseReader::report(const Phrase& phrase, bool prohibition, bool governed_side) {
    for (auto problem : phrase.problems) {
        if (prohibition && (problem.reason == Reason::condition || problem.reason == Reason::unknown_industry ||
                            problem.reason == Reason::unparsed)) {
            // A negation inside what a prohibition governs reverses it (禁止...不符合...的项目),
            // and so does 未经/非经 before it (未经批准不得...).
            const std::size_t from = b_.bytes[begin_] + problem.span.offset;
            const Text words = utf32::fold(utf32::decode(b_.raw.substr(from, problem.span.length)));
            const bool unless = words.starts_with(U"未经") || words.starts_with(U"非经") ||
                                words.starts_with(U"未取得") || words.starts_with(U"未办理");
            if ((governed_side && has_negation(words)) || unless) {
                problem.reason = Reason::double_negation;
            } else if (has_negation(words) && problem.reason != Reason::condition) {
                problem.reason = Reason::condition;
            }
        }
        bool seen = false;
        for (const auto& j : c_.judgements) {
            seen = seen || (j.reason == problem.reason && j.span == problem.span);
        }
        if (!seen) {
            c_.judgements.push_back(problem);
        }
    }
}

void ClauseReader::read() {
    find_exceptions();
    find_soft_words();
    find_thresholds();
    const std::vector<ActionHit> hits = find_actions();

    // The action: the strong words decide; weak ones (实施, 执行) only when alone; a limit
    // (不得超过) is a requirement.
    std::vector<ActionHit> strong;
    std::copy_if(hits.begin(), hits.end(), std::back_inserter(strong),
                 [](const ActionHit& h) { return h.word->mode != Mode::weak; });
    const std::vector<ActionHit>& deciding = strong.empty() ? hits : strong;
    std::optional<ActionHit> primary;
    for (const auto& hit : deciding) {
        if (!primary) {
            primary = hit;
        } else if (hit.word->action != primary->word->action) {
            c_.action.reset();
            judge(Reason::mixed_actions);
            return;
        }
    }
    const bool has_limit = std::any_of(c_.thresholds.begin(), c_.thresholds.end(),
                                       [](const Threshold& t) { return t.role == ThresholdRole::limit; });
    if (strong.empty() && refers(begin_)) {
        c_.action = Action::refer;
        judge(Reason::reference);
        return;
    }
    std::size_t split_at = end_;  // where the governed side ends
    std::size_t content_from = end_;
    Mode mode = Mode::before_content;
    if (primary) {
        c_.action = primary->word->action;
        mode = primary->word->mode;
        split_at = primary->pos;
        content_from = primary->pos + primary->word->word.size();
        // Only the deciding word leaves play: a second 不能 inside the object is a negation
        // there, and a weak verb after a strong one is part of the requirement.
        take(primary->pos, primary->pos + primary->word->word.size(), taken);
    } else if (has_limit) {
        c_.action = Action::require;
        for (std::size_t i = 0; i < c_.thresholds.size(); ++i) {
            if (c_.thresholds[i].role == ThresholdRole::limit && threshold_ranges_[i].first < split_at) {
                split_at = threshold_ranges_[i].first;
                content_from = threshold_ranges_[i].first;
            }
        }
    } else {
        judge(Reason::no_action);
        return;
    }
    const Action action = *c_.action;
    const bool prohibition =
        action == Action::prohibit || action == Action::restrict || action == Action::strictly_control;

    // A prohibiting modal followed by a scale or a construction verb governs what follows
    // it (不得新建X); after 须 or 应 what follows is the requirement (须新建污水处理设施).
    if (mode == Mode::before_content && prohibition) {
        const Stretch after = stretch(content_from, end_);
        std::size_t k = 0;
        while (k < after.text.size() && longest_word_at(fillers, after.text, k) != 0) {
            k += longest_word_at(fillers, after.text, k);
        }
        const ScaleWord* scale = longest_at(scale_words, after.text, k);
        const std::size_t verb = longest_word_at(object_verbs, after.text, k);
        if ((scale != nullptr || (verb != 0 && !at(after.text, k, U"入驻") && !at(after.text, k, U"落户") &&
                                  !at(after.text, k, U"布局"))) &&
            k < after.text.size()) {
            mode = Mode::before_object;
        }
    }

    // Thresholds: on the governed side they say which projects, after a modal what is required.
    for (std::size_t i = 0; i < c_.thresholds.size(); ++i) {
        if (mode != Mode::before_object && threshold_ranges_[i].first >= content_from) {
            c_.thresholds[i].role = ThresholdRole::limit;
        }
    }

    Phrase subject = read_phrase(stretch(begin_, split_at));
    Phrase object;
    if (mode == Mode::before_object) {
        // The object runs to its head noun; what follows must be harmless in a prohibition
        // and is the requirement otherwise.
        const Stretch after = stretch(content_from, end_);
        std::size_t object_end = after.text.size();
        std::optional<std::size_t> first_head;
        bool ends_well = false;
        std::vector<Scale> tail_scales;  // 禁止化工项目新建、扩建
        for (std::size_t m = 0; m < after.text.size(); ++m) {
            const HeadWord* head = longest_at(head_words, after.text, m);
            if (head == nullptr) {
                continue;
            }
            const std::size_t head_end = m + head->word.size();
            // A longer head ending later (建设项目 over 项目) is found at its own start.
            if (!first_head) {
                first_head = head_end;
            }
            std::vector<Scale> found;
            if (harmless(after, head_end, after.text.size(), &found)) {
                object_end = head_end;
                ends_well = true;
                tail_scales = found;
                break;
            }
        }
        if (!ends_well && first_head) {
            object_end = *first_head;
            if (prohibition) {
                const std::size_t tail_from = after.at[object_end];
                const Text tail = utf32::fold(Text(TextView(t_).substr(tail_from, end_ - tail_from)));
                judge(has_negation(tail) ? Reason::double_negation : Reason::condition, tail_from, end_);
            }
        }
        Stretch object_words;
        object_words.text = after.text.substr(0, object_end);
        object_words.at.assign(after.at.begin(), after.at.begin() + static_cast<std::ptrdiff_t>(object_end));
        object = read_phrase(object_words);
        object.scales.insert(object.scales.end(), tail_scales.begin(), tail_scales.end());
    } else if (prohibition) {
        // X 不得 Y: Y must only say where or how X is built.
        const Stretch after = stretch(content_from, end_);
        if (!harmless(after, 0, after.text.size(), &subject.scales)) {
            const std::size_t from = after.at.empty() ? content_from : after.at.front();
            const Text tail = utf32::fold(Text(TextView(t_).substr(from, end_ - from)));
            judge(has_negation(tail) ? Reason::double_negation : Reason::condition, from, end_);
        }
    }

    report(subject, prohibition, mode != Mode::before_object);
    report(object, prohibition, true);
    // What is governed: the object after 禁止 (or 不得新建), unless it holds only scales and
    // the subject names the industries (化工项目不得新建); else the subject of the modal.
    const Phrase* governed = &subject;
    if (mode == Mode::before_object) {
        const bool object_names = object.has_industry_words() || object.target == Target::outfalls ||
                                  !object.problems.empty() || (!object.empty && object.scales.empty());
        if (object_names) {
            governed = &object;
            if (subject.has_industry_words() && !subject.all) {
                judge(Reason::unparsed, begin_, split_at);  // industries on both sides
            }
        }
    }
    c_.scales = subject.scales;
    c_.scales.insert(c_.scales.end(), object.scales.begin(), object.scales.end());
    std::sort(c_.scales.begin(), c_.scales.end());
    c_.scales.erase(std::unique(c_.scales.begin(), c_.scales.end()), c_.scales.end());
    if (c_.scales.size() > 1 && c_.scales.back() == Scale::existing) {
        c_.scales.pop_back();  // 现有企业扩建: the change is what is governed
    }
    c_.industries = governed->industries;
    c_.open_list = governed->open_list;
    c_.category = governed->category;
    c_.target = governed->target;
    c_.outfall_waters = governed->waters;
    c_.outfall_types = governed->types;
    c_.all_industries = governed->all;
    if (!governed->has_industry_words() && governed->target == Target::projects && governed->problems.empty()) {
        if (governed->empty && action == Action::require) {
            c_.all_industries = true;  // 应当编制应急预案, 新建项目须...: everyone in the unit
        } else {
            judge(Reason::unparsed);  // 不得在本单元内布局: what is it that may not?
        }
    }

    for (const auto& pending : exceptions_) {
        ClauseException exception;
        exception.span = span(pending.whole_from, pending.whole_to);
        read_exception(pending.from, pending.to, exception);
        c_.exceptions.push_back(std::move(exception));
    }
}

}  // namespace

std::vector<Clause> read_clauses(std::string_view text, const IndustryCatalog& catalog, Dimension dimension) {
    Block block;
    block.raw = text;
    block.text = utf32::fold(utf32::decode(text, &block.bytes));
    std::vector<Clause> clauses;
    for (const Sentence& sentence : split_sentences(block, dimension)) {
        // Parts at depth-0 commas; a new part starts where a second action begins.
        std::vector<std::pair<std::size_t, std::size_t>> segments;
        int depth = 0;
        std::size_t start = sentence.begin;
        for (std::size_t k = sentence.begin; k < sentence.end; ++k) {
            const char32_t c = block.text[k];
            if (is_opening(c)) {
                ++depth;
            } else if (is_closing(c)) {
                depth = std::max(0, depth - 1);
            } else if (depth == 0 && c == U',') {
                segments.emplace_back(start, k);
                start = k + 1;
            }
        }
        segments.emplace_back(start, sentence.end);
        auto has_action = [&](std::size_t from, std::size_t to) {
            for (std::size_t k = from; k < to; ++k) {
                for (const auto& word : action_words) {
                    if (k + word.word.size() <= to && at(block.text, k, word.word) &&
                        action_word_counts(block.text, k, word)) {
                        return true;
                    }
                }
                for (const auto& comparator : comparators_before) {
                    if (comparator.limit && k + comparator.word.size() <= to && at(block.text, k, comparator.word)) {
                        return true;
                    }
                }
            }
            return false;
        };
        std::vector<std::pair<std::size_t, std::size_t>> parts;
        bool part_has_action = false;
        for (const auto& [from, to] : segments) {
            const bool acting = has_action(from, to);
            if (parts.empty() || (acting && part_has_action)) {
                parts.emplace_back(from, to);
                part_has_action = acting;
            } else {
                parts.back().second = to;
                part_has_action = part_has_action || acting;
            }
        }
        int number = 0;
        for (std::size_t p = 0; p < parts.size(); ++p) {
            auto [from, to] = parts[p];
            while (from < to && (utf32::is_space(block.text[from]) || block.text[from] == U',')) {
                ++from;
            }
            while (to > from && (utf32::is_space(block.text[to - 1]) || block.text[to - 1] == U',')) {
                --to;
            }
            if (from >= to) {
                continue;
            }
            const std::size_t text_end = p + 1 == parts.size() ? sentence.with_terminator : to;
            Clause clause;
            clause.offset = block.bytes[from];
            clause.text = std::string(text.substr(block.bytes[from], block.bytes[text_end] - block.bytes[from]));
            clause.label = sentence.label;
            clause.item = sentence.item;
            clause.sentence = sentence.number;
            clause.part = ++number;
            clause.dimension = sentence.dimension;
            ClauseReader(block, catalog, from, to, clause).read();
            clauses.push_back(std::move(clause));
        }
    }
    return clauses;
}

Reach industry_reach(const Clause& clause, const IndustryCatalog& catalog, std::string_view project_code) {
    if (clause.needs_judgement() || !clause.action) {
        return Reach::needs_judgement;
    }
    Reach reach = Reach::not_governed;
    if (clause.all_industries || (clause.target == Target::outfalls && clause.industries.empty())) {
        reach = Reach::governed;
    } else {
        IndustryCoverage best = IndustryCoverage::no;
        for (const auto& item : clause.industries) {
            best = std::max(best, catalog.coverage(item.match, project_code));
        }
        if (best == IndustryCoverage::yes) {
            reach = Reach::governed;
        } else if (best == IndustryCoverage::arguable) {
            reach = Reach::needs_judgement;
        } else if (clause.category) {
            // Not listed, but maybe of the category the list exemplifies.
            reach = catalog.coverage(clause.category->match, project_code) == IndustryCoverage::no
                        ? Reach::not_governed
                        : Reach::needs_judgement;
        } else if (clause.open_list) {
            reach = Reach::needs_judgement;
        }
    }
    if (reach == Reach::not_governed) {
        return reach;
    }
    for (const auto& exception : clause.exceptions) {
        if (exception.condition) {
            return Reach::needs_judgement;
        }
        for (const auto& item : exception.industries) {
            const IndustryCoverage excepted = catalog.coverage(item.match, project_code);
            if (excepted == IndustryCoverage::yes) {
                return Reach::not_governed;
            }
            if (excepted == IndustryCoverage::arguable) {
                reach = Reach::needs_judgement;
            }
        }
    }
    return reach;
}

Reach scale_reach(const Clause& clause, Scale scale) {
    if (clause.needs_judgement()) {
        return Reach::needs_judgement;
    }
    if (clause.scales.empty()) {
        return Reach::governed;
    }
    return std::find(clause.scales.begin(), clause.scales.end(), scale) != clause.scales.end() ? Reach::governed
                                                                                               : Reach::not_governed;
}

}  // namespace redline::access
