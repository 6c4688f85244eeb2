#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "data.hpp"
#include "doc/emit.hpp"
#include "doc/parse.hpp"

using namespace shift::doc;

namespace {

Node one(const std::string& text) {
    auto r = parse(text, "t");
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    REQUIRE(r->docs.size() == 1);
    return r->docs[0];
}

// `k: <value>` as toYaml writes a map holding one string.
std::string yamlOf(const std::string& s) {
    Node m = Node::map();
    m.set("k", Node::string(s));
    return toYaml(m);
}

}  // namespace

TEST_SUITE("doc::emit") {
    TEST_CASE("strings that would read as something else are double-quoted, as go-yaml does") {
        for (const char* s : {"1.0", "true", "NO", "0x1F", "1e3", "null", "~", "yes", "off", "42", "-1",
                              ".inf", "1:20", "2001-12-14", "2001-12-14T21:59:43Z"}) {
            CHECK(yamlOf(s) == std::string("k: \"") + s + "\"\n");
            Node back = one(yamlOf(s)).items[0];
            CHECK(back.quoted);
            CHECK(back.str() == s);
        }
        CHECK(yamlOf("") == "k: \"\"\n");
    }

    TEST_CASE("other strings are plain, single-quoted or double-quoted as libyaml chooses") {
        CHECK(yamlOf("reviews") == "k: reviews\n");
        CHECK(yamlOf("v1.2.3") == "k: v1.2.3\n");
        CHECK(yamlOf("a b: c") == "k: 'a b: c'\n");
        CHECK(yamlOf("*") == "k: '*'\n");
        CHECK(yamlOf("*.example.com") == "k: '*.example.com'\n");
        CHECK(yamlOf("- x") == "k: '- x'\n");
        CHECK(yamlOf("a #b") == "k: 'a #b'\n");
        CHECK(yamlOf("a#b") == "k: a#b\n");
        CHECK(yamlOf("it's {x}") == "k: it's {x}\n");
        CHECK(yamlOf("{x} it's") == "k: '{x} it''s'\n");
        CHECK(yamlOf(" lead") == "k: ' lead'\n");
        CHECK(yamlOf("trail ") == "k: 'trail '\n");
        CHECK(yamlOf("---") == "k: '---'\n");
        CHECK(yamlOf("tab\there") == "k: \"tab\\there\"\n");
        CHECK(yamlOf("bell\x07") == "k: \"bell\\a\"\n");
        CHECK(yamlOf("say \"hi\"") == "k: say \"hi\"\n");
        CHECK(yamlOf("Grüße ☃") == "k: Grüße ☃\n");
        CHECK(yamlOf("smile \xF0\x9F\x98\x80") == "k: \"smile \\U0001F600\"\n");
        CHECK(yamlOf("cr\r\nlf") == "k: \"cr\\r\\nlf\"\n");
        CHECK(yamlOf("a \nb") == "k: \"a \\nb\"\n");
    }

    TEST_CASE("multi-line strings are | blocks with go-yaml's chomping") {
        CHECK(yamlOf("a\nb") == "k: |-\n  a\n  b\n");
        CHECK(yamlOf("a\nb\n") == "k: |\n  a\n  b\n");
        CHECK(yamlOf("a\n\n") == "k: |+\n  a\n\n");
        CHECK(yamlOf("a\n\nb") == "k: |-\n  a\n\n  b\n");
        CHECK(yamlOf("  indented\nb") == "k: |2-\n    indented\n  b\n");
        Node seq = Node::seq();
        seq.items.push_back(Node::string("x\ny\n"));
        CHECK(toYaml(seq) == "- |\n  x\n  y\n");
        for (const char* s : {"a\nb", "a\nb\n", "a\n\n", "  indented\nb", "a\n\nb", "a \nb", "cr\r\nlf"})
            CHECK(one(yamlOf(s)).items[0].str() == s);
    }

    TEST_CASE("long strings fold at 80 columns and read back the same") {
        std::string words;
        for (int i = 0; i < 30; ++i) words += "word" + std::to_string(i) + " ";
        words += "end";
        std::string y = yamlOf(words);
        CHECK(y.find('\n') < y.size() - 1);
        // libyaml breaks at the first space past column 80.
        CHECK(y.find('\n') > 80);
        CHECK(y.find('\n') < 90);
        CHECK(y.find("\n  word") != std::string::npos);
        CHECK(one(y).items[0].str() == words);
        for (std::string s : {"'" + words + "'", words + ": x", "\t" + words, words + "  two  spaces"}) {
            CHECK(one(yamlOf(s)).items[0].str() == s);
        }
        // Keys never fold.
        Node m = Node::map();
        m.set(words, Node::integer(1));
        CHECK(toYaml(m) == words + ": 1\n");
    }

    TEST_CASE("keys are quoted by the same rules") {
        Node m = Node::map();
        m.set("n", Node::integer(1));
        m.set("*", Node::integer(2));
        m.set("a\nb", Node::integer(3));
        m.set("", Node::integer(4));
        CHECK(toYaml(m) == "\"n\": 1\n'*': 2\n\"a\\nb\": 3\n\"\": 4\n");
    }

    TEST_CASE("layout follows kubectl: sequences under keys not indented, {} and []") {
        std::string expected = readData("reviews.out.yaml");
        CHECK(toYaml(one(readData("reviews.yaml"))) == expected);
        CHECK(toYaml(one(expected)) == expected);  // stable

        // "y" is a YAML 1.1 bool, so go-yaml quotes it as a key too.
        Node nested = one("a:\n- - 1\n  - 2\n- []\n- {}\n- - x: 1\n    y: 2\nb: {}\nc: []\nd: null\n");
        CHECK(toYaml(nested) ==
              "a:\n- - 1\n  - 2\n- []\n- {}\n- - x: 1\n    \"y\": 2\nb: {}\nc: []\nd: null\n");
        CHECK(toYaml(Node::map()) == "{}\n");
        CHECK(toYaml(Node::seq()) == "[]\n");
        CHECK(toYaml(Node::string("true")) == "\"true\"\n");
        CHECK(toYaml(Node::null()) == "null\n");
    }

    TEST_CASE("plain scalars are written as they are") {
        Node n = one("a: 0x1F\nb: 1e3\nc: yes\nd: 012\ne: .5\nf: 12345678901234567890123\ng: -.inf\n");
        CHECK(toYaml(n) == "a: 0x1F\nb: 1e3\nc: yes\nd: 012\ne: .5\nf: 12345678901234567890123\ng: -.inf\n");
        // A plain node built in code that would not read back as itself is quoted.
        Node m = Node::map();
        m.set("k", Node::plain("a: b"));
        CHECK(toYaml(m) == "k: 'a: b'\n");
    }

    TEST_CASE("toYamlStream joins documents with ---") {
        auto r = parse(readData("multi.yaml"), "multi.yaml");
        REQUIRE(r.ok());
        std::string out = toYamlStream(r->docs);
        CHECK(out.rfind("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\napiVersion: v1\n", 0) ==
              0);
        auto again = parse(out, "again.yaml");
        REQUIRE(again.ok());
        CHECK(again->docs.size() == 3);
        CHECK(toYamlStream(again->docs) == out);
        CHECK(toYamlStream({}).empty());
    }

    TEST_CASE("JSON: plain scalars become what Kubernetes' YAML reads") {
        Node n =
            one("a: yes\nb: Off\nc: ~\nd: 0x1F\ne: 017\nf: 0o17\ng: 0b101\nh: 1_000\ni: .5\nj: -.5\nk: +1\n"
                "l: 5.\nm: 08\nn: 1e3\no: 1.50\np: 12345678901234567890123\nq: .inf\nr: foo\ns: \"42\"\n"
                "t: 18446744073709551615\nu: -0x8000000000000000\n");
        CHECK(toJson(n, 0) ==
              R"({"a":true,"b":false,"c":null,"d":31,"e":15,"f":15,"g":5,"h":1000,"i":0.5,"j":-0.5,"k":1,)"
              R"("l":5.0,"m":8,"n":1e3,"o":1.50,"p":12345678901234567890123,"q":".inf","r":"foo","s":"42",)"
              R"("t":18446744073709551615,"u":-9223372036854775808})");
    }

    TEST_CASE("JSON: kubectl's indentation and Go's string escapes") {
        Node n = one("a:\n  b: [1, {}]\n  c: []\n  d: {}\n");
        CHECK(toJson(n) ==
              "{\n    \"a\": {\n        \"b\": [\n            1,\n            {}\n        ],\n"
              "        \"c\": [],\n        \"d\": {}\n    }\n}");
        CHECK(toJson(n, 2).find("\n  \"a\": {\n    \"b\"") != std::string::npos);
        CHECK(toJson(Node::string("q\"\\\n\r\t\b\f\x01<&>\xE2\x80\xA8 Grüße \xF0\x9F\x98\x80")) ==
              "\"q\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u003c\\u0026\\u003e\\u2028 Grüße \xF0\x9F\x98\x80\"");
        CHECK(toJson(Node::string("bad\xFF")) == "\"bad\\ufffd\"");
        CHECK(toJson(Node::null()) == "null");
        CHECK(toJson(Node::map(), 0) == "{}");
    }

    TEST_CASE("round trips keep every value") {
        std::string json = readData("reviews.json");
        auto r = parse(json, "reviews.json");
        REQUIRE(r.ok());
        std::string j1 = toJson(r->docs[0]);
        SUBCASE("JSON -> YAML -> JSON is stable") {
            std::string y = toYaml(r->docs[0]);
            CHECK(y.find("big: 12345678901234567890123\n") != std::string::npos);
            CHECK(y.find("s-true: \"true\"\n") != std::string::npos);
            std::string j2 = toJson(one(y));
            CHECK(j2 == j1);
            CHECK(toYaml(one(j2)) == y);
        }
        SUBCASE("JSON -> JSON keeps big numbers and number text") {
            CHECK(j1.find("\"big\": 12345678901234567890123,") != std::string::npos);
            CHECK(j1.find("\"negbig\": -12345678901234567890123,") != std::string::npos);
            CHECK(j1.find("\"float\": 1.50,") != std::string::npos);
            CHECK(j1.find("\"exp\": 1E+3,") != std::string::npos);
            CHECK(toJson(one(j1)) == j1);
        }
        SUBCASE("YAML -> JSON -> YAML keeps strings strings") {
            Node y = one(readData("reviews.yaml"));
            Node back = one(toJson(y));
            const Node* ann = back.at({"metadata", "annotations"});
            for (const char* key :
                 {"quoted-true", "single-no", "hex-string", "exp-string", "null-string", "empty"}) {
                CHECK(ann->get(key)->quoted);
                CHECK(ann->get(key)->str() == y.at({"metadata", "annotations"})->get(key)->str());
            }
            CHECK(back.at({"spec", "http"})->items[0].get("big")->str() == "12345678901234567890123");
            CHECK(toJson(back) == toJson(y));
        }
    }
}
