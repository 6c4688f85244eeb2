// Edits on JSON source: a changed weight replaces only its number, a removed route
// item or weight goes with its separator, a new item follows the last one laid out
// like it (indented like its siblings, or on one line in a compact array). Every
// other byte stays; the result must read back as the planned object, or the
// caller re-renders the file.
#include <fmt/format.h>

#include "core/apply.hpp"
#include "core/apply_check.hpp"
#include "core/json_spans.hpp"
#include "core/text_edit.hpp"
#include "doc/emit.hpp"
#include "doc/parse.hpp"

namespace shift::core {

namespace {

using json::Span;
using text::Edit;

// How a file lays out its objects: `"key": value` or `"key":value`, one member per line or not.
struct Style {
    std::string colon = ": ", comma = ", ";
    bool multiline = false;
    std::size_t step = 2;  // indent per level when multiline
};

std::size_t column(const std::string& s, std::size_t pos) {
    auto nl = pos == 0 ? std::string::npos : s.rfind('\n', pos - 1);
    return pos - (nl == std::string::npos ? 0 : nl + 1);
}

// The style of an object as written (the route item new items are modelled on).
Style styleOf(const std::string& s, const Span& object) {
    Style st;
    if (object.kind != '{' || object.keys.empty()) return st;
    st.colon = s.substr(object.keyEnds[0], object.items[0].begin - object.keyEnds[0]);
    st.multiline = s.find('\n', object.begin) < object.keyBegins[0];
    if (st.multiline) st.step = column(s, object.keyBegins[0]) - column(s, object.begin);
    if (object.keys.size() > 1)
        st.comma = s.substr(object.items[0].end, object.keyBegins[1] - object.items[0].end);
    if (st.colon.find_first_not_of(" :") != std::string::npos) st.colon = ": ";
    if (st.comma.find_first_not_of(" ,") != std::string::npos) st.comma = ", ";
    return st;
}

// A new value written in the file's style; `at` is the column its first line starts at.
std::string render(const doc::Node& n, const Style& st, std::size_t at) {
    if (!n.isMap() || n.items.empty()) return doc::toJson(n, 0);
    std::string out = "{";
    for (std::size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out += st.multiline ? "," : st.comma;
        if (st.multiline) out += "\n" + std::string(at + st.step, ' ');
        out += doc::toJson(doc::Node::string(n.keys[i]), 0) + st.colon + render(n.items[i], st, at + st.step);
    }
    return out + (st.multiline ? "\n" + std::string(at, ' ') + "}" : "}");
}

bool weightEdits(const std::string& s, const Span& item, const std::optional<long long>& after,
                 std::vector<Edit>& edits) {
    if (item.kind != '{' || item.keys.empty()) return false;
    const Span* weight = item.get("weight");
    if (weight && s.compare(weight->begin, 4, "null") == 0) return false;
    if (!weight && !after) return true;
    if (weight && after) {
        edits.push_back({weight->begin, weight->end, std::to_string(*after)});
        return true;
    }
    auto st = styleOf(s, item);
    if (!weight) {
        auto last = item.items.back().end;
        std::string sep =
            st.multiline ? ",\n" + std::string(column(s, item.keyBegins.back()), ' ') : st.comma;
        edits.push_back({last, last, fmt::format("{}\"weight\"{}{}", sep, st.colon, *after)});
        return true;
    }
    auto k = static_cast<std::size_t>(weight - item.items.data());
    if (k > 0) {
        edits.push_back({item.items[k - 1].end, weight->end, ""});
    } else if (item.keys.size() > 1) {
        edits.push_back({item.keyBegins[0], item.keyBegins[1], ""});
    } else {
        edits.push_back({item.keyBegins[0], weight->end, ""});
    }
    return true;
}

// `copied`: the route as read, whose items new ones copy their port from.
bool routeEdits(const std::string& s, const Span& route, const doc::Node& copied, const RulePlan& plan,
                std::vector<Edit>& edits) {
    if (route.kind != '[' || route.items.empty()) return false;
    const auto& first = route.items.front();
    auto st = styleOf(s, first);
    bool multiline = s.find('\n', route.begin) < first.begin;
    auto at = column(s, first.begin);
    std::string sep = route.items.size() > 1 ? s.substr(first.end, route.items[1].begin - first.end)
                      : multiline            ? ",\n" + std::string(at, ' ')
                                             : st.comma;
    std::vector<bool> kept(route.items.size(), false);
    std::string added;
    for (const auto& d : plan.destinations) {
        const auto& item = route.items.at(d.from);
        if (d.action == DestinationPlan::Action::Keep) {
            kept.at(d.from) = true;
            if (!weightEdits(s, item, d.after, edits)) return false;
        } else if (d.action == DestinationPlan::Action::Add) {
            if (d.from >= copied.items.size()) return false;
            added += sep + render(addedDestination(copied.items[d.from], d), st, at);
        }
    }
    auto lastKept = std::find(kept.rbegin(), kept.rend(), true);
    if (lastKept == kept.rend()) {
        edits.push_back({first.begin, route.items.back().end, added.substr(sep.size())});
        return true;
    }
    auto tail = static_cast<std::size_t>(kept.rend() - lastKept - 1);
    for (std::size_t i = 0; i < tail; ++i) {
        if (!kept[i]) edits.push_back({route.items[i].begin, route.items[i + 1].begin, ""});
    }
    auto from = route.items[tail].end;
    auto to = tail + 1 < route.items.size() ? route.items.back().end : from;
    if (from != to || !added.empty()) edits.push_back({from, to, added});
    return true;
}

}  // namespace

std::optional<std::string> applyToJsonText(const std::string& source, const doc::Node& object,
                                           const Location& at, const VirtualService& vs,
                                           const std::vector<RulePlan>& plans) {
    if (at.doc != 0) return std::nullopt;
    auto root = json::scan(source);
    if (!root) return std::nullopt;
    const Span* span = &*root;
    if (at.item) {
        const auto* items = root->get("items");
        if (!items || items->kind != '[' || *at.item >= items->items.size()) return std::nullopt;
        span = &items->items[*at.item];
    }
    std::vector<Edit> edits;
    for (const auto& plan : plans) {
        if (!plan.changed) continue;
        const Rule& rule = vs.rules.at(plan.rule);
        const auto* spec = span->get("spec");
        const auto* list = spec ? spec->get(listName(rule.list)) : nullptr;
        if (!list || list->kind != '[' || rule.index >= list->items.size()) return std::nullopt;
        const auto* route = list->items[rule.index].get(routeField(rule.list));
        const auto* copied = object.at({"spec", listName(rule.list)});
        if (!copied || rule.index >= copied->items.size() ||
            !(copied = copied->items[rule.index].get(routeField(rule.list))))
            return std::nullopt;
        std::vector<Edit> own;
        if (!route || !routeEdits(source, *route, *copied, plan, own)) return std::nullopt;
        for (const auto& e : own) {
            if (e.begin < route->begin || e.end > route->end) return std::nullopt;
        }
        auto edited =
            text::applyEdits(source.substr(route->begin, route->end - route->begin), own, route->begin);
        if (!readsBackAs(edited, doc::Format::Json, applyToRoute(*copied, plan))) return std::nullopt;
        edits.insert(edits.end(), own.begin(), own.end());
    }
    if (text::overlapping(edits)) return std::nullopt;
    return text::applyEdits(source, std::move(edits));
}

}  // namespace shift::core
