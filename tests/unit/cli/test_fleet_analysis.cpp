#include <doctest/doctest.h>

#include "fleet_analysis.hpp"

using namespace shift;

namespace {

// Records what it was asked to run: the shell checks of a several-object rollout.
class RecordingShell : public app::CheckRunner {
   public:
    app::CheckOutcome run(const std::string& command, const app::CheckContext& context,
                          app::Duration) override {
        ran.push_back(command + " @ " + context.split);
        return {command != "false", "exit 1"};
    }
    std::vector<std::string> ran;
};

}  // namespace

TEST_CASE("splitOfTarget finds an object's split among the context's lines, names with spaces included") {
    const std::string targets =
        "east: ns1/reviews http[0] v1=90,v3=10\n"
        "west: ns1/reviews http[0] v1=80,v3=20\n"
        "ns1/reviews-canary http[0] v1=100";
    CHECK(cli::splitOfTarget(targets, "east: ns1/reviews http[0]") == "v1=90,v3=10");
    CHECK(cli::splitOfTarget(targets, "west: ns1/reviews http[0]") == "v1=80,v3=20");
    CHECK(cli::splitOfTarget(targets, "ns1/reviews-canary http[0]") == "v1=100");
    // A name that is only a prefix of another's is not that one.
    CHECK(cli::splitOfTarget(targets, "ns1/reviews") == "");
    CHECK(cli::splitOfTarget(targets, "north: ns1/reviews http[0]") == "");
    CHECK(cli::splitOfTarget("", "a") == "");
}

TEST_CASE("a fleet without gates hands every check to the shell runner, with the step's context") {
    RecordingShell shell;
    cli::FleetAnalysis fleet(shell, cli::Analysis{});
    cli::PrometheusFlags flags;
    REQUIRE(fleet.prepare({}, flags, "v3", false, 0).ok());  // nothing active: nothing read or opened
    app::CheckContext context{2, 3, 50, "v1=50,v3=50", "a v1=50,v3=50"};
    CHECK(fleet.run("true", context, std::chrono::seconds(1)).passed);
    CHECK_FALSE(fleet.run("false", context, std::chrono::seconds(1)).passed);
    // `analysis ...` is a gate only when --analysis declared it: else it is the user's own command.
    CHECK(fleet.run("analysis success-rate>=99", context, std::chrono::seconds(1)).passed);
    CHECK(shell.ran == std::vector<std::string>{"true @ v1=50,v3=50", "false @ v1=50,v3=50",
                                                "analysis success-rate>=99 @ v1=50,v3=50"});
}
