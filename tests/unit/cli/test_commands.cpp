#include <doctest/doctest.h>

#include "command.hpp"

using shift::cli::commandWord;
using Words = std::vector<std::string>;

TEST_SUITE("cli::commands") {
    TEST_CASE("the table: set is the default, completion is listed, __complete hidden") {
        const auto& table = shift::cli::commands();
        REQUIRE(table.size() >= 2);
        CHECK(table.front().name == "set");
        REQUIRE(shift::cli::findCommand("completion") != nullptr);
        CHECK_FALSE(shift::cli::findCommand("completion")->hidden);
        CHECK(shift::cli::findCommand("__complete")->hidden);
        CHECK(shift::cli::findCommand("reviews") == nullptr);
    }

    TEST_CASE("the command is the first word that is neither a flag nor a flag's value") {
        CHECK(commandWord(Words{"set", "reviews", "v1=100"}) == 0);
        CHECK(commandWord(Words{"-n", "prod", "--context", "eu", "set", "reviews", "v1=100"}) == 4);
        CHECK(commandWord(Words{"--namespace=prod", "-v", "completion", "bash"}) == 2);
        CHECK(commandWord(Words{"-nprod", "set", "x"}) == 1);
        CHECK(commandWord(Words{"-n", "prod", "undo", "reviews"}) == 2);
        CHECK(commandWord(Words{"history", "reviews"}) == 0);
        // set's cluster flags take a value: it is not the command.
        CHECK(commandWord(Words{"--field-manager", "undo", "reviews", "v1=100"}) == 4);
    }

    TEST_CASE("no command: the bare form") {
        const Words bare{"reviews", "v1=100"};
        CHECK(commandWord(bare) == bare.size());
        // A flag's value is not a command, however it is spelled.
        const Words value{"-n", "set", "reviews", "v1=100"};
        CHECK(commandWord(value) == value.size());
        const Words route{"--route", "completion", "reviews", "a=100"};
        CHECK(commandWord(route) == route.size());
        // `--` ends the options: what follows is a name.
        const Words dashes{"--", "set", "v1=100"};
        CHECK(commandWord(dashes) == dashes.size());
        // The name comes after the command: `shift set get v1=100` shifts a VirtualService named get.
        CHECK(commandWord(Words{"set", "set", "v1=100"}) == 0);
    }
}
