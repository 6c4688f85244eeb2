#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cmd_undo.hpp"

using namespace shift;

namespace {

// The command as `shift NAME ARGS...` leaves it after parsing, completing and validating.
Status parsed(const char* name, cli::Command& command, std::vector<std::string> args) {
    cli::Globals globals;
    auto app = cli::parserFor(*cli::findCommand(name), globals, command);
    std::reverse(args.begin(), args.end());
    app->parse(args);
    if (auto st = cli::completeGlobals(globals); !st) return st;
    if (auto st = command.complete(globals); !st) return st;
    return command.validate();
}

std::string undoError(std::vector<std::string> args) {
    cli::UndoCommand command;
    auto st = parsed("undo", command, std::move(args));
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().exit == kExitInput);
    return st.error().message;
}

}  // namespace

TEST_SUITE("cli::undo") {
    TEST_CASE("the revision, the dry run and the command as recorded") {
        cli::UndoCommand previous;
        REQUIRE(parsed("undo", previous, {"reviews"}).ok());
        CHECK(previous.options.toRevision == 0);
        CHECK(cli::recordedCommand(previous.options) == "undo reviews");
        cli::UndoCommand to;
        REQUIRE(parsed("undo", to, {"reviews", "--to-revision", "2", "--dry-run=server"}).ok());
        CHECK(to.options.toRevision == 2);
        CHECK(to.options.dryRun == app::DryRun::Server);
        CHECK(cli::recordedCommand(to.options) == "undo reviews --to-revision 2");
    }

    TEST_CASE(
        "a single-valued flag given twice takes the last value, as kubectl's; repeatable ones keep all") {
        cli::UndoCommand twice;
        REQUIRE(
            parsed("undo", twice, {"reviews", "--to-revision", "2", "--to-revision", "3", "-v", "-v"}).ok());
        CHECK(twice.options.toRevision == 3);
        cli::Globals globals;
        cli::UndoCommand again;
        auto app = cli::parserFor(*cli::findCommand("undo"), globals, again);
        std::vector<std::string> args{"reviews", "-n", "a", "-n", "b", "-v", "-v"};
        std::reverse(args.begin(), args.end());
        app->parse(args);
        CHECK(globals.cluster.ns == "b");
        CHECK(globals.verbosity == 2);  // counted: every -v
    }

    TEST_CASE("bad input is refused before any request") {
        CHECK(undoError({}) == "name the VirtualService, e.g. `kubectl shift undo reviews`");
        CHECK(undoError({"reviews", "--to-revision", "0"}) == "--to-revision must be 1 or more");
        CHECK(undoError({"reviews", "--dry-run=maybe"}) ==
              "invalid --dry-run \"maybe\": use client, server or none");
        CHECK(undoError({"reviews", "--history-limit", "0"}) == "--history-limit must be 1 or more");
        CHECK(undoError({"reviews", "-f", "vs.yaml"}).find("manifest files (-f) carry none") !=
              std::string::npos);
    }
}
