// Edits in a flow-style route: a weight is changed, inserted after the item's last
// value or cut with its separator; an item is cut with the separator after it (or,
// the last one, before it); a new item follows the last one with the separator the
// route already uses. The brackets, spacing and comments around stay as written.
#include "core/apply_flow.hpp"

#include <fmt/format.h>

#include "core/apply.hpp"
#include "doc/emit.hpp"

namespace shift::core::text {

namespace {

bool marked(const doc::Node& n) { return n.mark.known() && n.end.known() && n.end.pos >= n.mark.pos; }

// The text between two items, without a comment a copy would carry to the wrong place.
std::string separator(const Text& t, const doc::Node& route) {
    if (route.items.size() < 2) return ", ";
    const auto& a = route.items[0];
    const auto& b = route.items[1];
    std::string sep = t.s.substr(a.end.pos, b.mark.pos - a.end.pos);
    if (sep.find('#') == std::string::npos) return sep;
    return ",\n" + std::string(static_cast<std::size_t>(b.mark.column), ' ');
}

}  // namespace

bool flowWeightEdits(const Text& t, const doc::Node& item, const std::optional<long long>& after,
                     std::vector<Edit>& edits) {
    if (!item.isMap() || !item.flow || item.items.empty() || !marked(item)) return false;
    const doc::Node* weight = item.get("weight");
    if (weight && weight->isNull()) weight = nullptr;
    if (!weight && !after) return true;
    if (weight && after) return scalarEdit(t, weight, std::to_string(*after), edits);
    if (!weight) {
        const auto& last = item.items.back();
        if (!marked(last)) return false;
        edits.push_back({last.end.pos, last.end.pos, fmt::format(", weight: {}", *after)});
        return true;
    }
    auto k =
        static_cast<std::size_t>(std::find(item.keys.begin(), item.keys.end(), "weight") - item.keys.begin());
    if (!marked(*weight)) return false;
    if (k > 0) {
        const auto& before = item.items[k - 1];
        if (!marked(before)) return false;
        edits.push_back({before.end.pos, weight->end.pos, ""});  // `, weight: 50`
    } else if (item.items.size() > 1) {
        edits.push_back({item.keyMarks[0].pos, item.keyMarks[1].pos, ""});  // `weight: 50, `
    } else {
        edits.push_back({item.keyMarks[0].pos, weight->end.pos, ""});
    }
    return true;
}

bool flowRouteEdits(const Text& t, const doc::Node& route, const RulePlan& plan, std::vector<Edit>& edits) {
    if (!route.isSeq() || !route.flow || route.items.empty()) return false;
    for (const auto& item : route.items) {
        if (!marked(item)) return false;
    }
    const auto sep = separator(t, route);
    std::vector<bool> kept(route.items.size(), false);
    std::string added;
    for (const auto& d : plan.destinations) {
        if (d.action == DestinationPlan::Action::Keep) {
            kept.at(d.from) = true;
            if (!flowWeightEdits(t, route.items.at(d.from), d.after, edits)) return false;
        } else if (d.action == DestinationPlan::Action::Add) {
            added +=
                (added.empty() ? "" : sep) + doc::toFlowYaml(addedDestination(route.items.at(d.from), d));
        }
    }
    const auto& first = route.items.front();
    const auto& last = route.items.back();
    auto lastKept = std::find(kept.rbegin(), kept.rend(), true);
    if (lastKept == kept.rend()) {  // every item goes: the new ones take their place
        edits.push_back({first.mark.pos, last.end.pos, added});
        return true;
    }
    auto tail = static_cast<std::size_t>(kept.rend() - lastKept - 1);
    for (std::size_t i = 0; i < tail; ++i) {
        if (!kept[i]) edits.push_back({route.items[i].mark.pos, route.items[i + 1].mark.pos, ""});
    }
    // Items after the last kept one go with the separators before them; new items follow it.
    auto at = route.items[tail].end.pos;
    auto end = tail + 1 < route.items.size() ? last.end.pos : at;
    if (at != end || !added.empty()) edits.push_back({at, end, added.empty() ? "" : sep + added});
    return true;
}

}  // namespace shift::core::text
