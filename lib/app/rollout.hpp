#pragma once
// The staged rollout: apply each step through the safe write path, wait, run the checks, and on a
// failed check, a signal or someone else's change end in a state the report names exactly. The
// world comes in through three small interfaces, so the engine's tests run on fakes, without sleeping.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "core/duration.hpp"
#include "core/history.hpp"
#include "core/request.hpp"
#include "core/split_view.hpp"

namespace shift::app {

using core::Duration;

// What the engine knows of the object between two writes.
struct RouteState {
    std::string version;  // resourceVersion: the precondition of the next write
    core::RuleSplit split;
    std::optional<core::RolloutMark> mark;
    std::string lastWriter;  // field manager of the last change, "" when unknown
};

struct WriteOutcome {
    bool conflict = false;  // the object changed since `basis` was read: nothing written
    RouteState after;       // when written
};

class RolloutTarget;

// One write of RolloutTarget::writeMany: write()'s own arguments for one target.
struct TargetWrite {
    RolloutTarget* target = nullptr;
    const RouteState* basis = nullptr;
    std::optional<core::Request> request;
};
// Each write's answer, as write() answers it; nullopt for a write never sent.
using TargetWrites = std::vector<std::optional<Result<WriteOutcome>>>;

// One route of one object, written only with a resourceVersion precondition.
class RolloutTarget {
   public:
    virtual ~RolloutTarget() = default;
    virtual std::string name() const = 0;  // "istio-demo/reviews http[0]", for messages
    // The command that sets this route to `split` whatever holds it, for messages that say how to
    // finish by hand: "kubectl shift set reviews -n istio-demo --route http:0 v1=100 --force".
    virtual std::string setCommand(const core::RuleSplit& split) const = 0;
    // The command that removes a rollout's mark: "kubectl annotate virtualservice reviews -n NS KEY-".
    virtual std::string unmarkCommand() const = 0;
    virtual Result<RouteState> read() = 0;
    // Before the first write: the final step's split must be valid (new hosts exist, subsets are
    // defined), as `shift set` would check it.
    virtual Status preflight(const core::Request& finalStep) = 0;
    // Writes the split `request` (nullopt: leave the route) and the mark (nullopt: remove it); a
    // non-empty `record` is appended to the object's history.
    virtual Result<WriteOutcome> write(const RouteState& basis, const std::optional<core::Request>& request,
                                       const std::optional<core::RolloutMark>& mark,
                                       const std::string& record) = 0;
    // Several targets' writes with one mark and record, as one step of a rollout over several objects
    // makes them. This default writes one after another and stops after the first that fails (a
    // conflict is an answer, not a failure); a target that can sends them together (KubeRouteTarget:
    // the PUTs of one cluster at once over HTTP/2, where every one is sent).
    virtual TargetWrites writeMany(const std::vector<TargetWrite>& writes,
                                   const std::optional<core::RolloutMark>& mark, const std::string& record);
    // Puts back the route exactly as it was in `original` (every field, not only the weights).
    virtual Result<WriteOutcome> restore(const RouteState& basis, const RouteState& original,
                                         const std::string& record) = 0;
    // After the last step landed and passed its checks (not after a rollback, a hold or a dry run): what
    // the target has to say of where it ended (KubeRouteTarget: a subset the rollout took the last
    // traffic from can be retired).
    virtual void completed() {}
};

struct CheckContext {
    long long step = 0, steps = 0;  // 1-based step just applied, and how many
    long long weight = 0;           // KEY's share now
    std::string split;              // "v1=90,v3=10"
    // Several objects (rollout_many.hpp): one line per object, "NAME SPLIT"; "" for one object.
    std::string targets{};
};

struct CheckOutcome {
    bool passed = false;
    std::string detail;  // "exit 1", "killed after 30s", "interrupted"
};

class CheckRunner {
   public:
    virtual ~CheckRunner() = default;
    virtual CheckOutcome run(const std::string& command, const CheckContext& context, Duration timeout) = 0;
};

class Clock {
   public:
    virtual ~Clock() = default;
    virtual core::Clock::time_point now() = 0;
    // Waits; false when a signal asked the rollout to stop.
    virtual bool sleep(Duration d) = 0;
    virtual bool interrupted() = 0;
};

enum class Policy { Rollback, Hold };

struct RolloutOptions {
    std::string key;
    std::vector<long long> steps{10, 25, 50, 100};
    std::vector<std::string> pins;  // --pin: destinations that keep their share at every step
    Duration interval{};
    std::vector<std::string> checks;
    Duration checkTimeout = std::chrono::minutes(1);
    int maxFailures = 0;
    Policy onFailure = Policy::Rollback;
    Policy onInterrupt = Policy::Rollback;
    bool dryRun = false;
    bool force = false;
    std::string holder;   // "user@host pid N"
    std::string command;  // the command line, for the mark and the history
    Duration heartbeatEvery = std::chrono::seconds(10);
    std::chrono::seconds staleAfter{60};  // a mark older than this is a dead rollout's
};

// What the rollout did, as it happens. Wait says a wait begins and when it ends, for a display that
// counts down; the other kinds are the lines of the plain log.
struct Event {
    enum class Kind { Plan, Step, Wait, CheckPassed, CheckFailed, Restored, Held, Done } kind;
    std::string text;  // one line, for plain output
    long long step = 0, steps = 0;
    std::string split;                // after the event
    core::Clock::time_point until{};  // Wait: when it ends
};

struct RolloutReport {
    int exit = kExitOk;
    std::string message;  // the final state of the object, in words
};

RolloutReport runRollout(RolloutTarget& target, CheckRunner& checks, Clock& clock,
                         const RolloutOptions& options, const std::function<void(const Event&)>& emit);

}  // namespace shift::app
