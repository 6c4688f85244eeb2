#pragma once
// In-memory stand-ins for the rollout engine's interfaces: a VirtualService route with versions, a
// clock that only moves when slept on, and check commands with scripted answers.
#include <deque>
#include <functional>
#include <map>
#include <set>

#include "app/rollout.hpp"

namespace shift::test {

inline core::RuleSplit splitFrom(const core::Request& r) {
    core::RuleSplit s;
    s.rule = "http[0]";
    for (const auto& w : r.weights) {
        if (w.weight > 0) s.destinations.push_back({w.key, "reviews", w.key, std::nullopt, w.weight});
    }
    return s;
}

inline core::Request parse(const std::string& text) {
    core::Request r;
    std::size_t at = 0;
    while (at < text.size()) {
        auto end = text.find(' ', at);
        auto part = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        auto eq = part.find('=');
        r.weights.push_back({part.substr(0, eq), std::stoll(part.substr(eq + 1))});
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return r;
}

// The object on the "server": every write bumps the version; a write on an old version conflicts.
class FakeTarget : public app::RolloutTarget {
   public:
    explicit FakeTarget(const std::string& split) {
        state.split = splitFrom(parse(split));
        state.version = "1";
    }

    std::string name() const override { return label; }
    std::string label = "istio-demo/reviews http[0]";  // several objects: each its own
    std::string setCommand(const core::RuleSplit& split) const override {
        std::string out = "kubectl shift set reviews -n istio-demo";
        for (const auto& d : split.destinations) out += " " + d.key + "=" + std::to_string(d.weight);
        return out + " --force";
    }
    std::string unmarkCommand() const override {
        return "kubectl annotate virtualservice reviews -n istio-demo traffic-shift.dev/rollout-";
    }
    Status preflight(const core::Request& finalStep) override {
        preflighted = core::describe(finalStep);
        return preflightError.empty() ? okStatus() : Status(fail(preflightError));
    }
    std::string preflighted, preflightError;
    void completed() override { ++completions; }
    int completions = 0;  // completed() calls: once, after a rollout's last step landed
    Result<app::RouteState> read() override {
        ++reads;
        if (failReadsFrom && reads >= failReadsFrom) return fail("the server is gone", kExitApi);
        return state;
    }
    Result<app::WriteOutcome> write(const app::RouteState& basis, const std::optional<core::Request>& request,
                                    const std::optional<core::RolloutMark>& mark,
                                    const std::string& record) override {
        ++writes;
        if (beforeWrite) beforeWrite(writes);
        if (failsBeforeLanding()) return fail("the server went away", kExitApi);
        if (basis.version != state.version) return app::WriteOutcome{true, {}};
        if (request) state.split = splitFrom(*request);
        state.mark = mark;
        commit(record, "shift");
        if (lostAnswers.count(writes)) return fail("the answer was lost", kExitApi);
        return app::WriteOutcome{false, state};
    }
    // Called on the first object of a step: counts the step's batches; with sendsAll, every write is
    // made whatever became of the others (as KubeRouteTarget's over HTTP/2), else the default's.
    app::TargetWrites writeMany(const std::vector<app::TargetWrite>& writes,
                                const std::optional<core::RolloutMark>& mark,
                                const std::string& record) override {
        ++batches;
        if (!sendsAll) return RolloutTarget::writeMany(writes, mark, record);
        app::TargetWrites out;
        for (const auto& w : writes) out.emplace_back(w.target->write(*w.basis, w.request, mark, record));
        return out;
    }
    bool sendsAll = false;
    int batches = 0;
    Result<app::WriteOutcome> restore(const app::RouteState& basis, const app::RouteState& original,
                                      const std::string& record) override {
        ++writes;
        if (beforeWrite) beforeWrite(writes);
        if (failsBeforeLanding()) return fail("the server went away", kExitApi);
        if (basis.version != state.version) return app::WriteOutcome{true, {}};
        state.split = original.split;
        state.mark.reset();
        commit(record, "shift");
        if (lostAnswers.count(writes)) return fail("the answer was lost", kExitApi);
        return app::WriteOutcome{false, state};
    }
    // Someone else writes the object (kubectl, a GitOps controller).
    void otherWriter(const std::string& split, const std::string& manager) {
        if (!split.empty()) state.split = splitFrom(parse(split));
        commit("", manager);
    }
    std::string split() const { return core::describeSplit(state.split); }

    app::RouteState state;
    std::vector<std::string> history;  // records appended by writes, in order
    std::vector<std::string> splits;   // the split after every write, in order
    int reads = 0, writes = 0, failWrite = 0;
    int failFrom = 0;                      // every write from this one on fails before landing
    std::set<int> lostAnswers;             // these writes land, but their answer is lost (an error)
    int failReadsFrom = 0;                 // every read from this one on fails
    std::function<void(int)> beforeWrite;  // called with the write's number, before it lands

   private:
    bool failsBeforeLanding() const { return failWrite == writes || (failFrom && writes >= failFrom); }
    void commit(const std::string& record, const std::string& manager) {
        state.version = std::to_string(std::stoi(state.version) + 1);
        state.lastWriter = manager;
        if (!record.empty()) history.push_back(record);
        splits.push_back(split());
    }
};

class FakeClock : public app::Clock {
   public:
    core::Clock::time_point now() override { return t; }
    bool sleep(app::Duration d) override {
        slept += d;
        t += std::chrono::duration_cast<core::Clock::duration>(d);
        if (interruptAfter && slept >= *interruptAfter) stopped = true;
        return !stopped;
    }
    bool interrupted() override { return stopped; }

    core::Clock::time_point t = *core::parseTime("2026-12-01T03:00:00Z");
    app::Duration slept{};
    std::optional<app::Duration> interruptAfter;
    bool stopped = false;
};

// Answers each check run from a script (true: passes); an empty script passes.
class FakeChecks : public app::CheckRunner {
   public:
    app::CheckOutcome run(const std::string& command, const app::CheckContext& context,
                          app::Duration) override {
        calls.push_back({command, context});
        bool ok = script.empty() ? true : script.front();
        if (!script.empty()) script.pop_front();
        return {ok, ok ? "exit 0" : "exit 1"};
    }
    std::deque<bool> script;
    std::vector<std::pair<std::string, app::CheckContext>> calls;
};

// The rollout most tests run: v3 in steps of 10, 50 and 100, 30 s apart, one check, and no heartbeat
// writes between steps unless a test asks.
inline app::RolloutOptions rolloutOptions(std::string command, std::vector<long long> steps = {10, 50, 100}) {
    using namespace std::chrono_literals;
    app::RolloutOptions o;
    o.key = "v3";
    o.steps = std::move(steps);
    o.interval = 30s;
    o.checks = {"./healthy.sh"};
    o.holder = "alice@ci pid 1";
    o.command = std::move(command);
    o.heartbeatEvery = 30s;
    return o;
}

// What a rollout reported, and the events it printed on the way.
struct RolloutRun {
    app::RolloutReport report;
    std::vector<std::string> events;
};

}  // namespace shift::test
