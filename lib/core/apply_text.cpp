// Line edits on YAML source: shift changes a weight, drops or adds a weight
// line, removes a destination's lines, or appends a new destination written
// like its siblings; every other byte stays as the user wrote it (comments,
// quoting, blank lines, indentation). Flow-style routes go to apply_flow.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "core/apply.hpp"
#include "core/apply_check.hpp"
#include "core/apply_flow.hpp"
#include "doc/emit.hpp"

namespace shift::core {

namespace {

using text::Edit;
using text::Text;

// The lines of one block sequence item: from its `-` line to its last line
// indented deeper than the dash (trailing blank lines and comments left of it excluded).
struct ItemSpan {
    std::size_t begin = 0, end = 0;
    std::size_t dashColumn = 0;
    std::size_t keyColumn = 0;  // column of the item's first key (or its `{`)
};

std::optional<ItemSpan> itemSpan(const Text& t, const doc::Node& item) {
    if (!item.isMap() || !item.mark.known()) return std::nullopt;
    auto start = t.lineStart(item.mark.pos);
    // The item's first key sits on its dash line: "    - destination:", or it is a flow map: "- {...}".
    auto prefix = std::string_view(t.s).substr(start, item.mark.pos - start);
    auto dash = prefix.find('-');
    if (dash == std::string_view::npos || prefix.find_first_not_of(' ') != dash ||
        prefix.find_first_not_of(' ', dash + 1) != std::string_view::npos)
        return std::nullopt;
    if (item.flow) {  // `- {destination: {...}, weight: 50}  # comment`
        if (!item.end.known() || !t.restIsComment(item.end.pos)) return std::nullopt;
        return ItemSpan{start, t.lineEnd(item.end.pos), dash, item.mark.pos - start};
    }
    ItemSpan span{start, t.lineEnd(item.mark.pos), dash, item.mark.pos - start};
    for (auto line = span.end; line < t.s.size();) {
        auto next = t.lineEnd(line);
        if (!t.blank(line, next)) {
            // A comment left of the item's keys ends nothing: the item goes on if deeper lines follow.
            if (t.indent(line) > dash)
                span.end = next;
            else if (!t.restIsComment(line))
                break;
        }
        line = next;
    }
    return span;
}

// Edits that make a block item's weight field say `after` (nullopt: drop the field).
bool weightEdits(const Text& t, const doc::Node& item, const ItemSpan& span,
                 const std::optional<long long>& after, std::vector<Edit>& edits) {
    if (item.flow) return text::flowWeightEdits(t, item, after, edits);
    const doc::Node* weight = item.get("weight");
    if (weight && weight->isNull()) weight = nullptr;
    if (!weight && !after) return true;
    if (!weight) {
        std::string line = fmt::format("{}weight: {}\n", std::string(span.keyColumn, ' '), *after);
        if (span.end > 0 && t.s[span.end - 1] != '\n') line.insert(0, "\n");
        edits.push_back({span.end, span.end, line});
        return true;
    }
    if (after) return text::scalarEdit(t, weight, std::to_string(*after), edits);
    // Drop the whole `weight:` line, which must hold nothing else.
    if (!weight->isScalar() || weight->quoted || !weight->end.known()) return false;
    if (!t.restIsComment(weight->end.pos)) return false;
    auto k = std::find(item.keys.begin(), item.keys.end(), "weight") - item.keys.begin();
    const auto& keyMark = item.keyMarks.at(k);
    auto lineStart = t.lineStart(keyMark.pos);
    if (t.blank(lineStart, keyMark.pos)) {
        edits.push_back({lineStart, t.lineEnd(keyMark.pos), ""});
    } else if (k == 0 && item.keys.size() > 1 && item.keyMarks[1].column == keyMark.column) {
        edits.push_back({keyMark.pos, item.keyMarks[1].pos, ""});  // `- weight: 50` on the dash line
    } else {
        return false;
    }
    return true;
}

// Block YAML lines re-indented: each 2 spaces of go-yaml's indent become `step`, after `base`.
std::string indented(const std::string& yaml, std::size_t base, std::size_t step) {
    std::string out;
    for (std::size_t at = 0; at < yaml.size();) {
        auto nl = yaml.find('\n', at);
        auto line = yaml.substr(at, nl == std::string::npos ? std::string::npos : nl - at + 1);
        auto spaces = line.find_first_not_of(' ');
        out += std::string(base + spaces / 2 * step, ' ') + line.substr(spaces);
        at = nl == std::string::npos ? yaml.size() : nl + 1;
    }
    return out;
}

// The lines of a new destination, laid out as the item it copies: its dash and key columns, its
// destination in flow or block style with that item's indent. Only the destination and the
// weight are written: the copied item's other fields and its comments belong to it.
std::optional<std::string> addedItem(const doc::Node& copied, const ItemSpan& span,
                                     const DestinationPlan& d) {
    auto item = addedDestination(copied, d);
    std::string dash =
        std::string(span.dashColumn, ' ') + "-" + std::string(span.keyColumn - span.dashColumn - 1, ' ');
    if (copied.flow) return dash + doc::toFlowYaml(item) + "\n";
    // A backendRef is the item itself, its fields in the copied one's order: the first on the dash line.
    if (d.backendRef) return dash + indented(doc::toYaml(item), span.keyColumn, 2).substr(span.keyColumn);
    const auto* from = copied.get("destination");
    const auto& dest = *item.get("destination");
    std::string out = dash + "destination:";
    if (!from || from->flow || !from->isMap() || from->keyMarks.empty()) {
        out += " " + doc::toFlowYaml(dest) + "\n";
    } else {
        auto column = static_cast<std::size_t>(from->keyMarks[0].column);
        if (column <= span.keyColumn) return std::nullopt;
        out += "\n" + indented(doc::toYaml(dest), column, column - span.keyColumn);
    }
    if (d.after) out += fmt::format("{}weight: {}\n", std::string(span.keyColumn, ' '), *d.after);
    return out;
}

// Edits that apply `plan` to `route`, all inside [begin, end), the route's text.
bool ruleEdits(const Text& t, const doc::Node& route, const RulePlan& plan, std::vector<Edit>& edits,
               std::size_t& begin, std::size_t& end) {
    if (route.isSeq() && route.flow) {
        begin = route.mark.pos, end = route.end.pos;
        return route.end.known() && text::flowRouteEdits(t, route, plan, edits);
    }
    if (!route.isSeq() || route.items.empty()) return false;
    std::vector<ItemSpan> spans;
    for (const auto& item : route.items) {
        auto span = itemSpan(t, item);
        if (!span) return false;
        spans.push_back(*span);
    }
    std::size_t tail = spans.back().end;
    begin = spans.front().begin, end = tail;
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
                auto lines = addedItem(item, span, d);
                if (!lines) return false;
                appended += *lines;
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

}  // namespace

// Anchors, aliases and merge keys share text: an alias's nodes carry the marks of the anchor's
// lines, so an edit there would change every place that reads them.
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
        const auto* route = item.get(routeField(rule.list));
        if (!route || object.shared || spec->shared || list->shared || item.shared || text::shares(*route))
            return std::nullopt;
        std::vector<Edit> own;
        std::size_t begin = 0, end = 0;
        if (!ruleEdits(t, *route, plan, own, begin, end) || end < begin) return std::nullopt;
        for (const auto& e : own) {
            if (e.begin < begin || e.end > end) return std::nullopt;
        }
        auto edited = text::applyEdits(source.substr(begin, end - begin), own, begin);
        if (!readsBackAs(edited, doc::Format::Yaml, applyToRoute(*route, plan))) return std::nullopt;
        edits.insert(edits.end(), own.begin(), own.end());
    }
    if (text::overlapping(edits)) return std::nullopt;
    return text::applyEdits(source, std::move(edits));
}

}  // namespace shift::core
