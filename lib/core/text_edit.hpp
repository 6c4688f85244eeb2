#pragma once
// What the in-place editors share: byte-range edits on a source text, and the
// questions they ask about its lines. Internal to lib/core.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "doc/node.hpp"

namespace shift::core::text {

struct Edit {
    std::size_t begin = 0, end = 0;  // replaced range
    std::string text;
};

struct Text {
    const std::string& s;

    std::size_t lineStart(std::size_t pos) const {
        auto nl = pos == 0 ? std::string::npos : s.rfind('\n', pos - 1);
        return nl == std::string::npos ? 0 : nl + 1;
    }
    std::size_t lineEnd(std::size_t pos) const {  // just past the newline
        auto nl = s.find('\n', pos);
        return nl == std::string::npos ? s.size() : nl + 1;
    }
    bool blank(std::size_t start, std::size_t end) const {
        for (auto i = start; i < end; ++i) {
            if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return false;
        }
        return true;
    }
    std::size_t indent(std::size_t start) const {
        std::size_t i = start;
        while (i < s.size() && s[i] == ' ') ++i;
        return i - start;
    }
    // Only a comment (or nothing) follows pos on its line.
    bool restIsComment(std::size_t pos) const {
        auto end = lineEnd(pos);
        for (auto i = pos; i < end; ++i) {
            if (s[i] == '#') return true;
            if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return false;
        }
        return true;
    }
};

// Replaces a plain scalar's text, in block or flow style (`{host: reviews, subset: v1}`); false when
// it is quoted or its source is not its text (a plain scalar folded over lines).
inline bool scalarEdit(const Text& t, const doc::Node* value, const std::string& text,
                       std::vector<Edit>& edits) {
    if (!value || !value->isScalar() || value->quoted || !value->mark.known()) return false;
    if (t.s.compare(value->mark.pos, value->scalar.size(), value->scalar) != 0) return false;
    edits.push_back({value->mark.pos, value->mark.pos + value->scalar.size(), text});
    return true;
}

// Applies edits back to front; edits at one position land in the order given. `offset`: where
// `text` starts in the source the edits point into.
inline std::string applyEdits(std::string text, std::vector<Edit> edits, std::size_t offset = 0) {
    std::reverse(edits.begin(), edits.end());
    std::stable_sort(edits.begin(), edits.end(),
                     [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
    for (const auto& e : edits) text.replace(e.begin - offset, e.end - e.begin, e.text);
    return text;
}

inline bool overlapping(std::vector<Edit> edits) {
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    for (std::size_t i = 1; i < edits.size(); ++i) {
        if (edits[i].begin < edits[i - 1].end) return true;
    }
    return false;
}

// Whether the node or anything under it is an anchor, an alias or merges one in.
inline bool shares(const doc::Node& n) {
    if (n.shared) return true;
    return std::any_of(n.items.begin(), n.items.end(), shares);
}

}  // namespace shift::core::text
