#include "term/myers.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <unordered_map>
#include <utility>

namespace shift::term::detail {
namespace {

// Myers' O(ND) difference algorithm in linear space ("An O(ND) Difference Algorithm and Its
// Variations", 1986), searching from both ends for a middle snake and recursing on either side.
// It breaks ties the way GNU diff does, so that among equally short edit scripts it picks the one
// `diff -u` prints.
class Myers {
   public:
    Myers(const std::vector<int>& x, const std::vector<int>& y, std::vector<char>& xChanged,
          std::vector<char>& yChanged)
        : x_(x),
          y_(y),
          xChanged_(xChanged),
          yChanged_(yChanged),
          offset_(static_cast<long>(y.size()) + 1),
          forward_(x.size() + y.size() + 3),
          backward_(x.size() + y.size() + 3) {}

    void compare(long xoff, long xlim, long yoff, long ylim) {
        while (xoff < xlim && yoff < ylim && x_[xoff] == y_[yoff]) ++xoff, ++yoff;
        while (xoff < xlim && yoff < ylim && x_[xlim - 1] == y_[ylim - 1]) --xlim, --ylim;
        if (xoff == xlim) {
            while (yoff < ylim) yChanged_[yoff++] = 1;
        } else if (yoff == ylim) {
            while (xoff < xlim) xChanged_[xoff++] = 1;
        } else {
            auto [xmid, ymid] = middleSnake(xoff, xlim, yoff, ylim);
            compare(xoff, xmid, yoff, ymid);
            compare(xmid, xlim, ymid, ylim);
        }
    }

   private:
    long& fd(long k) { return forward_[k + offset_]; }
    long& bd(long k) { return backward_[k + offset_]; }

    // Diagonal k holds the points with x - y == k; fd(k) is the furthest x reached from the top left,
    // bd(k) the smallest x reached from the bottom right.
    std::pair<long, long> middleSnake(long xoff, long xlim, long yoff, long ylim) {
        const long dmin = xoff - ylim, dmax = xlim - yoff;
        const long fmid = xoff - yoff, bmid = xlim - ylim;
        const bool odd = (fmid - bmid) & 1;
        long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
        fd(fmid) = xoff;
        bd(bmid) = xlim;
        while (true) {
            if (fmin > dmin)
                fd(--fmin - 1) = -1;
            else
                ++fmin;
            if (fmax < dmax)
                fd(++fmax + 1) = -1;
            else
                --fmax;
            for (long k = fmax; k >= fmin; k -= 2) {
                long lo = fd(k - 1), hi = fd(k + 1);
                long x = lo >= hi ? lo + 1 : hi, y = x - k;
                while (x < xlim && y < ylim && x_[x] == y_[y]) ++x, ++y;
                fd(k) = x;
                if (odd && bmin <= k && k <= bmax && bd(k) <= x) return {x, y};
            }
            if (bmin > dmin)
                bd(--bmin - 1) = kFar;
            else
                ++bmin;
            if (bmax < dmax)
                bd(++bmax + 1) = kFar;
            else
                --bmax;
            for (long k = bmax; k >= bmin; k -= 2) {
                long lo = bd(k - 1), hi = bd(k + 1);
                long x = lo < hi ? lo : hi - 1, y = x - k;
                while (x > xoff && y > yoff && x_[x - 1] == y_[y - 1]) --x, --y;
                bd(k) = x;
                if (!odd && fmin <= k && k <= fmax && x <= fd(k)) return {x, y};
            }
        }
    }

    static constexpr long kFar = std::numeric_limits<long>::max();
    const std::vector<int>& x_;
    const std::vector<int>& y_;
    std::vector<char>& xChanged_;
    std::vector<char>& yChanged_;
    long offset_;
    std::vector<long> forward_, backward_;
};

}  // namespace

Marks markChanges(const Lines& a, const Lines& b, size_t horizon) {
    Marks m{std::vector<char>(a.size(), 0), std::vector<char>(b.size(), 0)};
    size_t& prefix = m.prefix;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    size_t& suffix = m.suffix;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    prefix -= std::min(prefix, horizon);
    suffix -= std::min(suffix, horizon);

    // Number the distinct lines, and count each number's uses in either text.
    std::unordered_map<std::string_view, int> ids;
    std::vector<std::array<size_t, 2>> uses;
    auto number = [&](const Lines& lines, int side) {
        std::vector<int> out;
        for (size_t i = prefix; i < lines.size() - suffix; ++i) {
            auto [it, added] = ids.try_emplace(lines[i], static_cast<int>(ids.size()));
            if (added) uses.push_back({0, 0});
            ++uses[it->second][side];
            out.push_back(it->second);
        }
        return out;
    };
    const std::vector<int> numA = number(a, 0), numB = number(b, 1);

    // Keep the lines that occur in the other text, remembering where each came from.
    auto keep = [&](const std::vector<int>& nums, int other, std::vector<char>& changed,
                    std::vector<size_t>& from) {
        std::vector<int> kept;
        for (size_t i = 0; i < nums.size(); ++i) {
            if (uses[nums[i]][other] == 0) {
                changed[prefix + i] = 1;
            } else {
                kept.push_back(nums[i]);
                from.push_back(prefix + i);
            }
        }
        return kept;
    };
    std::vector<size_t> fromA, fromB;
    const std::vector<int> x = keep(numA, 1, m.a, fromA), y = keep(numB, 0, m.b, fromB);

    std::vector<char> xChanged(x.size(), 0), yChanged(y.size(), 0);
    Myers(x, y, xChanged, yChanged).compare(0, static_cast<long>(x.size()), 0, static_cast<long>(y.size()));
    for (size_t i = 0; i < x.size(); ++i) m.a[fromA[i]] |= xChanged[i];
    for (size_t j = 0; j < y.size(); ++j) m.b[fromB[j]] |= yChanged[j];
    return m;
}

}  // namespace shift::term::detail
