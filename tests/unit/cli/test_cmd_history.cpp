#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cmd_history.hpp"

using namespace shift;

namespace {

Status parsed(cli::HistoryCommand& command, std::vector<std::string> args) {
    cli::Globals globals;
    auto app = cli::parserFor(*cli::findCommand("history"), globals, command);
    std::reverse(args.begin(), args.end());
    app->parse(args);
    if (auto st = cli::completeGlobals(globals); !st) return st;
    if (auto st = command.complete(globals); !st) return st;
    return command.validate();
}

}  // namespace

TEST_SUITE("cli::history") {
    TEST_CASE("history: a name, and the cluster") {
        cli::HistoryCommand ok;
        REQUIRE(parsed(ok, {"reviews"}).ok());
        CHECK(ok.options.name == "reviews");
        cli::HistoryCommand files;
        auto st = parsed(files, {"reviews", "-f", "vs.yaml"});
        REQUIRE_FALSE(st.ok());
        CHECK(st.error().message ==
              "`shift history` reads the history from the traffic-shift.dev/history annotation of the "
              "VirtualService in the cluster; manifest files (-f) carry none");
    }
    TEST_CASE("history without a name says how to give one") {
        cli::HistoryCommand none;
        CHECK(parsed(none, {}).error().message ==
              "name the VirtualService, e.g. `kubectl shift history reviews`");
    }
}
