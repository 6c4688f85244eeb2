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

// Runs work(indices) for each group's targets (in the targets' order): the groups on threads of their
// own, as each group is one cluster's connection, which is not shared between threads.
void forEachGroup(const std::vector<Target>& targets,
                  const std::function<void(const std::vector<std::size_t>&)>& work) {
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < targets.size(); ++i) groups[targets[i].group].push_back(i);
    if (groups.size() == 1) return work(groups.begin()->second);
    std::vector<std::thread> threads;
    for (const auto& [name, indices] : groups) threads.emplace_back(work, std::cref(indices));
    for (auto& t : threads) t.join();
}

// Runs step(i) for every target, in order within a group. A step returning false stops every group
// before its next target.
void forEachByGroup(const std::vector<Target>& targets, const std::function<bool(std::size_t)>& step) {
    std::atomic<bool> stop{false};
    forEachGroup(targets, [&](const std::vector<std::size_t>& indices) {
        for (auto i : indices) {
            if (stop) return;
            if (!step(i)) stop = true;
        }
    });
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

// What a target's write came to: a conflict goes back through applyPlanned (re-read, re-plan, checks),
// unless another write has failed meanwhile (it then stays unwritten).
Status settle(const Target& t, Result<Change> change, const ApplyOptions& o, TargetResult& r,
              const std::atomic<bool>& stop) {
    if (!change) return change.error();
    if (change->conflict) {
        if (stop) return okStatus();
        if (o.warn) o.warn(t.store->conflictWarning(2, o.attempts));
        if (o.backoff) o.backoff(1);
        ApplyOptions again = o;
        again.attempts = o.attempts - 1;
        auto out = applyPlanned(*t.store, t.planner, again);
        if (!out) return out.error();
        r.outcome = std::move(*out);
    } else {
        r.outcome->change = std::move(*change);
    }
    bool wrote = o.dryRun == DryRun::None && r.outcome->plan.changed;
    r.state = wrote                     ? TargetState::Changed
              : r.outcome->plan.changed ? TargetState::NotWritten
                                        : TargetState::Unchanged;
    return okStatus();
}

// Writes one group's planned targets: a no-op plan is only described; the others go to the group's
// store as one writeMany (the cluster sends them together over HTTP/2).
void writeGroup(const std::vector<std::size_t>& indices, const std::vector<Target>& targets,
                const std::vector<Snapshot>& reads, const ApplyOptions& o, std::vector<TargetResult>& results,
                std::atomic<bool>& stop, const std::function<void(std::size_t, const Error&)>& failed) {
    std::vector<WriteCall> calls;
    std::vector<std::size_t> which;
    for (auto i : indices) {
        auto& r = results[i];
        if (r.outcome->plan.changed) {
            calls.push_back(WriteCall{targets[i].store, &reads[i], &r.outcome->plan});
            which.push_back(i);
            continue;
        }
        r.state = TargetState::Unchanged;
        if (auto change = targets[i].store->write(reads[i], r.outcome->plan, o.dryRun))
            r.outcome->change = std::move(*change);
    }
    if (calls.empty() || stop) return;
    Writes writes = calls.front().store->writeMany(calls, o.dryRun, [&] { return stop.load(); });
    // Failures first: a conflict among the writes is not tried again once another write has failed.
    for (std::size_t k = 0; k < calls.size(); ++k) {
        if (!writes[k] || *writes[k]) continue;  // never sent, or an answer
        failed(which[k], writes[k]->error());
        stop = true;
    }
    for (std::size_t k = 0; k < calls.size(); ++k) {
        if (!writes[k] || !*writes[k]) continue;
        const std::size_t i = which[k];
        if (auto st = settle(targets[i], std::move(*writes[k]), o, results[i], stop); !st) {
            failed(i, st.error());
            stop = true;
        }
    }
}

// Each group's written objects back as they were read, newest first (the reverse order of the
// change), as one restoreMany of the group's store.
void restoreWritten(const std::vector<Target>& targets, std::vector<TargetResult>& results) {
    forEachGroup(targets, [&](const std::vector<std::size_t>& indices) {
        std::vector<Store*> stores;
        std::vector<std::size_t> which;
        for (auto it = indices.rbegin(); it != indices.rend(); ++it) {
            if (results[*it].state != TargetState::Changed) continue;
            stores.push_back(targets[*it].store);
            which.push_back(*it);
        }
        if (stores.empty()) return;
        std::vector<Status> done = stores.front()->restoreMany(stores);
        for (std::size_t k = 0; k < which.size(); ++k) {
            auto& r = results[which[k]];
            const bool ok = k < done.size() && done[k];
            r.state = ok ? TargetState::Restored : TargetState::NotRestored;
            if (!ok) r.detail = k < done.size() ? done[k].error().message : "not restored";
        }
    });
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
    std::atomic<bool> stop{false};
    auto failedWrite = [&](std::size_t i, const Error& e) { failed(i, e); };
    forEachGroup(targets, [&](const std::vector<std::size_t>& indices) {
        writeGroup(indices, targets, reads, o, out.results, stop, failedWrite);
    });
    if ((out.error = firstError(out.results, errors))) restoreWritten(targets, out.results);
    return out;
}

}  // namespace shift::app
