// A static R-tree over boxes, packed by sort-tile-recursive: built once, then read by any
// number of threads at once. Queries need no allocation beyond the caller's stack.
#pragma once

#include "redline/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace redline {

class BoxTree {
public:
    BoxTree() = default;

    // Item i of the tree is boxes[i].
    explicit BoxTree(const std::vector<BoundingBox>& boxes) {
        const std::size_t n = boxes.size();
        order_.resize(n);
        std::iota(order_.begin(), order_.end(), std::uint32_t{0});
        auto centre_x = [&](std::uint32_t i) { return boxes[i].min_x + boxes[i].max_x; };
        auto centre_y = [&](std::uint32_t i) { return boxes[i].min_y + boxes[i].max_y; };
        std::sort(order_.begin(), order_.end(), [&](auto a, auto b) { return centre_x(a) < centre_x(b); });
        const std::size_t leaves = (n + fanout - 1) / fanout;
        const std::size_t slices = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(std::sqrt(leaves))));
        const std::size_t per_slice = slices * fanout;
        for (std::size_t first = 0; first < n; first += per_slice) {
            const auto end = order_.begin() + static_cast<std::ptrdiff_t>(std::min(n, first + per_slice));
            std::sort(order_.begin() + static_cast<std::ptrdiff_t>(first), end,
                      [&](auto a, auto b) { return centre_y(a) < centre_y(b); });
        }
        std::vector<BoundingBox> level(n);
        for (std::size_t i = 0; i < n; ++i) {
            level[i] = boxes[order_[i]];
        }
        levels_.push_back(std::move(level));
        while (levels_.back().size() > fanout) {
            const auto& below = levels_.back();
            std::vector<BoundingBox> above((below.size() + fanout - 1) / fanout);
            for (std::size_t j = 0; j < above.size(); ++j) {
                BoundingBox box = below[j * fanout];
                for (std::size_t c = j * fanout + 1; c < std::min(below.size(), (j + 1) * fanout); ++c) {
                    box.expand(below[c]);
                }
                above[j] = box;
            }
            levels_.push_back(std::move(above));
        }
    }

    // Calls fn(item) for every item whose box meets `box` (boundaries included).
    template <typename Fn>
    void query(const BoundingBox& box, Fn&& fn) const {
        if (levels_.empty() || levels_.front().empty()) {
            return;
        }
        struct Pending {
            std::uint32_t level, node;
        };
        // Depth is log16 of the size: a small fixed stack is plenty.
        Pending stack[512];
        std::size_t top = 0;
        const std::uint32_t root = static_cast<std::uint32_t>(levels_.size() - 1);
        for (std::uint32_t j = 0; j < levels_[root].size(); ++j) {
            stack[top++] = {root, j};
        }
        while (top > 0) {
            const Pending p = stack[--top];
            if (!meets(levels_[p.level][p.node], box)) {
                continue;
            }
            if (p.level == 0) {
                fn(static_cast<std::size_t>(order_[p.node]));
                continue;
            }
            const std::size_t below = levels_[p.level - 1].size();
            const std::size_t first = static_cast<std::size_t>(p.node) * fanout;
            for (std::size_t c = std::min(below, first + fanout); c-- > first;) {
                stack[top++] = {p.level - 1, static_cast<std::uint32_t>(c)};
            }
        }
    }

private:
    static constexpr std::size_t fanout = 16;
    static bool meets(const BoundingBox& a, const BoundingBox& b) {
        return a.min_x <= b.max_x && b.min_x <= a.max_x && a.min_y <= b.max_y && b.min_y <= a.max_y;
    }

    std::vector<std::uint32_t> order_;              // packed position -> item
    std::vector<std::vector<BoundingBox>> levels_;  // levels_[0]: items in packed order; last: the root's children
};

}  // namespace redline
