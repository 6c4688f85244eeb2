#include "app/rollout_lanes.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace shift::app {

namespace {

constexpr int kWriteAttempts = 5;

std::string splitText(const core::RuleSplit& s) { return core::describeSplit(s); }

// A step's request as a split, for the command that sets an object to it by hand.
core::RuleSplit splitOfRequest(const core::Request& r) {
    core::RuleSplit s;
    for (const auto& w : r.weights)
        s.destinations.push_back({w.key, "", "", std::nullopt, w.weight, std::nullopt});
    return s;
}

bool ours(const RouteState& s, const RolloutOptions& o) { return s.mark && s.mark->holder == o.holder; }

}  // namespace

Lanes::Lanes(const std::vector<RolloutTarget*>& targets, const RolloutOptions& o) : o_(o) {
    for (auto* t : targets) all.push_back(Lane{t, {}, {}, {}, 0, false, false, true, {}, std::nullopt});
}

std::optional<Error> Lanes::writeAll(std::size_t pending, const LaneRequest& request,
                                     const std::optional<core::RolloutMark>& m, const std::string& record) {
    // Every object's first attempt together (at once over HTTP/2 where the targets can); a conflict
    // is then retried object by object. Over HTTP/2 every write is sent even when one fails: each
    // lane takes its own answer, so the objects ahead are known and a hold or rollback sees them.
    std::vector<TargetWrite> writes;
    for (auto& l : all) writes.push_back({l.t, &l.cur, request(l)});
    TargetWrites answers = all.front().t->writeMany(writes, m, record);
    std::optional<Error> first;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (!answers[i]) continue;  // not sent: a write before it failed
        Lane& l = all[i];
        auto failed = retried(
            l, [&] { return l.t->write(l.cur, request(l), m, record); }, std::move(*answers[i]));
        if (!failed) {
            l.at = pending;
            continue;
        }
        if (!l.other) settle(l, pending);
        if (first) continue;
        first = l.other ? Error{l.t->name() + ": " + l.end, kExitOtherWriter}
                        : Error{l.t->name() + ": " + failed->message, failed->exit};
    }
    return first;
}

// One versioned write until it lands; after a conflict the object is read again, and the write is
// retried only if the route is as the rollout left it and no one took the mark over. `answer`: the
// first attempt's, when it was made already (writeMany).
std::optional<Error> Lanes::retried(Lane& l, const std::function<Result<WriteOutcome>()>& attempt,
                                    std::optional<Result<WriteOutcome>> answer) {
    for (int i = 0; i < kWriteAttempts; ++i) {
        auto w = answer ? std::move(*answer) : attempt();
        answer.reset();
        if (!w) return w.error();
        if (!w->conflict) {
            l.cur = w->after;
            return std::nullopt;
        }
        auto seen = l.t->read();
        if (!seen) return seen.error();
        bool takenOver = seen->mark && seen->mark->holder != o_.holder && l.at > 0;
        if (seen->split != l.cur.split || takenOver) {
            other(l, *seen, takenOver);
            return Error{l.end, kExitOtherWriter};
        }
        l.cur = *seen;
    }
    return fail(fmt::format("{} kept changing on the server", l.t->name()), kExitConflict);
}

// A write that failed outright may have landed with its answer lost: read the object again and
// take what is there (the write landed: it carries this rollout's mark and a new split).
void Lanes::settle(Lane& l, std::size_t pending) {
    auto seen = l.t->read();
    if (!seen) {
        l.unknown = true;
        return;
    }
    if (seen->mark && !ours(*seen, o_) && l.at > 0) return other(l, *seen, true);
    if (seen->split == l.cur.split) {
        l.cur = *seen;
        return;
    }
    if (!ours(*seen, o_)) return other(l, *seen, false);
    l.cur = *seen;
    l.at = pending;
}

void Lanes::other(Lane& l, const RouteState& seen, bool takenOver) {
    std::string who = seen.lastWriter.empty() ? "another writer" : fmt::format("\"{}\"", seen.lastWriter);
    if (takenOver && seen.mark) who = fmt::format("{} (--force)", seen.mark->holder);
    l.end = fmt::format(
        "changed by {} during the rollout (now {}, the rollout had left {} at step {} of {}); left as it is",
        who, splitText(seen.split), splitText(l.cur.split), l.at, steps);
    l.cur = seen;
    l.other = true;
    l.ok = false;
}

void Lanes::unknownLane(Lane& l) {
    l.ok = false;
    l.end = fmt::format(
        "could not be read after a failed write; last seen at {} (step {} of {}), perhaps with the rollout's "
        "mark; put it back with `{}`",
        splitText(l.cur.split), l.at, steps, l.t->setCommand(l.start.split));
}

void Lanes::rollBackLane(Lane& l) {
    if (l.other) return;
    if (l.unknown) return unknownLane(l);
    if (l.at == 0) {
        l.end = fmt::format("unchanged: at {} as before the rollout", splitText(l.start.split));
        return;
    }
    auto failed = retried(l, [&] { return l.t->restore(l.cur, l.start, o_.command + " (rolled back)"); });
    if (l.other) return;
    if (failed) {
        // Its answer may be lost while the restore landed.
        auto seen = l.t->read();
        if (!seen || seen->split != l.start.split || ours(*seen, o_)) {
            l.ok = false;
            l.error = failed;
            l.end = fmt::format(
                "NOT rolled back ({}): last seen at {} (step {} of {}), perhaps with the rollout's mark; put "
                "it "
                "back with `{}`",
                failed->message, splitText(l.cur.split), l.at, steps, l.t->setCommand(l.start.split));
            return;
        }
        l.cur = *seen;
    }
    l.at = 0;
    l.end = fmt::format("rolled back to {}", splitText(l.cur.split));
}

