#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cmd_set.hpp"

using namespace shift;
using cli::SetCommand;

namespace {

// The command as `shift set ARGS...` leaves it after parsing, completing and validating.
Status parsed(SetCommand& command, std::vector<std::string> args) {
    cli::Globals globals;
    auto app = cli::parserFor(*cli::findCommand("set"), globals, command);
    std::reverse(args.begin(), args.end());
    app->parse(args);
    if (auto st = cli::completeGlobals(globals); !st) return st;
    if (auto st = command.complete(globals); !st) return st;
    return command.validate();
}

std::string error(std::vector<std::string> args) {
    SetCommand command;
    auto st = parsed(command, std::move(args));
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().exit == kExitInput);
    return st.error().message;
}

}  // namespace

TEST_SUITE("cli::set") {
    TEST_CASE("a name and weights are all it needs") {
        SetCommand command;
        REQUIRE(parsed(command, {"reviews", "v1=50", "v3=50"}).ok());
        CHECK(command.options.name == "reviews");
        CHECK(command.options.weights == std::vector<std::string>{"v1=50", "v3=50"});
        CHECK(command.options.dryRun == app::DryRun::None);
    }

    TEST_CASE("--dry-run and -o are parsed once into enums") {
        SetCommand bare;
        REQUIRE(parsed(bare, {"reviews", "v1=100", "--dry-run", "-o", "json"}).ok());
        CHECK(bare.options.dryRun == app::DryRun::Client);
        CHECK(bare.output == app::Output::Json);
        SetCommand server;
        REQUIRE(parsed(server, {"reviews", "v1=100", "--dry-run=server", "-o", "yaml"}).ok());
        CHECK(server.options.dryRun == app::DryRun::Server);
        CHECK(server.output == app::Output::Yaml);
    }

    TEST_CASE("contradictions are rejected before anything is read") {
        CHECK(error({}) ==
              "name the VirtualService and the new split, e.g. `kubectl shift reviews v1=50 v3=50`");
        CHECK(error({"reviews", "v1=100", "-i"}).find("--in-place rewrites a file") == 0);
        CHECK(error({"reviews", "v1=100", "-i", "-f", "-"}) ==
              "--in-place needs a file, not standard input; give -f FILE");
        CHECK(error({"reviews", "v1=100", "-i", "-f", "x.yaml", "-o", "yaml"}) ==
              "-o prints the object and --in-place rewrites the file; choose one");
        CHECK(error({"reviews", "v1=100", "-f", "x.yaml", "--dry-run=server"}).find("needs the cluster") !=
              std::string::npos);
    }

    TEST_CASE("--color: any case of auto, always or never; anything else named in the error") {
        SetCommand command;
        REQUIRE(parsed(command, {"reviews", "v1=100", "--color", "ALWAYS"}).ok());
        CHECK(error({"reviews", "v1=100", "--color=on"}) ==
              "invalid --color value \"on\": use auto, always or never");
    }

    TEST_CASE("the cluster's flags: history limit, field manager, force; the command as recorded") {
        SetCommand command;
        REQUIRE(parsed(command, {"reviews", "v1=90", "v3=10", "--route", "http:1", "--history-limit", "3",
                                 "--field-manager", "release-bot", "--force"})
                    .ok());
        CHECK(command.options.historyLimit == 3);
        CHECK(command.options.fieldManager == "release-bot");
        CHECK(command.options.force);
        CHECK(cli::recordedCommand(command.options) == "set reviews v1=90 v3=10 --route http:1");
        CHECK(error({"reviews", "v1=100", "--history-limit", "0"}) == "--history-limit must be 1 or more");
        CHECK(error({"reviews", "v1=100", "--field-manager", ""}) ==
              "--field-manager must be 1 to 128 characters");
        CHECK(error({"reviews", "v1=100", "--field-manager", std::string(129, 'm')}) ==
              "--field-manager must be 1 to 128 characters");
        CHECK(error({"reviews", "v1=100", "--field-manager", "a\tb"}) ==
              "--field-manager must not hold control characters");
    }
}
