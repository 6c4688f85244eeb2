// Line edits on YAML source: shift changes a weight, drops or adds a weight
// line, removes a destination's lines, or appends a copy of a destination's
// lines; every other byte stays as the user wrote it (comments, quoting, blank
// lines, indentation).
#include <fmt/format.h>

#include <algorithm>

#include "core/apply.hpp"

namespace shift::core {

namespace {

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
    // End of a plain scalar token starting at pos.
    std::size_t tokenEnd(std::size_t pos) const {
        while (pos < s.size() && s[pos] != '\n' && s[pos] != '\r' && s[pos] != ' ' && s[pos] != '\t' &&
               s[pos] != '#' && s[pos] != ',' && s[pos] != '}' && s[pos] != ']')
            ++pos;
        return pos;
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

// The lines of one block sequence item: from its `-` line to its last line
// indented deeper than the dash (trailing blank lines excluded).
struct ItemSpan {
    std::size_t begin = 0, end = 0;
    std::size_t keyColumn = 0;  // column of the item's first key
};

std::optional<ItemSpan> itemSpan(const Text& t, const doc::Node& item) {
    if (!item.isMap() || item.flow || !item.mark.known()) return std::nullopt;
    auto start = t.lineStart(item.mark.pos);
    // The item's first key sits on its dash line: "    - destination:".
    auto prefix = std::string_view(t.s).substr(start, item.mark.pos - start);
    auto dash = prefix.find('-');
    if (dash == std::string_view::npos || prefix.find_first_not_of(' ') != dash ||
        prefix.find_first_not_of(' ', dash + 1) != std::string_view::npos)
        return std::nullopt;
    ItemSpan span{start, t.lineEnd(item.mark.pos), item.mark.pos - start};
    for (auto line = span.end; line < t.s.size();) {
        auto next = t.lineEnd(line);
        if (!t.blank(line, next)) {
            if (t.indent(line) <= dash) break;
            span.end = next;
        }
        line = next;
    }
    return span;
}

// Replaces a plain scalar's text, in block or flow style (`{host: reviews, subset: v1}`); false when
// it is quoted or its source is not its text (a plain scalar folded over lines).
bool scalarEdit(const Text& t, const doc::Node* value, const std::string& text, std::vector<Edit>& edits) {
    if (!value || !value->isScalar() || value->quoted || !value->mark.known()) return false;
    if (t.s.compare(value->mark.pos, value->scalar.size(), value->scalar) != 0) return false;
    edits.push_back({value->mark.pos, value->mark.pos + value->scalar.size(), text});
    return true;
}

// Edits that make an item's weight field say `after` (nullopt: drop the field).
bool weightEdits(const Text& t, const doc::Node& item, const ItemSpan& span,
                 const std::optional<long long>& after, std::vector<Edit>& edits) {
    const doc::Node* weight = item.get("weight");
    if (weight && weight->isNull()) weight = nullptr;
    if (!weight && !after) return true;
    if (!weight) {
        std::string line = fmt::format("{}weight: {}\n", std::string(span.keyColumn, ' '), *after);
        if (span.end > 0 && t.s[span.end - 1] != '\n') line.insert(0, "\n");
        edits.push_back({span.end, span.end, line});
        return true;
    }
    if (after) return scalarEdit(t, weight, std::to_string(*after), edits);
    // Drop the whole `weight:` line, which must hold nothing else.
    if (!weight->isScalar() || weight->quoted || !weight->mark.known()) return false;
    if (!t.restIsComment(t.tokenEnd(weight->mark.pos))) return false;
    auto k = std::find(item.keys.begin(), item.keys.end(), "weight") - item.keys.begin();
    const auto& keyMark = item.keyMarks.at(k);
    auto lineStart = t.lineStart(keyMark.pos);
    if (!t.blank(lineStart, keyMark.pos)) return false;
    edits.push_back({lineStart, t.lineEnd(keyMark.pos), ""});
    return true;
}

// Applies edits back to front; edits at one position land in the order given.
std::string applyEdits(std::string text, std::vector<Edit> edits, std::size_t offset = 0) {
    std::reverse(edits.begin(), edits.end());
    std::stable_sort(edits.begin(), edits.end(),
                     [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
    for (const auto& e : edits) text.replace(e.begin - offset, e.end - e.begin, e.text);
    return text;
}

// The lines of a new destination: a copy of its template's lines with the host,
// subset and weight changed.
std::optional<std::string> addedItem(const Text& t, const doc::Node& templ, const ItemSpan& span,
                                     const DestinationPlan& d, const std::string& templHost) {
    std::vector<Edit> edits;
    const auto* dest = templ.get("destination");
    if (!dest || !dest->isMap()) return std::nullopt;
    if (d.host != templHost && !scalarEdit(t, dest->get("host"), d.host, edits)) return std::nullopt;
    const auto* subset = dest->get("subset");
    if (!d.subset.empty() && subset) {
        if (!scalarEdit(t, subset, d.subset, edits)) return std::nullopt;
    } else if (!d.subset.empty()) {
        if (dest->flow) return std::nullopt;  // a subset line cannot go into {host: reviews}
        const auto* host = dest->get("host");
        auto k = std::find(dest->keys.begin(), dest->keys.end(), "host") - dest->keys.begin();
        if (!host || !host->mark.known()) return std::nullopt;
        auto column = dest->keyMarks.at(k).pos - t.lineStart(dest->keyMarks.at(k).pos);
        auto at = t.lineEnd(host->mark.pos);
        edits.push_back({at, at, fmt::format("{}subset: {}\n", std::string(column, ' '), d.subset)});
    } else if (subset) {
        return std::nullopt;  // dropping a subset line: let the emitter handle it
    }
    if (!weightEdits(t, templ, span, d.after, edits)) return std::nullopt;
    for (const auto& e : edits) {
        if (e.begin < span.begin || e.end > span.end) return std::nullopt;
    }
    auto copy = applyEdits(t.s.substr(span.begin, span.end - span.begin), std::move(edits), span.begin);
    if (!copy.empty() && copy.back() != '\n') copy += '\n';
    return copy;
}

bool ruleEdits(const Text& t, const doc::Node& route, const Rule& rule, const RulePlan& plan,
               std::vector<Edit>& edits) {
    if (!route.isSeq() || route.flow || route.items.empty()) return false;
    std::vector<ItemSpan> spans;
    for (const auto& item : route.items) {
        auto span = itemSpan(t, item);
        if (!span) return false;
        spans.push_back(*span);
    }
    std::size_t tail = spans.back().end;
    std::string appended;
    for (const auto& d : plan.destinations) {
        const auto& item = route.items.at(d.from);
        const auto& span = spans.at(d.from);
        switch (d.action) {
            case DestinationPlan::Action::Remove:
                edits.push_back({span.begin, span.end, ""});
                break;
            case DestinationPlan::Action::Keep:
                if (!weightEdits(t, item, span, d.after, edits)) return false;
                break;
            case DestinationPlan::Action::Add: {
                auto text = addedItem(t, item, span, d, rule.route.at(d.from).host);
                if (!text) return false;
                appended += *text;
                break;
            }
        }
    }
    if (!appended.empty()) {
        if (tail > 0 && t.s[tail - 1] != '\n') appended.insert(0, "\n");
        edits.push_back({tail, tail, appended});
    }
    return true;
}

// Anchors, aliases and merge keys share text: an alias's nodes carry the marks of the anchor's
// lines, so a line edit there would change every place that reads them.
bool shares(const doc::Node& n) {
    if (n.shared) return true;
    return std::any_of(n.items.begin(), n.items.end(), shares);
}

bool overlapping(std::vector<Edit> edits) {
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    for (std::size_t i = 1; i < edits.size(); ++i) {
        if (edits[i].begin < edits[i - 1].end) return true;
    }
    return false;
}

}  // namespace

std::optional<std::string> applyToYamlText(const std::string& source, const doc::Node& object,
                                           const VirtualService& vs, const std::vector<RulePlan>& plans) {
    Text t{source};
    std::vector<Edit> edits;
    for (const auto& plan : plans) {
        if (!plan.changed) continue;
        const Rule& rule = vs.rules.at(plan.rule);
        const auto* spec = object.get("spec");
        const auto* list = spec ? spec->get(listName(rule.list)) : nullptr;
        if (!list || rule.index >= list->items.size()) return std::nullopt;
        const auto& item = list->items[rule.index];
        const auto* route = item.get("route");
        if (!route || object.shared || spec->shared || list->shared || item.shared || shares(*route))
            return std::nullopt;
        if (!ruleEdits(t, *route, rule, plan, edits)) return std::nullopt;
    }
    if (overlapping(edits)) return std::nullopt;
    return applyEdits(source, std::move(edits));
}

}  // namespace shift::core