void Lanes::unmarkLane(Lane& l, const std::string& where) {
    auto failed = retried(l, [&] { return l.t->write(l.cur, std::nullopt, std::nullopt, ""); });
    if (l.other) return;
    if (failed) {
        auto seen = l.t->read();  // the removal may have landed with its answer lost
        if (!seen || ours(*seen, o_)) {
            l.ok = false;
            l.error = failed;
            l.end = fmt::format("{} ({}), but its rollout mark may remain ({}); remove it with `{}`", where,
                                splitText(l.cur.split), failed->message, l.t->unmarkCommand());
            return;
        }
        l.cur = *seen;
    }
    l.end = fmt::format("{}: {}", where, splitText(l.cur.split));
}

void Lanes::holdLane(Lane& l, std::size_t to) {
    if (l.other) return;
    if (l.unknown) return unknownLane(l);
    if (to == 0) return rollBackLane(l);
    auto where = fmt::format("held at step {} of {}", to, steps);
    if (l.at == to) return unmarkLane(l, where);
    // Ahead of the others (it took the step whose write failed elsewhere): back to step `to`.
    const auto& request = l.plan.steps[to - 1].request;
    auto record = fmt::format("{} (held at step {}/{})", o_.command, to, steps);
    auto failed = retried(l, [&] { return l.t->write(l.cur, request, std::nullopt, record); });
    if (l.other) return;
    if (failed) {
        l.ok = false;
        l.error = failed;
        l.end = fmt::format(
            "NOT moved back to step {} ({}): last seen at {} (step {} of {}); set it with `{}`", to,
            failed->message, splitText(l.cur.split), l.at, steps, l.t->setCommand(splitOfRequest(request)));
        return;
    }
    l.at = to;
    l.end = fmt::format("moved back to step {} of {}: {}", to, steps, splitText(l.cur.split));
}

RolloutReport Lanes::rollBack(int exit, const std::string& why,
                              const std::function<void(const Event&)>& emit) {
    // Newest first: the objects go back in the reverse order of the change.
    for (auto l = all.rbegin(); l != all.rend(); ++l) rollBackLane(*l);
    bool clean = std::all_of(all.begin(), all.end(), [](const Lane& l) { return l.ok; });
    emit({Event::Kind::Restored, clean ? "rolled back every object" : "rolled back what could be",
          static_cast<long long>(applied), static_cast<long long>(steps), splitText(all.front().cur.split)});
    return summary(exit, clean ? fmt::format("{}; rolled back: every object is as before the rollout", why)
                               : fmt::format("{}; rolled back where possible", why));
}

RolloutReport Lanes::hold(int exit, const std::string& why, const std::function<void(const Event&)>& emit) {
    // The last step every object reached (the objects someone else changed aside).
    std::size_t to = steps;
    for (const auto& l : all) {
        if (!l.other) to = std::min(to, l.at);
    }
    for (auto l = all.rbegin(); l != all.rend(); ++l) holdLane(*l, to);
    bool clean = std::all_of(all.begin(), all.end(), [](const Lane& l) { return l.ok; });
    auto where = to == 0 ? std::string("held at the start (no step reached every object)")
                         : fmt::format("held at step {} of {}", to, steps);
    emit({Event::Kind::Held, where, static_cast<long long>(to), static_cast<long long>(steps),
          splitText(all.front().cur.split)});
    auto head = fmt::format("{}; {}", why, where);
    if (clean && to > 0) head += "; run the same command again to continue";
    return summary(exit, head);
}

RolloutReport Lanes::finish(const std::function<void(const Event&)>& emit) {
    // The marks come off in one batch; an object whose removal did not plainly land (a failure, a
    // conflict) is then done on its own, with unmarkLane's retries and words.
    std::vector<TargetWrite> writes;
    for (auto& l : all) writes.push_back({l.t, &l.cur, std::nullopt});
    TargetWrites answers = all.front().t->writeMany(writes, std::nullopt, "");
    for (std::size_t i = 0; i < all.size(); ++i) {
        Lane& l = all[i];
        if (answers[i] && *answers[i] && !(*answers[i])->conflict) {
            l.cur = (*answers[i])->after;
            l.end = fmt::format("done: {}", splitText(l.cur.split));
            continue;
        }
        unmarkLane(l, "done");
    }
    bool clean = std::all_of(all.begin(), all.end(), [](const Lane& l) { return l.ok; });
    if (clean) {
        emit({Event::Kind::Done, fmt::format("done: {} objects", all.size()), static_cast<long long>(steps),
              static_cast<long long>(steps), splitText(all.front().cur.split)});
    }
    // Every final split landed, whether or not each mark came off cleanly.
    for (auto& l : all) l.t->completed();
    if (clean) {
        return summary(kExitOk, fmt::format("rollout of {} complete in {} objects", o_.key, all.size()));
    }
    return summary(kExitOk,
                   fmt::format("every step of the rollout of {} landed and passed its checks, but not "
                               "every object ended cleanly",
                               o_.key));
}

// The head line, then one line per object; the exit of the first object that could not be put where
// the end wanted it (a failed restore is the worse news), else `exit`.
RolloutReport Lanes::summary(int exit, const std::string& head) const {
    std::string text = head + ":";
    for (const auto& l : all) text += fmt::format("\n  {}: {}", l.t->name(), l.end);
    for (const auto& l : all) {
        if (l.error) return {l.error->exit, text};
        if (l.other && exit == kExitOk) return {kExitOtherWriter, text};
    }
    return {exit, text};
}

}  // namespace shift::app
