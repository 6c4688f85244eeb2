#include "core/annotations.hpp"

#include <fmt/format.h>

#include <algorithm>

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

namespace {

std::size_t recordBytes(const std::vector<RuleRecord>& rules) {
    std::size_t n = 0;
    for (const auto& r : rules) n += r.rule.size() + r.split.size() + 24;  // with the JSON around them
    return n;
}

// The records of the rules named in `labels`, in their order.
std::vector<RuleRecord> only(const std::vector<RuleRecord>& rules, const std::vector<std::string>& labels) {
    std::vector<RuleRecord> out;
    for (const auto& r : rules) {
        if (std::find(labels.begin(), labels.end(), r.rule) != labels.end()) out.push_back(r);
    }
    return out;
}

// The rules whose split differs between two records of the same object.
std::vector<std::string> changedRules(const std::vector<RuleRecord>& before,
                                      const std::vector<RuleRecord>& after) {
    std::vector<std::string> out;
    for (const auto& a : after) {
        auto b =
            std::find_if(before.begin(), before.end(), [&](const RuleRecord& r) { return r.rule == a.rule; });
        if (b == before.end() || b->split != a.split) out.push_back(a.rule);
    }
    return out;
}

}  // namespace

Status recordRevision(doc::Node& after, const doc::Node& before, Revision change, std::size_t limit) {
    auto history = historyOf(before);
    if (!history) return history.error();
    auto was = recordSplits(before);
    if (!was) return was.error();
    auto now = recordSplits(after);
    if (!now) return now.error();
    // A VirtualService with thousands of rules: recording them all would outgrow the history's budget
    // (and the API server's 256 KiB for all annotations) in one revision, so each revision records
    // only the rules its change touched; undo leaves the others as they are.
    if (recordBytes(*now) > kRevisionMaxBytes) {
        auto touched = changedRules(*was, *now);
        *was = only(*was, touched);
        *now = only(*now, touched);
    }
    // One change to thousands of rules: the revision is kept, its splits are not (they would not fit).
    if (recordBytes(*now) > kHistoryMaxBytes / 2) {
        change.command =
            fmt::format("[{} rules changed: too many to record] {}", now->size(), change.command);
        was->clear();
        now->clear();
    }
    if (history->empty()) {
        Revision first{0, change.time, "", "(before shift's first change)", std::move(*was)};
        history = appendRevision({}, std::move(first), limit + 1);
    }
    change.rules = std::move(*now);
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
