#include "base/scratch.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

using namespace redline;

namespace {

struct Keyed {
    std::uint32_t key;
    std::uint32_t order;  // position when added, to see that equal keys keep it
    bool operator<(const Keyed& o) const { return key < o.key; }
};

std::vector<Keyed> sorted_through(ExternalSorter<Keyed>& sorter, const std::vector<Keyed>& input) {
    for (const auto& r : input) {
        sorter.add(r);
    }
    sorter.finish();
    std::vector<Keyed> out;
    Keyed r{};
    while (sorter.next(r)) {
        out.push_back(r);
    }
    return out;
}

std::vector<Keyed> random_records(std::size_t n, std::uint32_t distinct_keys) {
    std::mt19937 random(7);
    std::vector<Keyed> input;
    for (std::uint32_t i = 0; i < n; ++i) {
        input.push_back({static_cast<std::uint32_t>(random() % distinct_keys), i});
    }
    return input;
}

}  // namespace

TEST_CASE("records written to a scratch file read back by index", "[scratch]") {
    RecordFile<Keyed> file;
    file.append({{1, 10}, {2, 20}, {3, 30}});
    file.write(1, Keyed{5, 50});
    CHECK(file.size() == 3);
    CHECK(file.read(1).key == 5);
    std::vector<Keyed> block;
    file.read(2, 10, block);  // clipped to the end
    REQUIRE(block.size() == 1);
    CHECK(block[0].order == 30);
    file.read(3, 10, block);
    CHECK(block.empty());
}

TEST_CASE("the external sort gives the in-memory order, stable, whether or not it spills", "[scratch]") {
    const auto input = random_records(50'000, 1'000);
    auto expected = input;
    std::stable_sort(expected.begin(), expected.end());

    ExternalSorter<Keyed> in_memory;  // 32 MiB: no spill
    const auto a = sorted_through(in_memory, input);
    CHECK(in_memory.runs() == 0);

    ExternalSorter<Keyed> spilling(4096 * sizeof(Keyed));  // 4096 records per run
    const auto b = sorted_through(spilling, input);
    CHECK(spilling.runs() == 13);

    REQUIRE(a.size() == expected.size());
    REQUIRE(b.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("record " << i);
        REQUIRE(a[i].key == expected[i].key);
        REQUIRE(a[i].order == expected[i].order);
        REQUIRE(b[i].key == expected[i].key);
        REQUIRE(b[i].order == expected[i].order);
    }
}

TEST_CASE("an external sort of nothing gives nothing", "[scratch]") {
    ExternalSorter<Keyed> sorter;
    sorter.finish();
    Keyed r{};
    CHECK_FALSE(sorter.next(r));
}
