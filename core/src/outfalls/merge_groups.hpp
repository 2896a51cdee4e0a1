// Merge groups of an outfall register: outfalls on the same receiving water within a
// distance of each other (transitively), found with external sorts so that a province's
// register needs no more memory than one water's outfalls.
#pragma once

#include "base/geodesy.hpp"
#include "base/scratch.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace redline {

struct RowPatch {  // a value for one row, applied in row order
    std::uint64_t row;
    std::uint32_t value;
    bool operator<(const RowPatch& o) const { return row < o.row; }
};
struct WaterCell {  // an outfall on a named water, by grid cell
    std::uint64_t water;
    std::int64_t cell_x, cell_y;
    std::uint64_t row;
    double lon, lat;
    bool operator<(const WaterCell& o) const {
        return std::tie(water, cell_x, cell_y, row) < std::tie(o.water, o.cell_x, o.cell_y, o.row);
    }
};
struct GroupMember {  // a row of a group, by the group's first row
    std::uint64_t first_row;
    std::uint64_t row;
    bool operator<(const GroupMember& o) const { return std::tie(first_row, row) < std::tie(o.first_row, o.row); }
};

// Merge groups: outfalls on the same receiving water within a distance of each other
// (transitively). The outfalls are sorted by water and grid cell on disk; only one
// water's outfalls are in memory at a time. Groups are numbered in the order of their
// first row; the result is a stream of (row, group number) in row order.
class MergeGrouping {
public:
    explicit MergeGrouping(double distance_m)
        : distance_m_(distance_m),
          cell_lat_(distance_m / 110'500.0),
          // Cells at least `distance_m` wide up to 55 degrees north, China's northern tip.
          cell_lon_(distance_m / (111'320.0 * std::cos(55.0 * std::numbers::pi / 180.0))) {}

    bool enabled() const { return distance_m_ > 0; }

    void add(std::uint64_t row, std::uint64_t water, double lon, double lat) {
        cells_.add({water, static_cast<std::int64_t>(std::floor(lon / cell_lon_)),
                    static_cast<std::int64_t>(std::floor(lat / cell_lat_)), row, lon, lat});
    }

    // Returns the number of groups; the groups then come from next().
    std::size_t finish() {
        cells_.finish();
        std::vector<WaterCell> members;
        WaterCell c{};
        while (cells_.next(c)) {
            if (!members.empty() && members.front().water != c.water) {
                group_one_water(members);
                members.clear();
            }
            members.push_back(c);
        }
        group_one_water(members);
        std::vector<WaterCell>().swap(members);
        by_first_row_.finish();
        std::size_t groups = 0;
        std::uint64_t current = std::numeric_limits<std::uint64_t>::max();
        GroupMember m{};
        while (by_first_row_.next(m)) {
            if (m.first_row != current) {
                current = m.first_row;
                ++groups;
            }
            by_row_.add({m.row, static_cast<std::uint32_t>(groups)});
        }
        by_row_.finish();
        return groups;
    }

    // The group of `row`, for rows asked in increasing order; 0 for none.
    std::uint32_t group_of(std::uint64_t row) {
        while (has_pending_ && pending_.row < row) {
            has_pending_ = by_row_.next(pending_);
        }
        return has_pending_ && pending_.row == row ? pending_.value : 0;
    }
    void start_reading() { has_pending_ = by_row_.next(pending_); }

private:
    void group_one_water(const std::vector<WaterCell>& members) {
        if (members.size() < 2) {
            return;
        }
        // Members are sorted by cell: each cell is one run of them.
        std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> cell_runs;
        auto key = [](std::int64_t x, std::int64_t y) { return x * 0x9E3779B1LL ^ y; };
        for (std::size_t i = 0; i < members.size();) {
            std::size_t end = i;
            while (end < members.size() && members[end].cell_x == members[i].cell_x &&
                   members[end].cell_y == members[i].cell_y) {
                ++end;
            }
            cell_runs[key(members[i].cell_x, members[i].cell_y)] = {i, end};
            i = end;
        }
        std::vector<std::size_t> parent(members.size());
        std::iota(parent.begin(), parent.end(), std::size_t{0});
        auto find = [&](std::size_t x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        };
        for (std::size_t a = 0; a < members.size(); ++a) {
            for (std::int64_t dx = -1; dx <= 1; ++dx) {
                for (std::int64_t dy = -1; dy <= 1; ++dy) {
                    const auto run = cell_runs.find(key(members[a].cell_x + dx, members[a].cell_y + dy));
                    if (run == cell_runs.end()) {
                        continue;
                    }
                    const auto [first, end] = run->second;
                    // Hash keys may collide: compare the cells themselves.
                    if (members[first].cell_x != members[a].cell_x + dx ||
                        members[first].cell_y != members[a].cell_y + dy) {
                        continue;
                    }
                    for (std::size_t b = std::max(first, a + 1); b < end; ++b) {
                        if (geodesy::distance_m(members[a].lon, members[a].lat, members[b].lon, members[b].lat) <=
                            distance_m_) {
                            const std::size_t ra = find(a), rb = find(b);
                            if (ra != rb) {
                                parent[std::max(ra, rb)] = std::min(ra, rb);
                            }
                        }
                    }
                }
            }
        }
        std::vector<std::uint64_t> first_row(members.size(), std::numeric_limits<std::uint64_t>::max());
        std::vector<std::uint32_t> size(members.size(), 0);
        for (std::size_t i = 0; i < members.size(); ++i) {
            const std::size_t root = find(i);
            first_row[root] = std::min(first_row[root], members[i].row);
            ++size[root];
        }
        for (std::size_t i = 0; i < members.size(); ++i) {
            const std::size_t root = find(i);
            if (size[root] >= 2) {
                by_first_row_.add({first_row[root], members[i].row});
            }
        }
    }

    double distance_m_, cell_lat_, cell_lon_;
    ExternalSorter<WaterCell> cells_;
    ExternalSorter<GroupMember> by_first_row_;
    ExternalSorter<RowPatch> by_row_;
    RowPatch pending_{};
    bool has_pending_ = false;
};

}  // namespace redline
