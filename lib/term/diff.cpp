#include "term/diff.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <span>
#include <utility>
#include <vector>

#include "term/myers.hpp"

namespace shift::term {
namespace {

using detail::Lines;
using detail::markChanges;
using detail::Marks;

// Each line keeps its '\n', so a last line without one differs from the same text with one, as in diff.
Lines splitLines(std::string_view text) {
    Lines lines;
    while (!text.empty()) {
        size_t end = text.find('\n');
        size_t len = end == std::string_view::npos ? text.size() : end + 1;
        lines.push_back(text.substr(0, len));
        text.remove_prefix(len);
    }
    return lines;
}

// Counts, for each gap between unchanged lines of a file, how many changed lines sit in it:
// gaps[u] is the changed run after the u-th unchanged line (gaps[0] before the first).
std::vector<size_t> changedGaps(std::span<const char> changed) {
    std::vector<size_t> gaps(1, 0);
    for (char c : changed) {
        if (c) {
            ++gaps.back();
        } else {
            gaps.push_back(0);
        }
    }
    return gaps;
}

// Slides each run of changed lines in one file along equal lines, the way GNU diff does before printing:
// merge with neighbouring runs where possible, else move as far down as possible, then back up to the
// last place where it lines up with a change in the other file. Without this, an inserted YAML block
// among similar blocks would start at a different line than in `diff -u`. Like diff, runs stay inside
// the region between the identical prefix and suffix.
void slideRuns(std::span<const std::string_view> lines, std::span<char> changed,
               std::span<const char> other) {
    const std::vector<size_t> otherGaps = changedGaps(other);
    const size_t n = lines.size();
    size_t i = 0;
    size_t u = 0;  // unchanged lines before i
    while (true) {
        while (i < n && !changed[i]) ++i, ++u;
        if (i == n) break;
        size_t start = i;
        while (i < n && changed[i]) ++i;
        size_t corresponding = n;
        size_t runLength;
        do {
            runLength = i - start;
            while (start > 0 && lines[start - 1] == lines[i - 1]) {
                changed[--start] = 1;
                changed[--i] = 0;
                --u;
                while (start > 0 && changed[start - 1]) --start;
            }
            corresponding = otherGaps[u] > 0 ? i : n;
            while (i < n && lines[start] == lines[i]) {
                changed[start++] = 0;
                changed[i++] = 1;
                ++u;
                while (i < n && changed[i]) ++i;
                if (otherGaps[u] > 0) corresponding = i;
            }
        } while (runLength != i - start);
        while (corresponding < i) {
            changed[--start] = 1;
            changed[--i] = 0;
            --u;
        }
    }
}

// A change deletes a.count lines at a.first and inserts b.count lines at b.first (0-based).
struct Change {
    size_t aFirst, aCount, bFirst, bCount;
};

std::vector<Change> changesOf(const Marks& m) {
    std::vector<Change> changes;
    size_t i = 0, j = 0;
    while (i < m.a.size() || j < m.b.size()) {
        bool changedA = i < m.a.size() && m.a[i];
        bool changedB = j < m.b.size() && m.b[j];
        if (!changedA && !changedB) {
            ++i, ++j;
            continue;
        }
        Change c{i, 0, j, 0};
        while (i < m.a.size() && m.a[i]) ++i;
        while (j < m.b.size() && m.b[j]) ++j;
        c.aCount = i - c.aFirst;
        c.bCount = j - c.bFirst;
        changes.push_back(c);
    }
    return changes;
}

// diff's range: "first,count", "first" when count is 1, and "line before,0" when empty.
std::string range(size_t first, size_t count) {
    if (count == 1) return fmt::format("{}", first + 1);
    return fmt::format("{},{}", count == 0 ? first : first + 1, count);
}

class Printer {
   public:
    explicit Printer(bool color) : color_(color) {}

    void header(char mark, std::string_view label) {
        styled(fmt::emphasis::bold, fmt::format("{0}{0}{0} {1}", mark, label));
        out_ += '\n';
    }
    void hunkHeader(const std::string& text) {
        styled(fmt::fg(fmt::terminal_color::cyan), text);
        out_ += '\n';
    }
    void line(char mark, std::string_view text) {
        bool newline = !text.empty() && text.back() == '\n';
        if (newline) text.remove_suffix(1);
        std::string body = mark + std::string(text);
        if (mark == '-') {
            styled(fmt::fg(fmt::terminal_color::red), body);
        } else if (mark == '+') {
            styled(fmt::fg(fmt::terminal_color::green), body);
        } else {
            out_ += body;
        }
        out_ += newline ? "\n" : "\n\\ No newline at end of file\n";
    }
    std::string take() { return std::move(out_); }

   private:
    void styled(fmt::text_style style, std::string_view text) {
        if (color_) {
            fmt::format_to(std::back_inserter(out_), style, "{}", text);
        } else {
            out_ += text;
        }
    }

    bool color_;
    std::string out_;
};

}  // namespace

std::string unifiedDiff(std::string_view before, std::string_view after, std::string_view beforeLabel,
                        std::string_view afterLabel, bool color, int context) {
    if (before == after) return {};
    const size_t ctx = context < 0 ? 0 : static_cast<size_t>(context);
    const Lines a = splitLines(before);
    const Lines b = splitLines(after);
    // diff keeps as many lines of the identical ends as there are context lines (its "horizon").
    Marks marks = markChanges(a, b, ctx);
    {
        const size_t p = marks.prefix, s = marks.suffix;
        std::span<char> ma(marks.a.data() + p, a.size() - p - s), mb(marks.b.data() + p, b.size() - p - s);
        slideRuns(std::span(a).subspan(p, ma.size()), ma, mb);
        slideRuns(std::span(b).subspan(p, mb.size()), mb, ma);
    }
    const std::vector<Change> changes = changesOf(marks);

    Printer p(color);
    p.header('-', beforeLabel);
    p.header('+', afterLabel);
    for (size_t first = 0; first < changes.size();) {
        // Changes share a hunk while at most 2 * context unchanged lines separate them, as in diff.
        size_t last = first;
        while (last + 1 < changes.size() &&
               changes[last + 1].aFirst - (changes[last].aFirst + changes[last].aCount) <= 2 * ctx)
            ++last;
        const Change& c0 = changes[first];
        const Change& cn = changes[last];
        size_t lead = std::min(ctx, c0.aFirst);
        size_t trail = std::min(ctx, a.size() - (cn.aFirst + cn.aCount));
        size_t aStart = c0.aFirst - lead, bStart = c0.bFirst - lead;
        size_t aEnd = cn.aFirst + cn.aCount + trail, bEnd = cn.bFirst + cn.bCount + trail;
        p.hunkHeader(
            fmt::format("@@ -{} +{} @@", range(aStart, aEnd - aStart), range(bStart, bEnd - bStart)));
        size_t i = aStart;
        for (size_t k = first; k <= last; ++k) {
            const Change& c = changes[k];
            for (; i < c.aFirst; ++i) p.line(' ', a[i]);
            for (size_t n = 0; n < c.aCount; ++n) p.line('-', a[c.aFirst + n]);
            for (size_t n = 0; n < c.bCount; ++n) p.line('+', b[c.bFirst + n]);
            i = c.aFirst + c.aCount;
        }
        for (; i < aEnd; ++i) p.line(' ', a[i]);
        first = last + 1;
    }
    return p.take();
}

}  // namespace shift::term
