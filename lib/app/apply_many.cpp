#include "app/apply_many.hpp"

#include <fmt/format.h>

#include <atomic>
#include <map>
#include <thread>

namespace shift::app {

const char* stateName(TargetState state) {
    switch (state) {
        case TargetState::NotWritten:
            return "not written";
        case TargetState::Unchanged:
            return "unchanged";
        case TargetState::Changed:
            return "changed";
        case TargetState::Failed:
            return "failed";
        case TargetState::Restored:
            return "restored";
        case TargetState::NotRestored:
            return "not restored";
        case TargetState::Unsure:
            return "unsure";
    }
    return "";
}

namespace {

// Runs step(i) for every target: in order within a group, the groups on threads of their own (each
// group is one cluster's connection, which is not shared between threads). A step returning false
// stops every group before its next target.
void forEachByGroup(const std::vector<Target>& targets, const std::function<bool(std::size_t)>& step) {
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < targets.size(); ++i) groups[targets[i].group].push_back(i);
    std::atomic<bool> stop{false};
    auto run = [&](const std::vector<std::size_t>& indices) {
        for (auto i : indices) {
            if (stop) return;
            if (!step(i)) stop = true;
        }
    };
    if (groups.size() == 1) return run(groups.begin()->second);
    std::vector<std::thread> threads;
    for (const auto& [name, indices] : groups) threads.emplace_back(run, std::cref(indices));
    for (auto& t : threads) t.join();
}

// Reads and plans one target; nothing is written.
Result<Snapshot> readAndPlan(const Target& t, const ApplyOptions& o, TargetResult& result) {
    auto read = t.store->read();
    if (!read) return read.error();
    auto planned = planChecked(*t.store, *read->object, t.planner, o);
    if (!planned) return planned.error();
    result.outcome = Outcome{std::move(*planned), {}};
    return read;
}

// Writes one planned target; a conflict goes back through applyPlanned (re-read, re-plan, checks).
Status writeOne(const Target& t, const Snapshot& read, const ApplyOptions& o, TargetResult& result) {
    auto change = t.store->write(read, result.outcome->plan, o.dryRun);
    if (!change) return change.error();
    if (change->conflict) {
        if (o.warn) o.warn(t.store->conflictWarning(2, o.attempts));
        if (o.backoff) o.backoff(1);
        ApplyOptions again = o;
        again.attempts = o.attempts - 1;
        auto out = applyPlanned(*t.store, t.planner, again);
        if (!out) return out.error();
        result.outcome = std::move(*out);
        return okStatus();
    }
    result.outcome->change = std::move(*change);
    return okStatus();
}

// Writes (or, for a no-op plan, only describes) one planned target and records its state.
Status finish(const Target& t, const Snapshot& read, const ApplyOptions& o, TargetResult& r) {
    if (!r.outcome->plan.changed) {
        r.state = TargetState::Unchanged;
        auto change = t.store->write(read, r.outcome->plan, o.dryRun);
        if (change) r.outcome->change = std::move(*change);
        return okStatus();
    }
    auto st = writeOne(t, read, o, r);
    if (!st) return st;
    bool wrote = o.dryRun == DryRun::None && r.outcome->plan.changed;
    r.state = wrote                     ? TargetState::Changed
              : r.outcome->plan.changed ? TargetState::NotWritten
                                        : TargetState::Unchanged;
    return okStatus();
}

// Newest first within each group, so that an object returns to what it was in the reverse order of
// the change.
void restoreWritten(const std::vector<Target>& targets, std::vector<TargetResult>& results) {
    for (std::size_t i = targets.size(); i-- > 0;) {
        auto& r = results[i];
        if (r.state != TargetState::Changed) continue;
        auto st = targets[i].store->restore();
        r.state = st ? TargetState::Restored : TargetState::NotRestored;
        if (!st) r.detail = st.error().message;
    }
}

// The error of the first failed target, in the targets' order (groups fail in any order).
std::optional<Error> firstError(const std::vector<TargetResult>& results, const std::vector<Error>& errors) {
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (results[i].state == TargetState::Failed || results[i].state == TargetState::Unsure)
            return errors[i];
    }
    return std::nullopt;
}

}  // namespace

ManyOutcome applyMany(const std::vector<Target>& targets, const ApplyOptions& o) {
    ManyOutcome out;
    out.results.resize(targets.size());
    std::vector<Error> errors(targets.size());
    std::vector<Snapshot> reads(targets.size());
    auto failed = [&](std::size_t i, const Error& e) {
        out.results[i].state = e.maybeApplied ? TargetState::Unsure : TargetState::Failed;
        out.results[i].detail = e.message;
        errors[i] = e;
        return false;
    };
    forEachByGroup(targets, [&](std::size_t i) {
        auto read = readAndPlan(targets[i], o, out.results[i]);
        if (!read) return failed(i, read.error());
        reads[i] = *read;
        return true;
    });
    if ((out.error = firstError(out.results, errors))) return out;
    forEachByGroup(targets, [&](std::size_t i) {
        auto st = finish(targets[i], reads[i], o, out.results[i]);
        return st ? true : failed(i, st.error());
    });
    if ((out.error = firstError(out.results, errors))) restoreWritten(targets, out.results);
    return out;
}

}  // namespace shift::app
