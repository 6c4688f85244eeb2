#include <doctest/doctest.h>

#include "doc/node.hpp"

using shift::doc::Node;
using shift::doc::resolvePlain;
using shift::doc::ScalarType;

TEST_SUITE("doc::Node") {
    TEST_CASE("resolvePlain follows go-yaml v2's YAML 1.1 table") {
        SUBCASE("null") {
            for (const char* s : {"", "~", "null", "Null", "NULL"})
                CHECK_MESSAGE(resolvePlain(s) == ScalarType::Null, s);
            for (const char* s : {"nULL", "nil", "None"})
                CHECK_MESSAGE(resolvePlain(s) == ScalarType::String, s);
        }
        SUBCASE("bool") {
            for (const char* s :
                 {"y",    "Y",    "yes",   "Yes",   "YES",   "n",  "N",  "no", "No",  "NO",  "true",
                  "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"})
                CHECK_MESSAGE(resolvePlain(s) == ScalarType::Bool, s);
            for (const char* s : {"yES", "tRUE", "oN", "nO", "t", "f", "enabled"})
                CHECK_MESSAGE(resolvePlain(s) == ScalarType::String, s);
        }
        SUBCASE("int") {
            for (const char* s :
                 {"0", "7", "-7", "+7", "1_000", "0x1F", "0X1f", "-0x1F", "0o17", "017", "0b101", "-0b101",
                  "00", "9223372036854775807", "-9223372036854775808", "18446744073709551615", "0x_1F"})
                CHECK_MESSAGE(resolvePlain(s) == ScalarType::Int, s);
        }
        SUBCASE("float") {
            for (const char* s : {"1.5",
                                  "1e3",
                                  "1E+3",
                                  "-1.5e-3",
                                  ".5",
                                  "-.5",
                                  "+.5",
                                  "5.",
                                  "1_0.5",
                                  ".inf",
                                  ".Inf",
                                  ".INF",
                                  "-.inf",
                                  "+.inf",
                                  ".nan",
                                  ".NaN",
                                  ".NAN",
                                  "08",
                                  "12345678901234567890123",
                                  "18446744073709551616",
                                  "-9223372036854775809"})
                CHECK_MESSAGE(resolvePlain(s) == ScalarType::Float, s);
        }
        SUBCASE("string") {
            for (const char* s :
                 {"reviews", "v1",  "1.0.0", "0x",  "0xZZ",      "0x1FFFFFFFFFFFFFFFFF", "1e",   "e3", ".",
                  "-",       "+",   "nan",   "inf", ".infinity", "2001-12-14",           "1:20", "<<", "1 2",
                  "-.",      "0b2", "12:30"})
                CHECK_MESSAGE(resolvePlain(s) == ScalarType::String, s);
        }
    }

    TEST_CASE("map access keeps key order") {
        Node m = Node::map();
        m.set("b", Node::integer(1));
        m.set("a", Node::string("x"));
        m.set("b", Node::integer(2));
        REQUIRE(m.keys == std::vector<std::string>{"b", "a"});
        REQUIRE(m.keyMarks.size() == 2);
        CHECK(m.get("b")->str() == "2");
        CHECK(m.get("a")->quoted);
        CHECK(m.get("c") == nullptr);

        SUBCASE("erase") {
            CHECK(m.erase("b"));
            CHECK_FALSE(m.erase("b"));
            CHECK(m.keys == std::vector<std::string>{"a"});
            CHECK(m.items.size() == 1);
            CHECK(m.keyMarks.size() == 1);
        }
        SUBCASE("at follows a path") {
            Node root = Node::map();
            root.set("spec", Node::map()).set("hosts", Node::seq());
            CHECK(root.at({"spec", "hosts"})->isSeq());
            CHECK(root.at({"spec", "http"}) == nullptr);
            CHECK(root.at({"spec", "hosts", "x"}) == nullptr);
            CHECK(root.at({}) == &root);
        }
        SUBCASE("set keeps the source mark of the value it replaces") {
            m.get("a")->mark = shift::doc::Mark{3, 4, 50};
            m.set("a", Node::string("y"));
            CHECK(m.get("a")->mark.line == 3);
            CHECK(m.get("a")->str() == "y");
        }
        SUBCASE("non-maps") {
            Node s = Node::seq();
            CHECK(s.get("a") == nullptr);
            CHECK_FALSE(s.erase("a"));
            CHECK(s.str().empty());
            CHECK(Node::null().str().empty());
        }
    }

    TEST_CASE("isInteger") {
        CHECK(Node::plain("50").isInteger());
        CHECK(Node::plain("0x1F").isInteger());
        CHECK(Node::plain("-3").isInteger());
        CHECK(Node::plain("12345678901234567890123").isInteger());
        CHECK(Node::integer(-42).isInteger());
        CHECK_FALSE(Node::string("50").isInteger());
        CHECK_FALSE(Node::plain("1.5").isInteger());
        CHECK_FALSE(Node::plain("1e3").isInteger());
        CHECK_FALSE(Node::plain("fifty").isInteger());
        CHECK_FALSE(Node::null().isInteger());
        CHECK_FALSE(Node::map().isInteger());
    }
}
