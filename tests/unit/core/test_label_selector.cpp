#include <doctest/doctest.h>

#include "core/label_selector.hpp"

using namespace shift::core;
using Op = LabelRequirement::Op;

namespace {

LabelSelector parsed(const char* text) {
    auto s = parseLabelSelector(text);
    REQUIRE_MESSAGE(s.ok(), text);
    return *s;
}

std::string errorOf(const char* text) {
    auto s = parseLabelSelector(text);
    REQUIRE_MESSAGE(!s.ok(), text);
    CHECK(s.error().exit == shift::kExitInput);
    CHECK(s.error().message.find('\n') == std::string::npos);
    return s.error().message;
}

}  // namespace

TEST_SUITE("core::label_selector") {
    TEST_CASE("equality-based requirements, as kubectl writes them") {
        auto s = parsed("app=reviews, tier!=x,env==prod");
        REQUIRE(s.requirements.size() == 3);
        CHECK(s.requirements[0].key == "app");
        CHECK(s.requirements[0].op == Op::Equals);
        CHECK(s.requirements[0].values == std::vector<std::string>{"reviews"});
        CHECK(s.requirements[1].op == Op::NotEquals);
        CHECK(s.requirements[2].op == Op::Equals);
        CHECK(toString(s) == "app=reviews,tier!=x,env=prod");
    }
    TEST_CASE("set-based requirements and existence") {
        auto s = parsed("env in (a, b),tier notin (x),canary,!legacy,example.com/team=mesh");
        REQUIRE(s.requirements.size() == 5);
        CHECK(s.requirements[0].op == Op::In);
        CHECK(s.requirements[0].values == std::vector<std::string>{"a", "b"});
        CHECK(s.requirements[1].op == Op::NotIn);
        CHECK(s.requirements[2].op == Op::Exists);
        CHECK(s.requirements[3].op == Op::DoesNotExist);
        CHECK(s.requirements[3].key == "legacy");
        CHECK(s.requirements[4].key == "example.com/team");
        CHECK(toString(s) == "env in (a,b),tier notin (x),canary,!legacy,example.com/team=mesh");
    }
    TEST_CASE("an empty value is a value, an empty selector selects everything") {
        CHECK(parsed("app=").requirements.at(0).values == std::vector<std::string>{""});
        CHECK(parsed("").requirements.empty());
        CHECK(matches(parsed(""), {}));
    }
    TEST_CASE("matching follows the API server: a missing label satisfies != and notin") {
        std::map<std::string, std::string> labels{{"app", "reviews"}, {"env", "a"}};
        CHECK(matches(parsed("app=reviews,env in (a,b)"), labels));
        CHECK_FALSE(matches(parsed("app=ratings"), labels));
        CHECK(matches(parsed("tier!=x,tier notin (x),!tier"), labels));
        CHECK_FALSE(matches(parsed("env notin (a)"), labels));
        CHECK_FALSE(matches(parsed("!app"), labels));
        CHECK(matches(parsed("app"), labels));
        CHECK_FALSE(matches(parsed("tier"), labels));
    }
    TEST_CASE("mistakes are one line naming what was expected") {
        CHECK(errorOf("env in (a").find("found end of input, expected ',' or ')'") != std::string::npos);
        CHECK(errorOf("env in a").find("found 'a', expected '('") != std::string::npos);
        CHECK(errorOf("env in ()").find("found ')', expected a label value") != std::string::npos);
        CHECK(errorOf("app=reviews,").find("expected a label key") != std::string::npos);
        CHECK(errorOf("app reviews").find("found 'reviews' after \"app\"") != std::string::npos);
        CHECK(errorOf("app=a=b").find("found '=', expected ','") != std::string::npos);
        CHECK(errorOf("-app=x").find("invalid label key \"-app\"") != std::string::npos);
        CHECK(errorOf("app=re views").find("found 'views'") != std::string::npos);
        CHECK(errorOf("app=-x").find("invalid label value \"-x\"") != std::string::npos);
        CHECK(errorOf("replicas>1").find("not supported") != std::string::npos);
        CHECK(errorOf("app=reviews,,x").find("invalid selector \"app=reviews,,x\"") != std::string::npos);
    }
}
