#include "core/annotations.hpp"

#include "core/split_view.hpp"
#include "core/virtual_service.hpp"

namespace shift::core {

namespace {

doc::Node& annotations(doc::Node& object) {
    doc::Node* meta = object.get("metadata");
    if (!meta) meta = &object.set("metadata", doc::Node::map());
    doc::Node* a = meta->get("annotations");
    if (!a || !a->isMap()) a = &meta->set("annotations", doc::Node::map());
    return *a;
}

void dropEmptyAnnotations(doc::Node& object) {
    doc::Node* meta = object.get("metadata");
    const doc::Node* a = meta ? meta->get("annotations") : nullptr;
    if (a && a->isMap() && a->items.empty()) meta->erase("annotations");
}

}  // namespace

Result<std::vector<RuleRecord>> recordSplits(const doc::Node& object) {
    auto vs = readVirtualService(object);
    if (!vs) return vs.error();
    std::vector<std::size_t> routed;
    for (std::size_t i = 0; i < vs->rules.size(); ++i) {
        if (!vs->rules[i].route.empty()) routed.push_back(i);
    }
    std::vector<RuleRecord> out;
    for (const auto& split : splitOf(*vs, routed)) out.push_back({split.rule, describeSplit(split)});
    return out;
}

Result<std::vector<Revision>> historyOf(const doc::Node& object) {
    const auto* value = object.at({"metadata", "annotations", kHistoryAnnotation});
    if (!value || value->str().empty()) return std::vector<Revision>{};
    return decodeHistory(value->str());
}

Status recordRevision(doc::Node& after, const doc::Node& before, Revision change, std::size_t limit) {
    auto history = historyOf(before);
    if (!history) return history.error();
    if (history->empty()) {
        auto splits = recordSplits(before);
        if (!splits) return splits.error();
        Revision first{0, change.time, "", "(before shift's first change)", std::move(*splits)};
        history = appendRevision({}, std::move(first), limit + 1);
    }
    auto splits = recordSplits(after);
    if (!splits) return splits.error();
    change.rules = std::move(*splits);
    auto updated = appendRevision(std::move(*history), std::move(change), limit);
    annotations(after).set(kHistoryAnnotation, doc::Node::string(encodeHistory(updated)));
    return okStatus();
}

void setRolloutMark(doc::Node& object, const std::optional<RolloutMark>& mark) {
    if (mark) {
        annotations(object).set(kRolloutAnnotation, doc::Node::string(encodeRolloutMark(*mark)));
        return;
    }
    if (doc::Node* meta = object.get("metadata")) {
        if (doc::Node* a = meta->get("annotations")) a->erase(kRolloutAnnotation);
    }
    dropEmptyAnnotations(object);
}

std::optional<RolloutMark> rolloutMarkOf(const doc::Node& object) {
    const auto* value = object.at({"metadata", "annotations", kRolloutAnnotation});
    if (!value) return std::nullopt;
    auto mark = decodeRolloutMark(value->str());
    if (!mark) return std::nullopt;
    return *mark;
}

std::string lastManager(const doc::Node& object) {
    const auto* fields = object.at({"metadata", "managedFields"});
    if (!fields || !fields->isSeq()) return {};
    std::string manager, latest;
    for (const auto& entry : fields->items) {
        const auto* time = entry.get("time");
        const auto* name = entry.get("manager");
        // RFC 3339 times in UTC compare as strings.
        if (name && time && time->str() >= latest) {
            latest = time->str();
            manager = name->str();
        }
    }
    return manager;
}

}  // namespace shift::core
